"""Random tensors drawn on the host from the portable generator."""
import numpy as np

from kerasx import config
from kerasx.backend import get_ops
from kerasx.random.host_draws import host_tensor
from kerasx.random.seed_generator import draw_generator


def _shape(shape):
    return tuple(int(d) for d in shape)


def normal_array(shape, mean=0.0, stddev=1.0, seed=None):
    return draw_generator(seed).normal(mean, stddev, _shape(shape))


def uniform_array(shape, minval=0.0, maxval=1.0, seed=None):
    return draw_generator(seed).uniform(minval, maxval, _shape(shape))


def truncated_normal_array(shape, mean=0.0, stddev=1.0, seed=None):
    """Normal draws redrawn until within two standard deviations (as Keras)."""
    gen = draw_generator(seed)
    out = gen.standard_normal(_shape(shape))
    bad = np.abs(out) > 2.0
    while bad.any():
        out[bad] = gen.standard_normal(int(bad.sum()))
        bad = np.abs(out) > 2.0
    return out * stddev + mean


def normal(shape, mean=0.0, stddev=1.0, dtype=None, seed=None):
    """A tensor of normal draws."""
    return host_tensor(lambda: normal_array(shape, mean, stddev, seed),
                       dtype or config.floatx())


def uniform(shape, minval=0.0, maxval=1.0, dtype=None, seed=None):
    """A tensor of uniform draws in [minval, maxval)."""
    return host_tensor(lambda: uniform_array(shape, minval, maxval, seed),
                       dtype or config.floatx())


def truncated_normal(shape, mean=0.0, stddev=1.0, dtype=None, seed=None):
    """A tensor of normal draws truncated at two standard deviations."""
    return host_tensor(lambda: truncated_normal_array(shape, mean, stddev, seed),
                       dtype or config.floatx())


def randint(shape, minval, maxval, dtype="int32", seed=None):
    """A tensor of integers drawn uniformly from [minval, maxval)."""
    return host_tensor(lambda: draw_generator(seed).integers(minval, maxval, _shape(shape)),
                       dtype)


def dropout_mask(shape, rate, seed=None):
    """A bool NumPy mask that keeps each element with probability 1 - rate."""
    return draw_generator(seed).random(_shape(shape)) >= rate


def dropout(inputs, rate, noise_shape=None, seed=None):
    """Inverted dropout of `inputs` with a mask from the portable generator."""
    ops = get_ops()
    shape = ops.shape(inputs) if noise_shape is None else tuple(
        s if n is None else n for s, n in zip(ops.shape(inputs), noise_shape))
    mask = host_tensor(lambda: dropout_mask(shape, rate, seed))
    if shape != ops.shape(inputs):
        mask = ops.broadcast_to(mask, ops.shape(inputs))
    return ops.dropout(inputs, mask, rate)


def shuffle(x, axis=0, seed=None):
    """`x` with its entries permuted along `axis`."""
    ops = get_ops()
    n = ops.shape(x)[axis]
    order = host_tensor(lambda: draw_generator(seed).permutation(n).astype("int32"))
    return ops.take(x, order, axis=axis)
