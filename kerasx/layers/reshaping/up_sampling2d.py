"""UpSampling2D: enlarge images by integer factors."""
import numpy as np

from kerasx.backend import get_ops
from kerasx.layers.convolutional.base_conv import standardize_tuple
from kerasx.layers.reshaping._pairs import spatial_axes
from kerasx.layers.reshaping.base_up_sampling import BaseUpSampling

_INTERPOLATIONS = ("nearest", "bilinear")


def _bilinear_axis(x, axis, factor):
    """Upsample `x` along `axis` by `factor` with bilinear weights on
    half-pixel centres, edges clamped (TensorFlow's resize, as Keras uses)."""
    ops = get_ops()
    length = ops.shape(x)[axis]
    source = (np.arange(length * factor, dtype=np.float64) + 0.5) / factor - 0.5
    floor = np.floor(source)
    lerp = source - floor
    lower = np.clip(floor, 0, length - 1).astype(np.int32)
    upper = np.clip(np.ceil(source), 0, length - 1).astype(np.int32)
    dtype = ops.dtype(x)
    shape = [1] * len(ops.shape(x))
    shape[axis] = length * factor
    weight = ops.convert_to_tensor(lerp.reshape(shape), dtype)
    low = ops.take(x, ops.convert_to_tensor(lower), axis=axis)
    high = ops.take(x, ops.convert_to_tensor(upper), axis=axis)
    return ops.add(low, ops.multiply(ops.subtract(high, low), weight))


class UpSampling2D(BaseUpSampling):
    """Repeat rows and columns (nearest) or interpolate them (bilinear), as
    keras.layers.UpSampling2D.

    Args:
        size: int or tuple of 2 ints, the upsampling factors (rows, columns).
        data_format: "channels_last" or "channels_first".
        interpolation: "nearest" (default) or "bilinear" (half-pixel centres,
            as TensorFlow's image resize without antialiasing).

    Raises:
        ValueError: for a bad `size`, or another interpolation (Keras also has
            "bicubic", "lanczos3", "lanczos5" and "area"; kerasx does not).
    """

    def __init__(self, size=(2, 2), data_format=None, interpolation="nearest", **kwargs):
        size = standardize_tuple(size, 2, "size")
        if not isinstance(interpolation, str) or \
                interpolation.lower() not in _INTERPOLATIONS:
            raise ValueError(
                f"UpSampling2D supports interpolation {' or '.join(_INTERPOLATIONS)} in "
                f"kerasx. Received: interpolation={interpolation!r}.")
        super().__init__(2, size, data_format=data_format, **kwargs)
        self.size = size
        self.interpolation = interpolation.lower()

    def call(self, inputs):
        if self.interpolation == "nearest":
            return super().call(inputs)
        x = inputs
        for axis, factor in zip(spatial_axes(2, self.data_format), self.size):
            if factor > 1:
                x = _bilinear_axis(x, axis, factor)
        return x

    def get_config(self):
        return {**super().get_config(), "size": self.size,
                "data_format": self.data_format, "interpolation": self.interpolation}
