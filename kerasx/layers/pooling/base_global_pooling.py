"""BaseGlobalPooling: pooling over every spatial axis at once."""
from kerasx import config
from kerasx.layers.input_spec import InputSpec
from kerasx.layers.layer import Layer


class BaseGlobalPooling(Layer):
    """Reduce the spatial axes of a (batch, *spatial, channels) input (or
    (batch, channels, *spatial) for "channels_first"), as Keras's
    BaseGlobalPooling.

    Args:
        pool_dimensions: number of spatial axes (1, 2 or 3).
        data_format: "channels_last" or "channels_first".
        keepdims: keep the reduced axes with length 1.
    """

    def __init__(self, pool_dimensions, data_format=None, keepdims=False, **kwargs):
        super().__init__(**kwargs)
        self.pool_dimensions = pool_dimensions
        self.data_format = config.standardize_data_format(data_format)
        self.keepdims = bool(keepdims)
        self.input_spec = InputSpec(ndim=pool_dimensions + 2)
        self.built = True

    @property
    def _spatial_axes(self):
        start = 1 if self.data_format == "channels_last" else 2
        return tuple(range(start, start + self.pool_dimensions))

    def compute_output_shape(self, input_shape):
        input_shape = tuple(input_shape)
        if len(input_shape) != self.pool_dimensions + 2:
            raise ValueError(f"Layer {self.name!r} expects inputs of rank "
                             f"{self.pool_dimensions + 2}, but received input shape "
                             f"{input_shape}.")
        channels = input_shape[-1] if self.data_format == "channels_last" \
            else input_shape[1]
        if not self.keepdims:
            return (input_shape[0], channels)
        ones = (1,) * self.pool_dimensions
        if self.data_format == "channels_last":
            return (input_shape[0],) + ones + (channels,)
        return (input_shape[0], channels) + ones

    def get_config(self):
        return {**super().get_config(), "data_format": self.data_format,
                "keepdims": self.keepdims}
