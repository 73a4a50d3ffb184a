"""MaxPooling1D: 1-D max pooling."""
from kerasx.layers.pooling.base_pooling import BasePooling


class MaxPooling1D(BasePooling):
    """1-D max pooling, as keras.layers.MaxPooling1D: the maximum of each window.

    Inputs (batch, steps, channels) ("channels_last")
    or (batch, channels, steps).

    Args:
        pool_size: int or tuple of 1 int(s) (default 2).
        strides: int, tuple, or None (default: pool_size).
        padding: "valid" or "same".
        data_format: "channels_last" or "channels_first".

    Raises:
        ValueError: for invalid arguments or an input whose pooled size would
            be empty.
    """

    def __init__(self, pool_size=2, strides=None, padding="valid", data_format=None,
                 name=None, **kwargs):
        super().__init__(pool_size, strides, pool_dimensions=1, pool_mode="max",
                         padding=padding, data_format=data_format, name=name, **kwargs)
