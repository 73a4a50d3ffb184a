"""BaseConv: the N-D convolution layer shared by Conv1D, Conv2D and Conv3D, and the
argument checks every convolution and pooling layer uses."""
from kerasx import activations, config, constraints, initializers, regularizers
from kerasx.backend import conv_utils, get_ops
from kerasx.layers.input_spec import InputSpec
from kerasx.layers.layer import Layer


def standardize_tuple(value, n, name, allow_zero=False):
    """`value` (an int or an iterable of `n` ints) as a tuple of `n` ints.

    Raises:
        ValueError: for a wrong length, a non-integer, or a value below 1
            (below 0 with `allow_zero`), quoting what was received.
    """
    message = f"The `{name}` argument must be an int or a tuple of {n} integers"
    message += " >= 0" if allow_zero else " > 0"
    if isinstance(value, bool):
        raise ValueError(f"{message}. Received {name}={value!r}.")
    if _is_int(value):
        result = (int(value),) * n
    else:
        try:
            result = tuple(value)
        except TypeError:
            raise ValueError(f"{message}. Received {name}={value!r}.") from None
        if len(result) != n or not all(_is_int(v) for v in result):
            raise ValueError(f"{message}. Received {name}={value!r}.")
        result = tuple(int(v) for v in result)
    lowest = 0 if allow_zero else 1
    if any(v < lowest for v in result):
        raise ValueError(f"{message}. Received {name}={value!r}.")
    return result


def _is_int(value):
    return not isinstance(value, bool) and hasattr(value, "__index__")


def standardize_padding(value, allow_causal=False):
    """'valid', 'same' (or 'causal' where allowed), case-insensitive.

    Raises:
        ValueError: for anything else, quoting the value received.
    """
    allowed = ("valid", "same", "causal") if allow_causal else ("valid", "same")
    padding = value.lower() if isinstance(value, str) else value
    if padding not in allowed:
        raise ValueError(f"The `padding` argument must be one of {allowed}. "
                         f"Received: padding={value!r}.")
    return padding


def check_positive_int(value, name):
    """Raise ValueError unless `value` is a positive int."""
    if isinstance(value, bool) or not isinstance(value, int) or value <= 0:
        raise ValueError(f"Invalid value for argument `{name}`. Expected a strictly "
                         f"positive integer. Received {name}={value!r}.")


def set_kernel_and_bias(layer, activation, use_bias, kernel_initializer, bias_initializer,
                        kernel_regularizer, bias_regularizer, kernel_constraint,
                        bias_constraint):
    """Resolve and set the activation and the kernel/bias arguments every
    convolution shares (names or objects, as Keras accepts them)."""
    layer.activation = activations.get(activation)
    layer.use_bias = use_bias
    layer.kernel_initializer = initializers.get(kernel_initializer)
    layer.bias_initializer = initializers.get(bias_initializer)
    layer.kernel_regularizer = regularizers.get(kernel_regularizer)
    layer.bias_regularizer = regularizers.get(bias_regularizer)
    layer.kernel_constraint = constraints.get(kernel_constraint)
    layer.bias_constraint = constraints.get(bias_constraint)


def set_window(layer, rank, kernel_size, strides, dilation_rate, padding, data_format,
               allow_causal=False):
    """Validate and set the window arguments every convolution shares:
    rank, kernel_size, strides, dilation_rate, padding and data_format.

    Raises:
        ValueError: for a malformed argument, or strides > 1 together with
            dilation_rate > 1 (as Keras).
    """
    layer.rank = rank
    layer.kernel_size = standardize_tuple(kernel_size, rank, "kernel_size")
    layer.strides = standardize_tuple(strides, rank, "strides")
    layer.dilation_rate = standardize_tuple(dilation_rate, rank, "dilation_rate")
    layer.padding = standardize_padding(padding, allow_causal=allow_causal)
    layer.data_format = config.standardize_data_format(data_format)
    if max(layer.strides) > 1 and max(layer.dilation_rate) > 1:
        raise ValueError(
            "`strides > 1` is not supported together with `dilation_rate > 1`. "
            f"Received: strides={layer.strides}, dilation_rate={layer.dilation_rate}.")


def spatial_axes(rank, data_format):
    """Indices of the spatial axes of a rank-`rank` input (batch axis 0)."""
    start = 1 if data_format == "channels_last" else 2
    return tuple(range(start, start + rank))


def channel_axis(data_format):
    return -1 if data_format == "channels_last" else 1


def input_channels(layer_name, input_shape, rank, data_format):
    """The channel count of `input_shape`, checked to be known.

    Raises:
        ValueError: for a wrong rank or an undefined channel axis.
    """
    input_shape = tuple(input_shape)
    if len(input_shape) != rank + 2:
        layout = "spatial..., channels" if data_format == "channels_last" \
            else "channels, spatial..."
        raise ValueError(
            f"Layer {layer_name!r} expects inputs of rank {rank + 2} (batch, {layout}), "
            f"but received an input of shape {input_shape}.")
    channels = input_shape[channel_axis(data_format)]
    if channels is None:
        raise ValueError(
            f"Layer {layer_name!r}: the channel dimension of the inputs must be "
            f"defined (data_format={data_format!r}). Received input shape "
            f"{input_shape}.")
    return channels


def conv_output_shape(layer_name, input_shape, channels_out, kernel_size, strides,
                      padding, data_format, dilation_rate):
    """Output shape of a convolution (or pooling with channels_out None,
    which keeps the input's channel count), None axes staying None.

    Raises:
        ValueError: when a spatial output would be empty.
    """
    input_shape = tuple(input_shape)
    rank = len(kernel_size)
    if len(input_shape) != rank + 2:
        raise ValueError(f"Layer {layer_name!r} expects inputs of rank {rank + 2}, "
                         f"but received input shape {input_shape}.")
    axes = spatial_axes(rank, data_format)
    out = list(input_shape)
    for i, axis in enumerate(axes):
        length = input_shape[axis]
        if length is None:
            continue
        size = conv_utils.output_length(length, kernel_size[i], strides[i], padding,
                                        dilation_rate[i])
        if size <= 0:
            raise ValueError(
                f"Layer {layer_name!r}: the computed output size would be zero or "
                f"negative. Received input shape {input_shape}, window "
                f"{tuple(kernel_size)}, strides={tuple(strides)}, "
                f"dilation_rate={tuple(dilation_rate)}, padding={padding!r}.")
        out[axis] = size
    if channels_out is not None:
        out[channel_axis(data_format)] = channels_out
    return tuple(out)


def add_bias(outputs, bias, rank, data_format):
    """outputs + bias along the channel axis."""
    ops = get_ops()
    if data_format == "channels_first":
        bias = ops.reshape(bias, (1, ops.shape(bias)[0]) + (1,) * rank)
    return ops.add(outputs, bias)


class BaseConv(Layer):
    """N-D convolution layer (rank 1, 2 or 3), as Keras's BaseConv.

    Kernel shape (*kernel_size, in_channels // groups, filters), bias
    (filters,); weights in that order.

    Raises:
        ValueError: for a non-positive `filters` or `groups`, `filters` not
            divisible by `groups`, bad tuples, an unknown padding, strides > 1
            together with dilation_rate > 1; at build, input channels not
            divisible by `groups` or an undefined channel axis.
    """

    def __init__(self, rank, filters, kernel_size, strides=1, padding="valid",
                 data_format=None, dilation_rate=1, groups=1, activation=None,
                 use_bias=True, kernel_initializer="glorot_uniform",
                 bias_initializer="zeros", kernel_regularizer=None, bias_regularizer=None,
                 activity_regularizer=None, kernel_constraint=None, bias_constraint=None,
                 **kwargs):
        super().__init__(activity_regularizer=activity_regularizer, **kwargs)
        check_positive_int(filters, "filters")
        check_positive_int(groups, "groups")
        if filters % groups:
            raise ValueError(
                "The number of filters must be evenly divisible by the number of "
                f"groups. Received: groups={groups}, filters={filters}.")
        self.filters = filters
        self.groups = groups
        set_window(self, rank, kernel_size, strides, dilation_rate, padding, data_format,
                   allow_causal=rank == 1)
        set_kernel_and_bias(self, activation, use_bias, kernel_initializer,
                            bias_initializer, kernel_regularizer, bias_regularizer,
                            kernel_constraint, bias_constraint)
        self.input_spec = InputSpec(ndim=rank + 2)

    def build(self, input_shape):
        channels = input_channels(self.name, input_shape, self.rank, self.data_format)
        if channels % self.groups:
            raise ValueError(
                "The number of input channels must be evenly divisible by the "
                f"number of groups. Received groups={self.groups}, but the input "
                f"has {channels} channels (full input shape {tuple(input_shape)}).")
        self.compute_output_shape(input_shape)  # fails early on empty outputs
        self.kernel = self.add_weight(
            shape=self.kernel_size + (channels // self.groups, self.filters),
            initializer=self.kernel_initializer, regularizer=self.kernel_regularizer,
            constraint=self.kernel_constraint, name="kernel")
        self.bias = self.add_weight(
            shape=(self.filters,), initializer=self.bias_initializer,
            regularizer=self.bias_regularizer, constraint=self.bias_constraint,
            name="bias") if self.use_bias else None
        self.input_spec = InputSpec(ndim=self.rank + 2,
                                    axes={channel_axis(self.data_format): channels})
        self.built = True

    def _causal_pad(self, inputs):
        left = self.dilation_rate[0] * (self.kernel_size[0] - 1)
        widths = ((0, 0), (left, 0), (0, 0)) if self.data_format == "channels_last" \
            else ((0, 0), (0, 0), (left, 0))
        return get_ops().pad(inputs, widths)

    def call(self, inputs):
        ops = get_ops()
        padding = self.padding
        if padding == "causal":
            inputs, padding = self._causal_pad(inputs), "valid"
        outputs = ops.conv(inputs, self.kernel.value, self.strides, padding,
                           self.data_format, self.dilation_rate)
        if self.bias is not None:
            outputs = add_bias(outputs, self.bias.value, self.rank, self.data_format)
        return self.activation(outputs)

    def compute_output_shape(self, input_shape):
        input_shape = tuple(input_shape)
        padding = self.padding
        if padding == "causal":
            if len(input_shape) != self.rank + 2:
                raise ValueError(f"Layer {self.name!r} expects inputs of rank "
                                 f"{self.rank + 2}; received input shape {input_shape}.")
            axis = spatial_axes(1, self.data_format)[0]
            left = self.dilation_rate[0] * (self.kernel_size[0] - 1)
            if input_shape[axis] is not None:
                input_shape = input_shape[:axis] + (input_shape[axis] + left,) + \
                    input_shape[axis + 1:]
            padding = "valid"
        return conv_output_shape(self.name, input_shape, self.filters, self.kernel_size,
                                 self.strides, padding, self.data_format,
                                 self.dilation_rate)

    def get_config(self):
        return {
            **super().get_config(),
            "filters": self.filters,
            "kernel_size": self.kernel_size,
            "strides": self.strides,
            "padding": self.padding,
            "data_format": self.data_format,
            "dilation_rate": self.dilation_rate,
            "groups": self.groups,
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
