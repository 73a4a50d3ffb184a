"""Activation functions, as keras.activations."""
from kerasx.backend import get_ops
from kerasx.ops.dispatch import convert_to_tensor


def _t(x):
    return convert_to_tensor(x)


def relu(x, negative_slope=0.0, max_value=None, threshold=0.0):
    """max(x, threshold) with optional leak below the threshold and a cap."""
    ops, x = get_ops(), _t(x)
    if negative_slope == 0.0 and max_value is None and threshold == 0.0:
        return ops.relu(x)
    if threshold != 0.0:
        shifted = ops.subtract(x, threshold)
        out = ops.where(ops.greater(x, threshold), x, ops.multiply(shifted, negative_slope))
    else:
        out = ops.leaky_relu(x, negative_slope) if negative_slope else ops.relu(x)
    if max_value is not None:
        out = ops.minimum(out, float(max_value))
    return out


def relu6(x):
    return get_ops().relu6(_t(x))


def leaky_relu(x, negative_slope=0.2):
    return get_ops().leaky_relu(_t(x), negative_slope)


def elu(x, alpha=1.0):
    return get_ops().elu(_t(x), alpha)


def selu(x):
    return get_ops().selu(_t(x))


def gelu(x, approximate=False):
    """GELU; keras.activations.gelu defaults to the exact (erf) form."""
    return get_ops().gelu(_t(x), approximate)


def sigmoid(x):
    return get_ops().sigmoid(_t(x))


def hard_sigmoid(x):
    return get_ops().hard_sigmoid(_t(x))


def tanh(x):
    return get_ops().tanh(_t(x))


def softmax(x, axis=-1):
    return get_ops().softmax(_t(x), axis)


def log_softmax(x, axis=-1):
    return get_ops().log_softmax(_t(x), axis)


def softplus(x):
    return get_ops().softplus(_t(x))


def softsign(x):
    return get_ops().softsign(_t(x))


def silu(x):
    return get_ops().silu(_t(x))


swish = silu


def exponential(x):
    return get_ops().exponential(_t(x))


def linear(x):
    return x


def celu(x, alpha=1.0):
    """Continuously differentiable ELU: max(x, 0) + alpha * expm1(min(x, 0) / alpha)."""
    return get_ops().celu(_t(x), alpha)


def glu(x, axis=-1):
    """Gated linear unit: a * sigmoid(b), `x` halved into a, b along `axis`."""
    return get_ops().glu(_t(x), axis)


def hard_shrink(x, threshold=0.5):
    """x where |x| > threshold, else 0."""
    return get_ops().hard_shrink(_t(x), threshold)


def soft_shrink(x, threshold=0.5):
    """x shrunk towards 0 by `threshold`, 0 inside [-threshold, threshold]."""
    return get_ops().soft_shrink(_t(x), threshold)


def hard_silu(x):
    """x * hard_sigmoid(x) (hard swish)."""
    return get_ops().hard_silu(_t(x))


hard_swish = hard_silu


def hard_tanh(x):
    """x clipped to [-1, 1]."""
    return get_ops().hard_tanh(_t(x))


def log_sigmoid(x):
    """log(sigmoid(x)), computed stably."""
    return get_ops().log_sigmoid(_t(x))


def mish(x):
    """x * tanh(softplus(x)) (Misra, 2019)."""
    ops, x = get_ops(), _t(x)
    return ops.multiply(x, ops.tanh(ops.softplus(x)))


def sparse_plus(x):
    """0 below -1, (x + 1)^2 / 4 on (-1, 1), x above 1."""
    return get_ops().sparse_plus(_t(x))


def sparse_sigmoid(x):
    """0 below -1, (x + 1) / 2 on (-1, 1), 1 above 1."""
    return get_ops().sparse_sigmoid(_t(x))


def sparsemax(x, axis=-1):
    """Sparsemax: the projection of `x` onto the probability simplex along `axis`."""
    return get_ops().sparsemax(_t(x), axis)


def squareplus(x, b=4):
    """(x + sqrt(x^2 + b)) / 2."""
    return get_ops().squareplus(_t(x), b)


def tanh_shrink(x):
    """x - tanh(x)."""
    return get_ops().tanh_shrink(_t(x))


def threshold(x, threshold, default_value):
    """x where x > threshold, else `default_value`."""
    return get_ops().threshold(_t(x), threshold, default_value)


_FUNCTIONS = {f.__name__: f for f in (
    relu, relu6, leaky_relu, elu, selu, gelu, sigmoid, hard_sigmoid, tanh, softmax,
    log_softmax, softplus, softsign, silu, exponential, linear, celu, glu, hard_shrink,
    soft_shrink, hard_silu, hard_tanh, log_sigmoid, mish, sparse_plus, sparse_sigmoid,
    sparsemax, squareplus, tanh_shrink, threshold)}
_FUNCTIONS["swish"] = silu
_FUNCTIONS["hard_swish"] = hard_silu


def get(identifier):
    """The activation function for a name, a function or None (linear).

    Raises:
        ValueError: for an unknown name, listing the known ones.
    """
    if identifier is None:
        return linear
    if isinstance(identifier, str):
        if identifier not in _FUNCTIONS:
            raise ValueError(f"Unknown activation {identifier!r}. Known: "
                             f"{', '.join(sorted(_FUNCTIONS))}.")
        return _FUNCTIONS[identifier]
    if isinstance(identifier, dict):
        return get(identifier.get("config", {}).get("name") or identifier.get("class_name"))
    if callable(identifier):
        return identifier
    raise ValueError(f"Could not interpret activation identifier: {identifier!r}.")


def serialize(activation):
    """The Keras name of a built-in activation function.

    Raises:
        ValueError: for a function kerasx cannot name (a lambda, say).
    """
    for name, fn in _FUNCTIONS.items():
        if fn is activation:
            return {silu: "silu", hard_silu: "hard_silu"}.get(fn, name)
    from kerasx.saving.registry import get_registered_name
    name = get_registered_name(activation)
    if name == "<lambda>":
        raise ValueError("Cannot serialize a lambda activation; register a named "
                         "function with kerasx.saving.register_keras_serializable.")
    return name


def deserialize(config, custom_objects=None):
    if isinstance(config, str) and custom_objects and config in custom_objects:
        return custom_objects[config]
    return get(config)
