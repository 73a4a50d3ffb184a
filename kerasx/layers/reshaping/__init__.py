"""Reshaping layers, as keras.layers: Flatten, Reshape, Permute, RepeatVector,
ZeroPadding1D/2D/3D, Cropping1D/2D/3D, UpSampling1D/2D/3D."""
from kerasx.layers.reshaping.cropping1d import Cropping1D
from kerasx.layers.reshaping.cropping2d import Cropping2D
from kerasx.layers.reshaping.cropping3d import Cropping3D
from kerasx.layers.reshaping.flatten import Flatten
from kerasx.layers.reshaping.permute import Permute
from kerasx.layers.reshaping.repeat_vector import RepeatVector
from kerasx.layers.reshaping.reshape import Reshape
from kerasx.layers.reshaping.up_sampling1d import UpSampling1D
from kerasx.layers.reshaping.up_sampling2d import UpSampling2D
from kerasx.layers.reshaping.up_sampling3d import UpSampling3D
from kerasx.layers.reshaping.zero_padding1d import ZeroPadding1D
from kerasx.layers.reshaping.zero_padding2d import ZeroPadding2D
from kerasx.layers.reshaping.zero_padding3d import ZeroPadding3D

__all__ = ["Cropping1D", "Cropping2D", "Cropping3D", "Flatten", "Permute", "RepeatVector",
           "Reshape", "UpSampling1D", "UpSampling2D", "UpSampling3D", "ZeroPadding1D",
           "ZeroPadding2D", "ZeroPadding3D"]
