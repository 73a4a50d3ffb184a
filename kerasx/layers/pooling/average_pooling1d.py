"""AveragePooling1D: 1-D average pooling."""
from kerasx.layers.pooling.base_pooling import BasePooling


class AveragePooling1D(BasePooling):
    """1-D average pooling, as keras.layers.AveragePooling1D: the mean of
    each window ("same" padding is not counted).

    Inputs (batch, steps, channels) ("channels_last")
    or (batch, channels, steps).

    Args:
        pool_size: int or tuple of 1 int(s) (required, as in Keras 3).
        strides: int, tuple, or None (default: pool_size).
        padding: "valid" or "same".
        data_format: "channels_last" or "channels_first".

    Raises:
        ValueError: for invalid arguments or an input whose pooled size would
            be empty.
    """

    def __init__(self, pool_size, strides=None, padding="valid", data_format=None,
                 name=None, **kwargs):
        super().__init__(pool_size, strides, pool_dimensions=1, pool_mode="average",
                         padding=padding, data_format=data_format, name=name, **kwargs)
