"""GlobalAveragePooling2D: the mean over the spatial axes."""
from kerasx.backend import get_ops
from kerasx.layers.pooling.base_global_pooling import BaseGlobalPooling


class GlobalAveragePooling2D(BaseGlobalPooling):
    """Global 2-D mean pooling, as keras.layers.GlobalAveragePooling2D.

    Output (batch, channels), or with keepdims=True the input's rank with
    the spatial axes of length 1.

    Args:
        data_format: "channels_last" or "channels_first".
        keepdims: keep the reduced axes.
    """

    def __init__(self, data_format=None, keepdims=False, **kwargs):
        super().__init__(pool_dimensions=2, data_format=data_format,
                         keepdims=keepdims, **kwargs)

    def call(self, inputs):
        return get_ops().mean(inputs, axis=self._spatial_axes, keepdims=self.keepdims)
