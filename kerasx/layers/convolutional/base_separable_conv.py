"""BaseSeparableConv: a depthwise convolution followed by a pointwise (1x1)
convolution (SeparableConv2D)."""
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
from kerasx.layers.convolutional.base_depthwise_conv import depthwise_conv
from kerasx.layers.input_spec import InputSpec
from kerasx.layers.layer import Layer


class BaseSeparableConv(Layer):
    """Depthwise-separable convolution, as Keras's BaseSeparableConv.

    Weights, in order: depthwise_kernel (*kernel_size, in_channels,
    depth_multiplier), pointwise_kernel (1, ..., in_channels *
    depth_multiplier, filters), bias (filters,). Strides, padding and
    dilation apply to the depthwise step; the pointwise step is a 1x1
    convolution with stride 1.

    Raises:
        ValueError: for a non-positive depth_multiplier or filters, bad
            tuples, an unknown padding, strides > 1 together with
            dilation_rate > 1; at build, an undefined channel axis.
    """

    def __init__(self, rank, depth_multiplier, filters, kernel_size, strides=1,
                 padding="valid", data_format=None, dilation_rate=1, activation=None,
                 use_bias=True, depthwise_initializer="glorot_uniform",
                 pointwise_initializer="glorot_uniform", bias_initializer="zeros",
                 depthwise_regularizer=None, pointwise_regularizer=None,
                 bias_regularizer=None, activity_regularizer=None,
                 depthwise_constraint=None, pointwise_constraint=None,
                 bias_constraint=None, **kwargs):
        super().__init__(activity_regularizer=activity_regularizer, **kwargs)
        check_positive_int(depth_multiplier, "depth_multiplier")
        check_positive_int(filters, "filters")
        self.depth_multiplier = depth_multiplier
        self.filters = filters
        set_window(self, rank, kernel_size, strides, dilation_rate, padding, data_format)
        self.activation = activations.get(activation)
        self.use_bias = use_bias
        self.depthwise_initializer = initializers.get(depthwise_initializer)
        self.pointwise_initializer = initializers.get(pointwise_initializer)
        self.bias_initializer = initializers.get(bias_initializer)
        self.depthwise_regularizer = regularizers.get(depthwise_regularizer)
        self.pointwise_regularizer = regularizers.get(pointwise_regularizer)
        self.bias_regularizer = regularizers.get(bias_regularizer)
        self.depthwise_constraint = constraints.get(depthwise_constraint)
        self.pointwise_constraint = constraints.get(pointwise_constraint)
        self.bias_constraint = constraints.get(bias_constraint)
        self.input_spec = InputSpec(ndim=rank + 2)

    def build(self, input_shape):
        channels = input_channels(self.name, input_shape, self.rank, self.data_format)
        self.compute_output_shape(input_shape)
        self.depthwise_kernel = self.add_weight(
            shape=self.kernel_size + (channels, self.depth_multiplier),
            initializer=self.depthwise_initializer,
            regularizer=self.depthwise_regularizer,
            constraint=self.depthwise_constraint, name="depthwise_kernel")
        self.pointwise_kernel = self.add_weight(
            shape=(1,) * self.rank + (channels * self.depth_multiplier, self.filters),
            initializer=self.pointwise_initializer,
            regularizer=self.pointwise_regularizer,
            constraint=self.pointwise_constraint, name="pointwise_kernel")
        self.bias = self.add_weight(
            shape=(self.filters,), initializer=self.bias_initializer,
            regularizer=self.bias_regularizer, constraint=self.bias_constraint,
            name="bias") if self.use_bias else None
        self.input_spec = InputSpec(ndim=self.rank + 2,
                                    axes={channel_axis(self.data_format): channels})
        self.built = True

    def call(self, inputs):
        ops = get_ops()
        depthwise = depthwise_conv(inputs, self.depthwise_kernel.value, self.strides,
                                   self.padding, self.data_format, self.dilation_rate)
        outputs = ops.conv(depthwise, self.pointwise_kernel.value, 1, "valid",
                           self.data_format, 1)
        if self.bias is not None:
            outputs = add_bias(outputs, self.bias.value, self.rank, self.data_format)
        return self.activation(outputs)

    def compute_output_shape(self, input_shape):
        return conv_output_shape(self.name, input_shape, self.filters, self.kernel_size,
                                 self.strides, self.padding, self.data_format,
                                 self.dilation_rate)

    def get_config(self):
        return {
            **super().get_config(),
            "depth_multiplier": self.depth_multiplier,
            "filters": self.filters,
            "kernel_size": self.kernel_size,
            "strides": self.strides,
            "padding": self.padding,
            "data_format": self.data_format,
            "dilation_rate": self.dilation_rate,
            "activation": activations.serialize(self.activation),
            "use_bias": self.use_bias,
            "depthwise_initializer": initializers.serialize(self.depthwise_initializer),
            "pointwise_initializer": initializers.serialize(self.pointwise_initializer),
            "bias_initializer": initializers.serialize(self.bias_initializer),
            "depthwise_regularizer": regularizers.serialize(self.depthwise_regularizer),
            "pointwise_regularizer": regularizers.serialize(self.pointwise_regularizer),
            "bias_regularizer": regularizers.serialize(self.bias_regularizer),
            "activity_regularizer": regularizers.serialize(self.activity_regularizer),
            "depthwise_constraint": constraints.serialize(self.depthwise_constraint),
            "pointwise_constraint": constraints.serialize(self.pointwise_constraint),
            "bias_constraint": constraints.serialize(self.bias_constraint),
        }
