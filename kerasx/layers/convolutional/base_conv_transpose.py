"""BaseConvTranspose: the N-D transposed convolution layer behind
Conv1DTranspose, Conv2DTranspose and Conv3DTranspose."""
from kerasx import activations, constraints, initializers, regularizers
from kerasx.backend import conv_utils, get_ops
from kerasx.layers.convolutional.base_conv import (
    add_bias,
    channel_axis,
    check_positive_int,
    input_channels,
    set_kernel_and_bias,
    set_window,
    spatial_axes,
    standardize_tuple,
)
from kerasx.layers.input_spec import InputSpec
from kerasx.layers.layer import Layer


class BaseConvTranspose(Layer):
    """Transposed convolution (the gradient of a convolution w.r.t. its
    input), as Keras's BaseConvTranspose.

    Kernel shape (*kernel_size, filters, in_channels) (Keras layout), bias
    (filters,); weights in that order. Output length per spatial axis, as
    Keras: without output_padding, n * stride for "same" and
    n * stride + max(k - stride, 0) for "valid" (k the dilated window); with
    it, (n - 1) * stride + k - 2 * pad + output_padding, pad = k // 2 for
    "same" and 0 for "valid".

    Raises:
        ValueError: for a non-positive `filters`, bad tuples, an unknown
            padding, output_padding >= strides, strides > 1 together with
            dilation_rate > 1; at build, an undefined channel axis.
    """

    def __init__(self, rank, filters, kernel_size, strides=1, padding="valid",
                 output_padding=None, data_format=None, dilation_rate=1,
                 activation=None, use_bias=True, kernel_initializer="glorot_uniform",
                 bias_initializer="zeros", kernel_regularizer=None, bias_regularizer=None,
                 activity_regularizer=None, kernel_constraint=None, bias_constraint=None,
                 **kwargs):
        super().__init__(activity_regularizer=activity_regularizer, **kwargs)
        check_positive_int(filters, "filters")
        self.filters = filters
        set_window(self, rank, kernel_size, strides, dilation_rate, padding, data_format)
        self.output_padding = None if output_padding is None else standardize_tuple(
            output_padding, rank, "output_padding", allow_zero=True)
        if self.output_padding is not None:
            for i, (pad, stride) in enumerate(zip(self.output_padding, self.strides)):
                if pad >= stride:
                    raise ValueError(
                        "Each value of `output_padding` must be strictly less than "
                        f"the corresponding value of `strides`; at index {i} "
                        f"output_padding is {pad} and strides is {stride}. Received: "
                        f"output_padding={self.output_padding}, strides={self.strides}.")
        set_kernel_and_bias(self, activation, use_bias, kernel_initializer,
                            bias_initializer, kernel_regularizer, bias_regularizer,
                            kernel_constraint, bias_constraint)
        self.input_spec = InputSpec(ndim=rank + 2)

    def build(self, input_shape):
        channels = input_channels(self.name, input_shape, self.rank, self.data_format)
        self.kernel = self.add_weight(
            shape=self.kernel_size + (self.filters, channels),
            initializer=self.kernel_initializer, regularizer=self.kernel_regularizer,
            constraint=self.kernel_constraint, name="kernel")
        self.bias = self.add_weight(
            shape=(self.filters,), initializer=self.bias_initializer,
            regularizer=self.bias_regularizer, constraint=self.bias_constraint,
            name="bias") if self.use_bias else None
        self.input_spec = InputSpec(ndim=self.rank + 2,
                                    axes={channel_axis(self.data_format): channels})
        self.built = True

    def call(self, inputs):
        outputs = get_ops().conv_transpose(
            inputs, self.kernel.value, self.strides, self.padding, self.output_padding,
            self.data_format, self.dilation_rate)
        if self.bias is not None:
            outputs = add_bias(outputs, self.bias.value, self.rank, self.data_format)
        return self.activation(outputs)

    def compute_output_shape(self, input_shape):
        input_shape = tuple(input_shape)
        if len(input_shape) != self.rank + 2:
            raise ValueError(f"Layer {self.name!r} expects inputs of rank "
                             f"{self.rank + 2}, but received input shape {input_shape}.")
        out = list(input_shape)
        pads = self.output_padding or (None,) * self.rank
        for i, axis in enumerate(spatial_axes(self.rank, self.data_format)):
            if input_shape[axis] is not None:
                out[axis] = conv_utils.transpose_output_length(
                    input_shape[axis], self.kernel_size[i], self.strides[i],
                    self.padding, pads[i], self.dilation_rate[i])
        out[channel_axis(self.data_format)] = self.filters
        return tuple(out)

    def get_config(self):
        return {
            **super().get_config(),
            "filters": self.filters,
            "kernel_size": self.kernel_size,
            "strides": self.strides,
            "padding": self.padding,
            "output_padding": self.output_padding,
            "data_format": self.data_format,
            "dilation_rate": self.dilation_rate,
            "activation": activations.serialize(self.activation),
            "use_bias": self.use_bias,
            "kernel_initializer": initializers.serialize(self.kernel_initializer),
            "bias_initializer": initializers.serialize(self.bias_initializer),
            "kernel_regularizer": regularizers.serialize(self.kernel_regularizer),
            "bias_regularizer": regularizers.serialize(self.bias_regularizer),
            "activity_regularizer": regularizers.serialize(self.activity_regularizer),
            "kernel_constraint": constraints.serialize(self.kernel_constraint),
            "bias_constraint": constraints.serialize(self.bias_constraint),
        }
