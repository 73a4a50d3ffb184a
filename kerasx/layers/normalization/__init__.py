from kerasx.layers.normalization.batch_normalization import BatchNormalization
from kerasx.layers.normalization.layer_normalization import LayerNormalization

__all__ = ["BatchNormalization", "LayerNormalization"]
