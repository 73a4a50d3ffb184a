"""Cropping2D: remove rows and columns at the borders of images."""
from kerasx import config
from kerasx.backend import get_ops
from kerasx.layers.input_spec import InputSpec
from kerasx.layers.layer import Layer
from kerasx.layers.reshaping._pairs import check_rank_4, spatial_axes_2d, standardize_pairs


class Cropping2D(Layer):
    """Crop the height and width axes, as keras.layers.Cropping2D.

    Args:
        cropping: int, (symmetric_height, symmetric_width), or
            ((top, bottom), (left, right)); default no cropping.
        data_format: "channels_last" or "channels_first".

    Raises:
        ValueError: for a malformed or negative cropping, or one that leaves
            nothing of the input.
    """

    def __init__(self, cropping=((0, 0), (0, 0)), data_format=None, **kwargs):
        super().__init__(**kwargs)
        self.data_format = config.standardize_data_format(data_format)
        self.cropping = standardize_pairs(cropping, "cropping")
        self.input_spec = InputSpec(ndim=4)
        self.built = True

    def compute_output_shape(self, input_shape):
        out = list(check_rank_4(self, input_shape))
        for axis, (before, after) in zip(spatial_axes_2d(self.data_format), self.cropping):
            if out[axis] is None:
                continue
            if before + after >= out[axis]:
                raise ValueError(
                    "Values in `cropping` must be smaller than the corresponding "
                    f"spatial dimension of the input. Received: input shape "
                    f"{tuple(input_shape)}, cropping={self.cropping}, "
                    f"data_format={self.data_format!r}.")
            out[axis] -= before + after
        return tuple(out)

    def call(self, inputs):
        ops = get_ops()
        shape = ops.shape(inputs)
        out = self.compute_output_shape(shape)
        start = [0] * 4
        for axis, (before, _) in zip(spatial_axes_2d(self.data_format), self.cropping):
            start[axis] = before
        return ops.slice(inputs, tuple(start), tuple(out))

    def get_config(self):
        return {**super().get_config(), "cropping": self.cropping,
                "data_format": self.data_format}
