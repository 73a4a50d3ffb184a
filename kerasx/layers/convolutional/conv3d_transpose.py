"""Conv3DTranspose: transposed 3-D convolution."""
from kerasx.layers.convolutional.base_conv_transpose import BaseConvTranspose


class Conv3DTranspose(BaseConvTranspose):
    """Transposed 3-D convolution, as keras.layers.Conv3DTranspose (alias
    Convolution3DTranspose). Note Keras's argument order: data_format comes
    before output_padding here.

    Kernel (k1, k2, k3, filters, in_channels), bias (filters,).

    Args:
        filters: number of output channels.
        kernel_size, strides, dilation_rate: int or tuple of 3 ints.
        padding: "valid" or "same".
        data_format: "channels_last" or "channels_first".
        output_padding: None, or int / tuple of 3 ints, each below its stride.
        activation, use_bias: as in Keras.
        kernel_initializer, bias_initializer: as in Keras.
        kernel_regularizer, bias_regularizer, activity_regularizer: as in Keras.
        kernel_constraint, bias_constraint: as in Keras.

    Raises:
        ValueError: for invalid arguments (see BaseConvTranspose).
    """

    def __init__(self, filters, kernel_size, strides=(1, 1, 1), padding="valid",
                 data_format=None, output_padding=None, dilation_rate=(1, 1, 1),
                 activation=None, use_bias=True, kernel_initializer="glorot_uniform",
                 bias_initializer="zeros", kernel_regularizer=None, bias_regularizer=None,
                 activity_regularizer=None, kernel_constraint=None, bias_constraint=None,
                 **kwargs):
        super().__init__(
            3, filters, kernel_size, strides=strides, padding=padding,
            output_padding=output_padding, data_format=data_format,
            dilation_rate=dilation_rate, activation=activation, use_bias=use_bias,
            kernel_initializer=kernel_initializer, bias_initializer=bias_initializer,
            kernel_regularizer=kernel_regularizer, bias_regularizer=bias_regularizer,
            activity_regularizer=activity_regularizer,
            kernel_constraint=kernel_constraint, bias_constraint=bias_constraint,
            **kwargs)
