"""Conv3D: convolution over volumes."""
from kerasx.layers.convolutional.base_conv import BaseConv


class Conv3D(BaseConv):
    """3-D convolution, as keras.layers.Conv3D (alias Convolution3D).

    Inputs (batch, d1, d2, d3, channels) ("channels_last") or (batch,
    channels, d1, d2, d3) ("channels_first"). Kernel (k1, k2, k3,
    in_channels // groups, filters), bias (filters,).

    Args:
        filters: number of output channels.
        kernel_size, strides, dilation_rate: int or tuple of 3 ints.
        padding: "valid" or "same" (TensorFlow's).
        data_format: "channels_last" or "channels_first" (default: the global
            image data format).
        groups: number of channel groups (divides input channels and filters).
        activation, use_bias: as in Keras.
        kernel_initializer, bias_initializer: as in Keras.
        kernel_regularizer, bias_regularizer, activity_regularizer: as in Keras.
        kernel_constraint, bias_constraint: as in Keras.

    Raises:
        ValueError: for invalid arguments or incompatible inputs (see BaseConv).
    """

    def __init__(self, filters, kernel_size, strides=(1, 1, 1), padding="valid",
                 data_format=None, dilation_rate=(1, 1, 1), groups=1, activation=None,
                 use_bias=True, kernel_initializer="glorot_uniform",
                 bias_initializer="zeros", kernel_regularizer=None, bias_regularizer=None,
                 activity_regularizer=None, kernel_constraint=None, bias_constraint=None,
                 **kwargs):
        super().__init__(
            3, filters, kernel_size, strides=strides, padding=padding,
            data_format=data_format, dilation_rate=dilation_rate, groups=groups,
            activation=activation, use_bias=use_bias,
            kernel_initializer=kernel_initializer, bias_initializer=bias_initializer,
            kernel_regularizer=kernel_regularizer, bias_regularizer=bias_regularizer,
            activity_regularizer=activity_regularizer,
            kernel_constraint=kernel_constraint, bias_constraint=bias_constraint,
            **kwargs)
