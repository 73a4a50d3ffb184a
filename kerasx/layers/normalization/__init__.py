"""Normalization layers, as keras.layers: BatchNormalization,
LayerNormalization, GroupNormalization, RMSNormalization, UnitNormalization,
SpectralNormalization."""
from kerasx.layers.normalization.batch_normalization import BatchNormalization
from kerasx.layers.normalization.group_normalization import GroupNormalization
from kerasx.layers.normalization.layer_normalization import LayerNormalization
from kerasx.layers.normalization.rms_normalization import RMSNormalization
from kerasx.layers.normalization.spectral_normalization import SpectralNormalization
from kerasx.layers.normalization.unit_normalization import UnitNormalization

__all__ = ["BatchNormalization", "GroupNormalization", "LayerNormalization",
           "RMSNormalization", "SpectralNormalization", "UnitNormalization"]
