"""kerasx.ops functions whose Keras defaults come from global settings."""
from kerasx import config
from kerasx.backend import get_ops
from kerasx.ops.dispatch import convert_to_tensor


def zeros(shape, dtype=None):
    """Zeros of `shape`, dtype floatx by default."""
    return get_ops().zeros(tuple(shape), dtype or config.floatx())


def ones(shape, dtype=None):
    """Ones of `shape`, dtype floatx by default."""
    return get_ops().ones(tuple(shape), dtype or config.floatx())


def full(shape, fill_value, dtype=None):
    """`shape` filled with `fill_value`, dtype floatx by default."""
    return get_ops().full(tuple(shape), fill_value, dtype or config.floatx())


def arange(start, stop=None, step=1, dtype=None):
    """As numpy.arange; the dtype is int32 for int arguments, else floatx."""
    if dtype is None:
        values = [v for v in (start, stop, step) if v is not None]
        dtype = "int32" if all(isinstance(v, int) for v in values) else config.floatx()
    return get_ops().arange(start, stop, step, dtype)


def pad(x, pad_width, mode="constant", constant_values=None):
    """Constant padding (the only mode kerasx supports).

    Raises:
        ValueError: for any other mode.
    """
    if mode != "constant":
        raise ValueError(f"kerasx.ops.pad supports mode='constant' only; received {mode!r}.")
    return get_ops().pad(convert_to_tensor(x), pad_width, constant_values or 0)


def conv(inputs, kernel, strides=1, padding="valid", data_format=None, dilation_rate=1):
    """N-D convolution (1-D, 2-D or 3-D); see Backend.conv."""
    return get_ops().conv(convert_to_tensor(inputs), convert_to_tensor(kernel), strides,
                          padding, config.standardize_data_format(data_format),
                          dilation_rate)


def depthwise_conv(inputs, kernel, strides=1, padding="valid", data_format=None,
                   dilation_rate=1):
    """Depthwise convolution with a Keras kernel (*window, in, multiplier)."""
    ops = get_ops()
    kernel = convert_to_tensor(kernel)
    shape = ops.shape(kernel)
    grouped = ops.reshape(kernel, shape[:-2] + (1, shape[-2] * shape[-1]))
    return ops.conv(convert_to_tensor(inputs), grouped, strides, padding,
                    config.standardize_data_format(data_format), dilation_rate)


def conv_transpose(inputs, kernel, strides=1, padding="valid", output_padding=None,
                   data_format=None, dilation_rate=1):
    """Transposed convolution (1-D, 2-D or 3-D); see Backend.conv_transpose."""
    return get_ops().conv_transpose(
        convert_to_tensor(inputs), convert_to_tensor(kernel), strides, padding,
        output_padding, config.standardize_data_format(data_format), dilation_rate)


def max_pool(inputs, pool_size, strides=None, padding="valid", data_format=None):
    """Max pooling (1-D, 2-D or 3-D)."""
    return get_ops().max_pool(convert_to_tensor(inputs), pool_size, strides, padding,
                              config.standardize_data_format(data_format))


def average_pool(inputs, pool_size, strides=None, padding="valid", data_format=None):
    """Average pooling (1-D, 2-D or 3-D); "same" excludes padding from the count."""
    return get_ops().average_pool(convert_to_tensor(inputs), pool_size, strides, padding,
                                  config.standardize_data_format(data_format))


def adaptive_average_pool(inputs, output_size, data_format=None):
    """Average pooling to `output_size` (1-D, 2-D or 3-D); see
    Backend.adaptive_average_pool."""
    return get_ops().adaptive_average_pool(convert_to_tensor(inputs), output_size,
                                           config.standardize_data_format(data_format))


def adaptive_max_pool(inputs, output_size, data_format=None):
    """Max pooling to `output_size` (1-D, 2-D or 3-D); see
    Backend.adaptive_max_pool."""
    return get_ops().adaptive_max_pool(convert_to_tensor(inputs), output_size,
                                       config.standardize_data_format(data_format))


def einsum(subscripts, *operands, **kwargs):
    """Einstein summation over `operands` (numpy.einsum's notation); the
    operands are promoted to one dtype first, as Keras does. Keras's extra
    keywords (`optimize`) only choose a contraction order and are ignored."""
    from kerasx.ops.dispatch import result_type

    ops = get_ops()
    tensors = [convert_to_tensor(x) for x in operands]
    dtypes = {ops.dtype(t) for t in tensors}
    if len(dtypes) > 1:
        target = result_type(*dtypes)
        tensors = [t if ops.dtype(t) == target else ops.cast(t, target) for t in tensors]
    return ops.einsum(subscripts, *tensors)
