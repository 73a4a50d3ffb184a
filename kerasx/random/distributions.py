"""Gamma, beta, binomial and categorical draws from the portable generator
(keras.random.gamma/beta/binomial/categorical).

Parameters given as tensors are read back to the host once, so the draw
happens in NumPy and one seed gives the same numbers on every backend.
`categorical` keeps its logits on the device instead: it draws Gumbel noise
on the host and takes the argmax of logits + noise with backend ops (the
Gumbel-max trick), so it also works inside a compiled step.
"""
import numpy as np

from kerasx import config
from kerasx.backend import get_ops
from kerasx.random.host_draws import host_tensor
from kerasx.random.seed_generator import draw_generator


def _shape(shape):
    return tuple(int(d) for d in shape)


def _host_value(value, name):
    """A float64 NumPy array of a parameter given as a number, array or tensor."""
    ops = get_ops()
    if ops.is_tensor(value):
        value = ops.to_numpy(value)
    value = np.asarray(value, dtype="float64")
    if not np.all(np.isfinite(value)):
        raise ValueError(f"`{name}` must be finite; received {value!r}.")
    return value


def _broadcast(value, shape, name):
    try:
        return np.broadcast_to(value, shape)
    except ValueError:
        raise ValueError(f"`{name}` of shape {value.shape} does not broadcast to the "
                         f"requested shape {shape}.") from None


def gamma_array(shape, alpha, seed=None):
    """NumPy Gamma(alpha, 1) draws of `shape`."""
    shape = _shape(shape)
    alpha = _broadcast(_host_value(alpha, "alpha"), shape, "alpha")
    if np.any(alpha <= 0):
        raise ValueError(f"`alpha` must be positive; received {alpha!r}.")
    return draw_generator(seed).standard_gamma(alpha, shape)


def gamma(shape, alpha, dtype=None, seed=None):
    """A tensor of draws from the Gamma distribution with shape parameter
    `alpha` and scale 1.

    Args:
        shape: the output shape.
        alpha: the concentration, a float or array broadcastable to `shape`.
        dtype: a float dtype (default `floatx()`).
        seed: an int, a SeedGenerator, or None (the global generator).
    """
    return host_tensor(lambda: gamma_array(shape, alpha, seed), dtype or config.floatx())


def beta_array(shape, alpha, beta, seed=None):
    """NumPy Beta(alpha, beta) draws of `shape`: X / (X + Y) of two Gamma
    draws, X first then Y, from one generator."""
    shape = _shape(shape)
    alpha = _broadcast(_host_value(alpha, "alpha"), shape, "alpha")
    beta = _broadcast(_host_value(beta, "beta"), shape, "beta")
    if np.any(alpha <= 0) or np.any(beta <= 0):
        raise ValueError(f"`alpha` and `beta` must be positive; received alpha={alpha!r}, "
                         f"beta={beta!r}.")
    return draw_generator(seed).beta(alpha, beta, shape)


def beta(shape, alpha, beta, dtype=None, seed=None):
    """A tensor of draws from the Beta distribution (values in [0, 1]).

    Args:
        shape: the output shape.
        alpha, beta: the two concentrations, floats or arrays broadcastable
            to `shape`.
        dtype: a float dtype (default `floatx()`).
        seed: an int, a SeedGenerator, or None (the global generator).
    """
    alpha_value, beta_value = alpha, beta
    return host_tensor(lambda: beta_array(shape, alpha_value, beta_value, seed),
                       dtype or config.floatx())


def binomial_array(shape, counts, probabilities, seed=None):
    """NumPy Binomial(counts, probabilities) draws of `shape` (as floats)."""
    shape = _shape(shape)
    counts = _broadcast(_host_value(counts, "counts"), shape, "counts")
    probabilities = _broadcast(_host_value(probabilities, "probabilities"), shape,
                               "probabilities")
    if np.any(counts < 0) or np.any(counts != np.round(counts)):
        raise ValueError(f"`counts` must be non-negative whole numbers; received {counts!r}.")
    if np.any(probabilities < 0) or np.any(probabilities > 1):
        raise ValueError("`probabilities` must lie in [0, 1]; received "
                         f"{probabilities!r}.")
    return draw_generator(seed).binomial(counts.astype("int64"), probabilities,
                                         shape).astype("float64")


def binomial(shape, counts, probabilities, dtype=None, seed=None):
    """A tensor of draws from the Binomial distribution: the number of
    successes in `counts` trials of probability `probabilities`.

    Args:
        shape: the output shape.
        counts: the number of trials, broadcastable to `shape`.
        probabilities: the success probability, broadcastable to `shape`.
        dtype: the output dtype (default `floatx()`, as Keras).
        seed: an int, a SeedGenerator, or None (the global generator).
    """
    return host_tensor(lambda: binomial_array(shape, counts, probabilities, seed),
                       dtype or config.floatx())


def gumbel_array(shape, seed=None):
    """NumPy standard Gumbel draws, -log(-log(u)) with u in (0, 1)."""
    u = draw_generator(seed).random(_shape(shape))
    tiny = np.finfo("float64").tiny
    return -np.log(-np.log(np.clip(u, tiny, 1.0 - 1e-16)))


def categorical(logits, num_samples, dtype="int32", seed=None):
    """Class indices drawn from the categorical distributions whose
    unnormalised log-probabilities are the rows of `logits`.

    Args:
        logits: a 2D tensor (batch_size, num_classes).
        num_samples: how many samples per row.
        dtype: an integer dtype (default "int32").
        seed: an int, a SeedGenerator, or None (the global generator).

    Returns:
        An integer tensor of shape (batch_size, num_samples).

    Raises:
        ValueError: when `logits` is not 2D.
    """
    ops = get_ops()
    logits = ops.convert_to_tensor(logits)
    shape = ops.shape(logits)
    if len(shape) != 2:
        raise ValueError("`logits` should be a 2-D tensor with shape "
                         f"[batch_size, num_classes]. Received: logits={logits}")
    batch, classes = shape
    num_samples = int(num_samples)
    dtype_name = ops.dtype(logits)
    if not dtype_name.startswith("float") and dtype_name != "bfloat16":
        logits = ops.cast(logits, config.floatx())
        dtype_name = config.floatx()
    noise = host_tensor(lambda: gumbel_array((batch, num_samples, classes), seed),
                        dtype_name)
    scores = ops.add(ops.expand_dims(logits, 1), noise)
    return ops.cast(ops.argmax(scores, axis=-1), dtype)
