"""Convolution layers, as keras.layers: Conv1D/2D/3D, Conv1D/2D/3DTranspose,
DepthwiseConv1D/2D, SeparableConv1D/2D, and Keras's alias names
(Convolution2D is Conv2D, ...)."""
from kerasx.layers.convolutional.conv1d import Conv1D
from kerasx.layers.convolutional.conv1d_transpose import Conv1DTranspose
from kerasx.layers.convolutional.conv2d import Conv2D
from kerasx.layers.convolutional.conv2d_transpose import Conv2DTranspose
from kerasx.layers.convolutional.conv3d import Conv3D
from kerasx.layers.convolutional.conv3d_transpose import Conv3DTranspose
from kerasx.layers.convolutional.depthwise_conv1d import DepthwiseConv1D
from kerasx.layers.convolutional.depthwise_conv2d import DepthwiseConv2D
from kerasx.layers.convolutional.separable_conv1d import SeparableConv1D
from kerasx.layers.convolutional.separable_conv2d import SeparableConv2D

# Keras's second names for the same classes.
Convolution1D, Convolution2D, Convolution3D = Conv1D, Conv2D, Conv3D
Convolution1DTranspose = Conv1DTranspose
Convolution2DTranspose = Conv2DTranspose
Convolution3DTranspose = Conv3DTranspose
SeparableConvolution1D, SeparableConvolution2D = SeparableConv1D, SeparableConv2D

__all__ = ["Conv1D", "Conv1DTranspose", "Conv2D", "Conv2DTranspose", "Conv3D",
           "Conv3DTranspose", "DepthwiseConv1D", "DepthwiseConv2D", "SeparableConv1D",
           "SeparableConv2D", "Convolution1D", "Convolution2D", "Convolution3D",
           "Convolution1DTranspose", "Convolution2DTranspose", "Convolution3DTranspose",
           "SeparableConvolution1D", "SeparableConvolution2D"]
