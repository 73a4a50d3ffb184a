"""DepthwiseConv1D: a separate 1-D filter bank per input channel."""
from kerasx.layers.convolutional.base_depthwise_conv import BaseDepthwiseConv


class DepthwiseConv1D(BaseDepthwiseConv):
    """1-D depthwise convolution, as keras.layers.DepthwiseConv1D.

    Kernel (k, in_channels, depth_multiplier), bias
    (in_channels * depth_multiplier,).

    Args:
        kernel_size, strides, dilation_rate: int or tuple of 1 int.
        padding: "valid" or "same".
        depth_multiplier: output channels per input channel.
        data_format: "channels_last" or "channels_first".
        activation, use_bias: as in Keras.
        depthwise_initializer, bias_initializer: as in Keras.
        depthwise_regularizer, bias_regularizer, activity_regularizer: as in Keras.
        depthwise_constraint, bias_constraint: as in Keras.

    Raises:
        ValueError: for invalid arguments (see BaseDepthwiseConv).
    """

    def __init__(self, kernel_size, strides=1, padding="valid", depth_multiplier=1,
                 data_format=None, dilation_rate=1, activation=None, use_bias=True,
                 depthwise_initializer="glorot_uniform", bias_initializer="zeros",
                 depthwise_regularizer=None, bias_regularizer=None,
                 activity_regularizer=None, depthwise_constraint=None,
                 bias_constraint=None, **kwargs):
        super().__init__(
            1, depth_multiplier, kernel_size, strides=strides, padding=padding,
            data_format=data_format, dilation_rate=dilation_rate, activation=activation,
            use_bias=use_bias, depthwise_initializer=depthwise_initializer,
            bias_initializer=bias_initializer,
            depthwise_regularizer=depthwise_regularizer,
            bias_regularizer=bias_regularizer, activity_regularizer=activity_regularizer,
            depthwise_constraint=depthwise_constraint, bias_constraint=bias_constraint,
            **kwargs)
