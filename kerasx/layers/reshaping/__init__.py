"""Reshaping layers, as keras.layers: Flatten, Reshape, Permute, RepeatVector,
ZeroPadding2D, Cropping2D, UpSampling2D."""
from kerasx.layers.reshaping.cropping2d import Cropping2D
from kerasx.layers.reshaping.flatten import Flatten
from kerasx.layers.reshaping.permute import Permute
from kerasx.layers.reshaping.repeat_vector import RepeatVector
from kerasx.layers.reshaping.reshape import Reshape
from kerasx.layers.reshaping.up_sampling2d import UpSampling2D
from kerasx.layers.reshaping.zero_padding2d import ZeroPadding2D

__all__ = ["Cropping2D", "Flatten", "Permute", "RepeatVector", "Reshape", "UpSampling2D",
           "ZeroPadding2D"]
