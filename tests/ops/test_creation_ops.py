"""The array-creation functions of kerasx.ops (kerasx.backend.contract_creation)
against Keras 3 (TensorFlow backend): values, shapes and dtypes."""
import numpy as np
import pytest

import kerasx
import kerasx.ops as xops

keras = pytest.importorskip("keras")


def _check(name, *args, rtol=1e-6, atol=0.0, **kwargs):
    want = getattr(keras.ops, name)(*args, **kwargs)
    got = getattr(xops, name)(*args, **kwargs)
    if isinstance(want, tuple):
        for g, w in zip(got, want):
            _same(xops.convert_to_numpy(g), keras.ops.convert_to_numpy(w), rtol, atol)
        return
    _same(xops.convert_to_numpy(got), keras.ops.convert_to_numpy(want), rtol, atol)


def _same(got, want, rtol, atol):
    assert got.dtype == want.dtype, (got.dtype, want.dtype)
    assert got.shape == want.shape, (got.shape, want.shape)
    np.testing.assert_allclose(got, want, rtol=rtol, atol=atol)


@pytest.mark.parametrize("args", [(3,), (3, 5), (4, 2), (3, 4, 1), (3, 4, -2), (2, 5, 7)])
@pytest.mark.parametrize("name", ["eye", "tri"])
def test_eye_and_tri(backend, name, args):
    if name == "eye" and args[2:] == (7,):
        # A diagonal past the last column: Keras on TensorFlow fails
        # ("Dimension -2 must be >= 0"); NumPy's zeros.
        got = xops.convert_to_numpy(xops.eye(*args))
        np.testing.assert_array_equal(got, np.eye(*args, dtype="float32"))
        assert got.dtype == np.float32
        return
    _check(name, *args)
    _check(name, *args, dtype="int32")
    _check(name, *args, dtype="bool")


def test_identity_empty_and_likes(backend):
    _check("identity", 3)
    _check("identity", 2, dtype="float64")
    _check("empty", (2, 3))
    _check("empty", (2,), dtype="int64")
    x = np.arange(6, dtype="int32").reshape(2, 3)
    _check("empty_like", x)
    _check("empty_like", x, dtype="float16")
    _check("full_like", x, 7)
    _check("full_like", x, 2.5, dtype="float64")
    _check("full_like", x.astype("float32"), np.array([1.0, 2.0, 3.0], "float32"))


def test_defaults_follow_floatx(backend):
    previous = kerasx.config.floatx()
    kerasx.config.set_floatx("float64")
    try:
        for value in (xops.eye(2), xops.tri(2), xops.empty((2,)), xops.hamming(4)):
            assert xops.dtype(value) == "float64"
    finally:
        kerasx.config.set_floatx(previous)


LINSPACE = [
    ((0, 1, 5), {}), ((0, 1, 5), {"endpoint": False}), ((2.0, -3.0, 7), {}),
    ((1, 10, 4), {"dtype": "int32"}), ((-1.0, 1.0, 1), {}), ((0.0, 1.0, 0), {}),
    ((0.5, 9.5, 6), {"dtype": "float64"}),
    ((np.array([0.0, 1.0]), np.array([1.0, 3.0]), 3), {"axis": 1}),
    ((np.array([0.0, 1.0], "float32"), np.array([1.0, 3.0], "float32"), 4), {}),
    ((np.zeros((2, 3), "float32"), np.ones((2, 3), "float32"), 3), {"axis": -1}),
    ((np.array(1, "int32"), 5, 3), {}),
]


@pytest.mark.parametrize("args,kwargs", LINSPACE, ids=[str(i) for i in range(len(LINSPACE))])
def test_linspace(backend, args, kwargs):
    _check("linspace", *args, **kwargs)


def test_linspace_retstep(backend):
    _check("linspace", 0.0, 2.0, 5, retstep=True)
    _check("linspace", 0.0, 2.0, 4, endpoint=False, retstep=True)
    with pytest.raises(ValueError, match="non-negative num"):
        xops.linspace(0.0, 1.0, -1)


@pytest.mark.parametrize("args,kwargs", [((0, 2, 3), {}), ((0.0, 3.0, 4), {"base": 2}),
                                         ((1.0, -1.0, 5), {"endpoint": False}),
                                         ((0, 2, 3), {"dtype": "float64"})])
def test_logspace(backend, args, kwargs):
    _check("logspace", *args, **kwargs)


@pytest.mark.parametrize("args,kwargs", [((1, 100, 3), {}), ((-1.0, -1000.0, 4), {}),
                                         ((2.0, 32.0, 5), {"endpoint": False}),
                                         ((1.0, 1e4, 5), {"dtype": "float64"})])
def test_geomspace(backend, args, kwargs):
    _check("geomspace", *args, rtol=1e-5, **kwargs)


@pytest.mark.parametrize("length", [0, 1, 2, 5, 8, 13])
@pytest.mark.parametrize("name", ["bartlett", "blackman", "hamming", "hanning"])
def test_windows(backend, name, length):
    # Keras computes in float32, kerasx in float64 then rounds: an ulp apart.
    _check(name, length, atol=3e-7)


@pytest.mark.parametrize("length", [1, 2, 5, 8])
@pytest.mark.parametrize("beta", [0.0, 5.0, 14.0])
def test_kaiser(backend, length, beta):
    _check("kaiser", length, beta, rtol=1e-6, atol=1e-7)


def test_window_length_must_be_a_natural_number(backend):
    with pytest.raises(ValueError, match="non-negative integer window length"):
        xops.hamming(2.5)
    with pytest.raises(ValueError, match="non-negative integer window length"):
        xops.kaiser(-1, 2.0)
