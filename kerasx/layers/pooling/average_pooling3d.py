"""AveragePooling3D: 3-D average pooling."""
from kerasx.layers.pooling.base_pooling import BasePooling


class AveragePooling3D(BasePooling):
    """3-D average pooling, as keras.layers.AveragePooling3D (alias
    AvgPool3D): the mean of each window ("same" padding is not counted).

    Inputs (batch, d1, d2, d3, channels) ("channels_last")
    or (batch, channels, d1, d2, d3).

    Args:
        pool_size: int or tuple of 3 ints (required, as in Keras 3).
        strides: int, tuple, or None (default: pool_size).
        padding: "valid" or "same".
        data_format: "channels_last" or "channels_first".

    Raises:
        ValueError: for invalid arguments or an input whose pooled size would
            be empty.
    """

    def __init__(self, pool_size, strides=None, padding="valid", data_format=None,
                 name=None, **kwargs):
        super().__init__(pool_size, strides, pool_dimensions=3, pool_mode="average",
                         padding=padding, data_format=data_format, name=name, **kwargs)
