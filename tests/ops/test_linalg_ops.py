"""keras.ops.linalg against Keras 3 (TF backend) on every kerasx backend:
values in float32 and float64, gradients, shapes, and the argument errors."""
import numpy as np
import pytest
import scipy.linalg as sl

import kerasx as keras
from kerasx.ops.gradients import value_and_grad

RNG = np.random.default_rng(5)
A = (RNG.standard_normal((3, 3)) + 4 * np.eye(3)).astype("float32")
AB = np.stack([A, (RNG.standard_normal((3, 3)) + 4 * np.eye(3)).astype("float32")])
SPD = (A @ A.T + np.eye(3)).astype("float32")
TALL = RNG.standard_normal((5, 3)).astype("float32")
WIDE = RNG.standard_normal((2, 3, 4)).astype("float32")
B = RNG.standard_normal((3, 2)).astype("float32")


def _np(x):
    return keras.ops.convert_to_numpy(x)


def _ref():
    import keras as ref

    return ref.ops


def _close(got, want, dtype="float32"):
    tol = dict(rtol=1e-5, atol=2e-5) if dtype == "float32" else dict(rtol=1e-10, atol=1e-10)
    got, want = np.asarray(got), np.asarray(want)
    assert got.shape == want.shape
    np.testing.assert_allclose(got, want, **tol)


def _signed(vectors, axis=-2):
    # Singular/eigen vectors are unique up to sign: largest entry positive.
    index = np.expand_dims(np.argmax(np.abs(vectors), axis=axis), axis)
    return vectors * np.sign(np.take_along_axis(vectors, index, axis=axis))


CALLS = [
    ("cholesky", (SPD,), {}), ("cholesky", (SPD,), {"upper": True}),
    ("cholesky_inverse", (np.linalg.cholesky(SPD),), {}),
    ("cholesky_inverse", (np.linalg.cholesky(SPD).T,), {"upper": True}),
    ("det", (A,), {}), ("det", (AB,), {}), ("inv", (AB,), {}),
    ("solve", (A, B), {}), ("solve", (AB, B[:, 0][None].repeat(2, 0)), {}),
    ("solve_triangular", (A, B), {}), ("solve_triangular", (A, B), {"lower": True}),
    ("pinv", (TALL,), {}), ("pinv", (WIDE,), {}), ("lstsq", (TALL, TALL[:, :2] + 1), {}),
    ("lstsq", (TALL, TALL[:, 0] * 2 - 1), {}), ("matrix_rank", (TALL,), {}),
    ("matrix_rank", (np.outer(TALL[:, 0], TALL[:, 1]),), {}),
    ("svd", (TALL,), {"compute_uv": False}), ("svd", (WIDE,), {"compute_uv": False}),
    ("norm", (TALL,), {}), ("norm", (WIDE,), {"axis": -1}),
    ("norm", (WIDE,), {"ord": 1, "axis": 1, "keepdims": True}),
    ("norm", (WIDE,), {"ord": np.inf, "axis": 2}), ("norm", (WIDE,), {"ord": 0, "axis": 2}),
    ("norm", (WIDE,), {"ord": 3, "axis": 2}),
] + [("norm", (WIDE,), {"ord": o, "axis": (1, 2)})
     for o in ("fro", "nuc", 1, -1, 2, -2, np.inf, -np.inf)]


@pytest.mark.parametrize("dtype", ["float32", "float64"])
@pytest.mark.parametrize("name,args,kwargs", CALLS,
                         ids=[f"{n}-{i}" for i, (n, _, _) in enumerate(CALLS)])
def test_values_match_keras(backend, name, args, kwargs, dtype):
    args = tuple(np.asarray(a, dtype) for a in args)
    want = getattr(_ref(), name)(*args, **kwargs)
    got = getattr(keras.ops, name)(*args, **kwargs)
    want = np.asarray(want)
    got = _np(got)
    if name == "matrix_rank":
        np.testing.assert_array_equal(got, want)
        assert got.dtype == np.int32
        return
    assert got.dtype == want.dtype == np.dtype(dtype)
    _close(got, want, dtype)


@pytest.mark.parametrize("x", [TALL, WIDE, A], ids=["tall", "wide batched", "square"])
@pytest.mark.parametrize("full_matrices", [True, False])
def test_svd_matches_keras_up_to_signs(backend, x, full_matrices):
    u, s, vh = keras.ops.svd(x, full_matrices=full_matrices)
    ru, rs, rvh = (np.asarray(t) for t in _ref().svd(x, full_matrices=full_matrices))
    u, s, vh = _np(u), _np(s), _np(vh)
    assert u.shape == ru.shape and vh.shape == rvh.shape
    _close(s, rs)
    k = s.shape[-1]
    # The first k singular vectors are determined up to sign; the completed
    # rest of a full basis only up to rotation: check it is orthonormal.
    _close(_signed(u[..., :k]), _signed(ru[..., :k]))
    _close(_signed(vh[..., :k, :], axis=-1), _signed(rvh[..., :k, :], axis=-1))
    eye_u = np.broadcast_to(np.eye(u.shape[-1]), u.shape[:-2] + (u.shape[-1],) * 2)
    _close(np.swapaxes(u, -1, -2) @ u, eye_u)
    _close((u[..., :k] * s[..., None, :]) @ vh[..., :k, :], x)


@pytest.mark.parametrize("x", [TALL, WIDE, A], ids=["tall", "wide batched", "square"])
@pytest.mark.parametrize("mode", ["reduced", "complete"])
def test_qr_matches_keras(backend, x, mode):
    q, r = keras.ops.qr(x, mode=mode)
    rq, rr = (np.asarray(t) for t in _ref().qr(x, mode=mode))
    _close(_np(r), rr)
    _close(_np(q), rq)


def test_eigh_matches_keras_up_to_signs(backend):
    sym = np.stack([A + A.T, np.diag([2.0, -1.0, 0.5]).astype("float32")])
    w, v = keras.ops.eigh(sym)
    rw, rv = (np.asarray(t) for t in _ref().eigh(sym))
    _close(_np(w), rw)
    _close(_signed(_np(v)), _signed(rv))


def test_lu_factor_is_scipys(backend):
    # Keras 3.15's TF backend returns a permutation; its other backends and
    # kerasx return LAPACK's pivots, as scipy.
    for x in (A, np.array([[1.0, 2.0, 0.0], [4.0, 1.0, 3.0], [-6.0, 0.5, 1.0]], "float32")):
        lu, pivots = keras.ops.lu_factor(x)
        want_lu, want_pivots = sl.lu_factor(x.astype("float64"))
        _close(_np(lu), want_lu)
        np.testing.assert_array_equal(_np(pivots), want_pivots)
        assert _np(pivots).dtype == np.int32
    lu, pivots = keras.ops.lu_factor(AB)
    assert _np(lu).shape == (2, 3, 3) and _np(pivots).shape == (2, 3)
    _close(_np(lu)[1], sl.lu_factor(AB[1].astype("float64"))[0])


def _keras_gradient(fn, x):
    import tensorflow as tf

    xt = tf.constant(x)
    with tf.GradientTape() as tape:
        tape.watch(xt)
        y = fn(_ref(), xt)
    return np.asarray(tape.gradient(y, xt))


def _kerasx_gradient(fn, x):
    v = keras.Variable(x)
    _, (grad,) = value_and_grad(lambda: fn(keras.ops, v.value), [v.native])
    return _np(grad)


W9 = np.arange(9.0, dtype="float32").reshape(3, 3)
W3 = np.array([3.0, 1.0, -1.0], "float32")

GRADIENTS = {
    # Symmetric positive-definite arguments built from a free matrix, so that
    # the frameworks' conventions for a symmetric input's gradient agree.
    "cholesky": lambda o, x: o.sum(o.multiply(
        o.cholesky(o.add(o.matmul(x, o.transpose(x)), 3.0)), W9)),
    "eigh": lambda o, x: o.sum(o.multiply(o.eigh(o.matmul(x, o.transpose(x)))[0], W3)),
    # v_ij^2 does not depend on each eigenvector's sign.
    "eigh vectors": lambda o, x: o.sum(o.multiply(
        o.square(o.eigh(o.matmul(x, o.transpose(x)))[1]), W9)),
    "det": lambda o, x: o.det(x),
    "inv": lambda o, x: o.sum(o.multiply(o.inv(x), W9)),
    "solve": lambda o, x: o.sum(o.square(o.solve(x, B))),
    "solve_triangular": lambda o, x: o.sum(o.square(o.solve_triangular(x, B, lower=True))),
    "svd": lambda o, x: o.sum(o.multiply(o.svd(x, compute_uv=False), W3)),
    "qr": lambda o, x: o.sum(o.power(o.qr(o.concatenate([x, x], axis=0))[1], 3.0)),
    "pinv": lambda o, x: o.sum(o.square(o.pinv(x))),
    "norm": lambda o, x: o.norm(x, ord="nuc"),
}


@pytest.mark.parametrize("name", sorted(GRADIENTS))
def test_gradients_match_keras(backend, name):
    fn = GRADIENTS[name]
    want = _keras_gradient(fn, A)
    got = _kerasx_gradient(fn, A)
    np.testing.assert_allclose(got, want, rtol=1e-4, atol=1e-5)


def test_bad_arguments_are_clear_errors(backend):
    with pytest.raises(ValueError, match="square"):
        keras.ops.inv(TALL)
    with pytest.raises(ValueError, match="rank >= 2"):
        keras.ops.det(np.ones(3, "float32"))
    with pytest.raises(ValueError, match="floating-point"):
        keras.ops.det(np.eye(3, dtype="int32"))
    with pytest.raises(ValueError, match="`b` must have shape"):
        keras.ops.solve(A, np.ones((4, 2), "float32"))
    with pytest.raises(ValueError, match="mode"):
        keras.ops.qr(A, mode="r")
    with pytest.raises(ValueError, match="ord"):
        keras.ops.norm(TALL, ord="nuc", axis=0)


def test_linalg_namespace_lists_the_offered_names():
    assert set(keras.ops.linalg.__all__) == {
        "cholesky", "cholesky_inverse", "det", "eigh", "inv", "jvp", "lstsq", "lu_factor",
        "matrix_rank", "norm", "pinv", "qr", "solve", "solve_triangular", "svd"}
    assert keras.ops.linalg.svd is keras.ops.svd
