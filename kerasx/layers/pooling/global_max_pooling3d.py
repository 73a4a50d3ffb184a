"""GlobalMaxPooling3D: the maximum over the three spatial axes."""
from kerasx.backend import get_ops
from kerasx.layers.pooling.base_global_pooling import BaseGlobalPooling


class GlobalMaxPooling3D(BaseGlobalPooling):
    """Global 3-D max pooling, as keras.layers.GlobalMaxPooling3D (alias
    GlobalMaxPool3D).

    Output (batch, channels), or with keepdims=True the input's rank with
    the spatial axes of length 1.

    Args:
        data_format: "channels_last" or "channels_first".
        keepdims: keep the reduced axes.
    """

    def __init__(self, data_format=None, keepdims=False, **kwargs):
        super().__init__(pool_dimensions=3, data_format=data_format,
                         keepdims=keepdims, **kwargs)

    def call(self, inputs):
        return get_ops().max(inputs, axis=self._spatial_axes, keepdims=self.keepdims)
