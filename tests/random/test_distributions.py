"""kerasx.random.gamma/beta/binomial/categorical: moments against the
distributions' formulas (and Keras 3's draws), and the same numbers on every
backend from one seed."""
import numpy as np
import pytest

import kerasx
from kerasx.backend import get_ops

N = 20000


def _np(x):
    return get_ops().to_numpy(x)


def test_gamma_moments_and_dtype(backend):
    x = _np(kerasx.random.gamma((N,), alpha=2.5, seed=3))
    assert x.dtype == np.float32 and x.shape == (N,)
    assert abs(x.mean() - 2.5) < 0.06 and abs(x.var() - 2.5) < 0.15
    import keras
    k = np.asarray(keras.random.gamma((N,), alpha=2.5, seed=3))
    assert abs(x.mean() - k.mean()) < 0.08


def test_beta_moments(backend):
    a, b = 2.0, 5.0
    x = _np(kerasx.random.beta((N,), a, b, seed=4, dtype="float64"))
    assert x.dtype == np.float64 and 0.0 <= x.min() and x.max() <= 1.0
    mean = a / (a + b)
    var = a * b / ((a + b) ** 2 * (a + b + 1))
    assert abs(x.mean() - mean) < 0.005 and abs(x.var() - var) < 0.002


def test_binomial_moments_and_arrays(backend):
    x = _np(kerasx.random.binomial((N,), counts=10, probabilities=0.3, seed=5))
    assert x.dtype == np.float32
    assert np.all(x == np.round(x)) and x.min() >= 0 and x.max() <= 10
    assert abs(x.mean() - 3.0) < 0.05 and abs(x.var() - 2.1) < 0.1
    y = _np(kerasx.random.binomial((2, 3), counts=[[0, 5, 5]] * 2,
                                    probabilities=[0.5, 0.0, 1.0], seed=1, dtype="int32"))
    np.testing.assert_array_equal(y, [[0, 0, 5], [0, 0, 5]])
    with pytest.raises(ValueError, match="probabilities"):
        kerasx.random.binomial((2,), 3, 1.5, seed=1)


def test_categorical_frequencies(backend):
    ops = get_ops()
    p = np.array([[0.1, 0.6, 0.3], [0.8, 0.1, 0.1]])
    logits = ops.convert_to_tensor(np.log(p).astype("float32"))
    s = _np(kerasx.random.categorical(logits, N, seed=6))
    assert s.shape == (2, N) and s.dtype == np.int32
    for row in range(2):
        freq = np.bincount(s[row], minlength=3) / N
        np.testing.assert_allclose(freq, p[row], atol=0.015)
    with pytest.raises(ValueError, match="2-D"):
        kerasx.random.categorical(ops.convert_to_tensor(np.zeros(3, "float32")), 2)


def test_seed_generator_advances(backend):
    gen = kerasx.random.SeedGenerator(7)
    a = _np(kerasx.random.gamma((5,), 1.0, seed=gen))
    b = _np(kerasx.random.gamma((5,), 1.0, seed=gen))
    assert not np.array_equal(a, b)
    again = _np(kerasx.random.gamma((5,), 1.0, seed=7))
    np.testing.assert_array_equal(again, a)


DRAWS = {
    "gamma": lambda: kerasx.random.gamma((4, 3), alpha=[0.5, 1.0, 3.0], seed=11),
    "beta": lambda: kerasx.random.beta((6,), 0.7, 1.3, seed=12),
    "binomial": lambda: kerasx.random.binomial((6,), 7, 0.4, seed=13),
    "categorical": lambda: kerasx.random.categorical(
        get_ops().convert_to_tensor(np.array([[0.0, 1.0, -1.0, 2.0]] * 3, "float32")), 8,
        seed=14),
}


@pytest.mark.parametrize("name", sorted(DRAWS))
def test_same_numbers_on_every_backend(name):
    import kerasx.backend as kb
    from tests.conftest import AVAILABLE_BACKENDS
    previous = kb.backend()
    results = {}
    try:
        for b in AVAILABLE_BACKENDS:
            kb.set_backend(b)
            results[b] = _np(DRAWS[name]())
    finally:
        kb.set_backend(previous)
    first = results[AVAILABLE_BACKENDS[0]]
    for b, value in results.items():
        assert value.dtype == first.dtype, b
        np.testing.assert_array_equal(value, first, err_msg=b)
