"""kerasx.ops functions of contract_nn.py whose Keras defaults come from
global settings (data_format, epsilon, floatx)."""
import warnings

from kerasx import config
from kerasx.backend import get_ops
from kerasx.ops.dispatch import convert_to_tensor


def _optional(x):
    return None if x is None else convert_to_tensor(x)


def separable_conv(inputs, depthwise_kernel, pointwise_kernel, strides=1, padding="valid",
                   data_format=None, dilation_rate=1):
    """Depthwise then pointwise convolution; see Backend.separable_conv."""
    return get_ops().separable_conv(
        convert_to_tensor(inputs), convert_to_tensor(depthwise_kernel),
        convert_to_tensor(pointwise_kernel), strides, padding,
        config.standardize_data_format(data_format), dilation_rate)


def normalize(x, axis=-1, order=2, epsilon=None):
    """x over its `order`-norm along `axis`; epsilon keras.config.epsilon()
    by default. See Backend.normalize."""
    return get_ops().normalize(convert_to_tensor(x), axis, order,
                               config.epsilon() if epsilon is None else epsilon)


def layer_normalization(x, gamma=None, beta=None, axis=-1, epsilon=None, **kwargs):
    """Layer normalisation over `axis`; epsilon keras.config.epsilon() by
    default. See Backend.layer_normalization.

    Keras's deprecated `rms_scaling=True` is kept with its meaning:
    x * rsqrt(var(x) + epsilon) * gamma, with a warning.

    Raises:
        TypeError: an unknown keyword argument.
    """
    rms_scaling = kwargs.pop("rms_scaling", False)
    if kwargs:
        raise TypeError(f"layer_normalization got unexpected arguments {sorted(kwargs)}.")
    ops = get_ops()
    x = convert_to_tensor(x)
    epsilon = config.epsilon() if epsilon is None else epsilon
    if rms_scaling:
        warnings.warn("You passed `rms_scaling=True`, which is deprecated (as in Keras): it "
                      "scales by the variance, not the root mean square. Use "
                      "keras.ops.rms_normalization for RMS normalisation.", stacklevel=2)
        axes = (axis,) if isinstance(axis, int) else tuple(axis)
        out = ops.multiply(x, ops.rsqrt(ops.add(ops.var(x, axis=axes, keepdims=True),
                                                 epsilon)))
        if gamma is None:
            return out
        rank = ops.ndim(x)
        kept = {a % rank for a in axes}
        shape = tuple(ops.shape(x)[i] if i in kept else 1 for i in range(rank))
        return ops.multiply(out, ops.reshape(convert_to_tensor(gamma), shape))
    return ops.layer_normalization(x, _optional(gamma), _optional(beta), axis, epsilon)


def rms_normalization(x, scale=None, axis=-1, epsilon=None):
    """RMS normalisation over `axis`; epsilon keras.config.epsilon() by
    default. See Backend.rms_normalization."""
    return get_ops().rms_normalization(convert_to_tensor(x), _optional(scale), axis,
                                       config.epsilon() if epsilon is None else epsilon)


def multi_hot(inputs, num_classes=None, axis=-1, dtype=None, sparse=False, **kwargs):
    """Multi-hot encoding, dtype floatx by default; see Backend.multi_hot."""
    num_classes = kwargs.pop("num_tokens", num_classes)  # Keras's older name
    if kwargs:
        raise TypeError(f"multi_hot got unexpected arguments {sorted(kwargs)}.")
    return get_ops().multi_hot(convert_to_tensor(inputs), num_classes, axis,
                               dtype or config.floatx(), sparse)
