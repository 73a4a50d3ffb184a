"""GlobalAveragePooling1D: the mean over the steps axis (mask-aware)."""
from kerasx.backend import get_ops
from kerasx.layers.pooling.base_global_pooling import BaseGlobalPooling


class GlobalAveragePooling1D(BaseGlobalPooling):
    """Global 1-D average pooling, as keras.layers.GlobalAveragePooling1D.

    Output (batch, channels), or (batch, 1, channels) / (batch, channels, 1)
    with keepdims=True. With a (batch, steps) `mask`, the mean is over the
    unmasked steps only.

    Args:
        data_format: "channels_last" or "channels_first".
        keepdims: keep the reduced axis.
    """

    def __init__(self, data_format=None, keepdims=False, **kwargs):
        super().__init__(pool_dimensions=1, data_format=data_format,
                         keepdims=keepdims, **kwargs)
        self.supports_masking = True

    def call(self, inputs, mask=None):
        ops = get_ops()
        axis = self._spatial_axes[0]
        if mask is None:
            return ops.mean(inputs, axis=axis, keepdims=self.keepdims)
        weights = ops.cast(ops.cast(mask, "bool"), ops.dtype(inputs))
        weights = ops.expand_dims(weights, 2 if self.data_format == "channels_last" else 1)
        total = ops.sum(ops.multiply(inputs, weights), axis=axis, keepdims=self.keepdims)
        count = ops.sum(weights, axis=axis, keepdims=self.keepdims)
        return ops.divide(total, count)

    def compute_mask(self, inputs, mask=None):
        return None
