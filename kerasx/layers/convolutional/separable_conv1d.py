"""SeparableConv1D: depthwise then pointwise 1-D convolution."""
from kerasx.layers.convolutional.base_separable_conv import BaseSeparableConv


class SeparableConv1D(BaseSeparableConv):
    """1-D depthwise-separable convolution, as keras.layers.SeparableConv1D
    (alias SeparableConvolution1D).

    Weights: depthwise_kernel (k, in_channels, depth_multiplier),
    pointwise_kernel (1, in_channels * depth_multiplier, filters), bias
    (filters,).

    Args:
        filters: number of output channels.
        kernel_size, strides, dilation_rate: int or tuple of 1 int.
        padding: "valid" or "same".
        depth_multiplier: depthwise output channels per input channel.
        data_format: "channels_last" or "channels_first".
        activation, use_bias, activity_regularizer: as in Keras.
        depthwise_initializer, pointwise_initializer, bias_initializer: as in Keras.
        depthwise_regularizer, pointwise_regularizer, bias_regularizer: as in Keras.
        depthwise_constraint, pointwise_constraint, bias_constraint: as in Keras.

    Raises:
        ValueError: for invalid arguments (see BaseSeparableConv).
    """

    def __init__(self, filters, kernel_size, strides=1, padding="valid",
                 data_format=None, dilation_rate=1, depth_multiplier=1,
                 activation=None, use_bias=True, depthwise_initializer="glorot_uniform",
                 pointwise_initializer="glorot_uniform", bias_initializer="zeros",
                 depthwise_regularizer=None, pointwise_regularizer=None,
                 bias_regularizer=None, activity_regularizer=None,
                 depthwise_constraint=None, pointwise_constraint=None,
                 bias_constraint=None, **kwargs):
        super().__init__(
            1, depth_multiplier, filters, kernel_size, strides=strides, padding=padding,
            data_format=data_format, dilation_rate=dilation_rate, activation=activation,
            use_bias=use_bias, depthwise_initializer=depthwise_initializer,
            pointwise_initializer=pointwise_initializer,
            bias_initializer=bias_initializer,
            depthwise_regularizer=depthwise_regularizer,
            pointwise_regularizer=pointwise_regularizer,
            bias_regularizer=bias_regularizer, activity_regularizer=activity_regularizer,
            depthwise_constraint=depthwise_constraint,
            pointwise_constraint=pointwise_constraint, bias_constraint=bias_constraint,
            **kwargs)
