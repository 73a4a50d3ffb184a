"""BaseUpSampling: repeat each entry of the spatial axes by integer factors
(nearest-neighbour upsampling: UpSampling1D, UpSampling3D, and UpSampling2D's
default)."""
from kerasx import config
from kerasx.backend import get_ops
from kerasx.layers.input_spec import InputSpec
from kerasx.layers.layer import Layer
from kerasx.layers.reshaping._pairs import checked_shape, spatial_axes


def repeat_nearest(inputs, axes, factors):
    """`inputs` with each entry along axes[i] repeated factors[i] times.

    One axis at a time: a length-1 axis inserted after it, broadcast to the
    factor, then merged into it (TensorFlow's broadcast_to refuses to
    broadcast several axes of an 8-D tensor at once)."""
    ops = get_ops()
    x = inputs
    for axis, factor in zip(axes, factors):
        if factor == 1:
            continue
        shape = tuple(ops.shape(x))
        expanded = shape[:axis + 1] + (1,) + shape[axis + 1:]
        broadcast = shape[:axis + 1] + (factor,) + shape[axis + 1:]
        merged = shape[:axis] + (shape[axis] * factor,) + shape[axis + 1:]
        x = ops.reshape(ops.broadcast_to(ops.reshape(x, expanded), broadcast), merged)
    return x


class BaseUpSampling(Layer):
    """Nearest-neighbour upsampling of the `rank` spatial axes.

    Args:
        rank: number of spatial axes (1, 2 or 3).
        size: tuple of `rank` positive ints, the factor per spatial axis.
        data_format: "channels_last" or "channels_first".
    """

    def __init__(self, rank, size, data_format=None, **kwargs):
        super().__init__(**kwargs)
        self.rank = rank
        self.data_format = config.standardize_data_format(data_format)
        self._factors = tuple(size)
        self.input_spec = InputSpec(ndim=rank + 2)
        self.built = True

    def call(self, inputs):
        return repeat_nearest(inputs, spatial_axes(self.rank, self.data_format),
                              self._factors)

    def compute_output_shape(self, input_shape):
        out = list(checked_shape(self, input_shape, self.rank))
        for axis, factor in zip(spatial_axes(self.rank, self.data_format), self._factors):
            if out[axis] is not None:
                out[axis] *= factor
        return tuple(out)
