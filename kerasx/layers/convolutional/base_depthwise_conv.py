"""BaseDepthwiseConv: one filter bank per input channel (DepthwiseConv2D),
and the depthwise convolution that SeparableConv2D shares."""
from kerasx import activations, constraints, initializers, regularizers
from kerasx.backend import get_ops
from kerasx.layers.convolutional.base_conv import (
    add_bias,
    channel_axis,
    check_positive_int,
    conv_output_shape,
    input_channels,
    set_window,
)
from kerasx.layers.input_spec import InputSpec
from kerasx.layers.layer import Layer


def depthwise_conv(inputs, kernel, strides, padding, data_format, dilation_rate):
    """Depthwise convolution with a Keras kernel (*window, in, multiplier).

    Run as a grouped convolution with in groups: the kernel reshaped to
    (*window, 1, in * multiplier) puts output channel c * multiplier + m on
    input channel c, which is Keras's (and TensorFlow's) channel order.
    """
    ops = get_ops()
    shape = ops.shape(kernel)
    grouped = ops.reshape(kernel, tuple(shape[:-2]) + (1, shape[-2] * shape[-1]))
    return ops.conv(inputs, grouped, strides, padding, data_format, dilation_rate)


class BaseDepthwiseConv(Layer):
    """Depthwise convolution, as Keras's BaseDepthwiseConv.

    Kernel (*kernel_size, in_channels, depth_multiplier), bias
    (in_channels * depth_multiplier,); output channel c * depth_multiplier + m
    comes from input channel c.

    Raises:
        ValueError: for a non-positive depth_multiplier, bad tuples, an
            unknown padding, strides > 1 together with dilation_rate > 1; at
            build, an undefined channel axis.
    """

    def __init__(self, rank, depth_multiplier, kernel_size, strides=1, padding="valid",
                 data_format=None, dilation_rate=1, activation=None, use_bias=True,
                 depthwise_initializer="glorot_uniform", bias_initializer="zeros",
                 depthwise_regularizer=None, bias_regularizer=None,
                 activity_regularizer=None, depthwise_constraint=None,
                 bias_constraint=None, **kwargs):
        super().__init__(activity_regularizer=activity_regularizer, **kwargs)
        check_positive_int(depth_multiplier, "depth_multiplier")
        self.depth_multiplier = depth_multiplier
        set_window(self, rank, kernel_size, strides, dilation_rate, padding, data_format)
        self.activation = activations.get(activation)
        self.use_bias = use_bias
        self.depthwise_initializer = initializers.get(depthwise_initializer)
        self.bias_initializer = initializers.get(bias_initializer)
        self.depthwise_regularizer = regularizers.get(depthwise_regularizer)
        self.bias_regularizer = regularizers.get(bias_regularizer)
        self.depthwise_constraint = constraints.get(depthwise_constraint)
        self.bias_constraint = constraints.get(bias_constraint)
        self.input_spec = InputSpec(ndim=rank + 2)

    def build(self, input_shape):
        channels = input_channels(self.name, input_shape, self.rank, self.data_format)
        self.compute_output_shape(input_shape)
        self.kernel = self.add_weight(
            shape=self.kernel_size + (channels, self.depth_multiplier),
            initializer=self.depthwise_initializer,
            regularizer=self.depthwise_regularizer,
            constraint=self.depthwise_constraint, name="kernel")
        self.bias = self.add_weight(
            shape=(channels * self.depth_multiplier,), initializer=self.bias_initializer,
            regularizer=self.bias_regularizer, constraint=self.bias_constraint,
            name="bias") if self.use_bias else None
        self.input_spec = InputSpec(ndim=self.rank + 2,
                                    axes={channel_axis(self.data_format): channels})
        self.built = True

    def call(self, inputs):
        outputs = depthwise_conv(inputs, self.kernel.value, self.strides, self.padding,
                                 self.data_format, self.dilation_rate)
        if self.bias is not None:
            outputs = add_bias(outputs, self.bias.value, self.rank, self.data_format)
        return self.activation(outputs)

    def compute_output_shape(self, input_shape):
        channels = input_channels(self.name, input_shape, self.rank, self.data_format)
        return conv_output_shape(self.name, input_shape, channels * self.depth_multiplier,
                                 self.kernel_size, self.strides, self.padding,
                                 self.data_format, self.dilation_rate)

    def get_config(self):
        return {
            **super().get_config(),
            "depth_multiplier": self.depth_multiplier,
            "kernel_size": self.kernel_size,
            "strides": self.strides,
            "padding": self.padding,
            "data_format": self.data_format,
            "dilation_rate": self.dilation_rate,
            "activation": activations.serialize(self.activation),
            "use_bias": self.use_bias,
            "depthwise_initializer": initializers.serialize(self.depthwise_initializer),
            "bias_initializer": initializers.serialize(self.bias_initializer),
            "depthwise_regularizer": regularizers.serialize(self.depthwise_regularizer),
            "bias_regularizer": regularizers.serialize(self.bias_regularizer),
            "activity_regularizer": regularizers.serialize(self.activity_regularizer),
            "depthwise_constraint": constraints.serialize(self.depthwise_constraint),
            "bias_constraint": constraints.serialize(self.bias_constraint),
        }
