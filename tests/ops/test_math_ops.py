"""The element-wise math of kerasx.ops (kerasx.backend.contract_math) against
Keras 3 (TensorFlow backend) on the same inputs: values, result dtypes
(integer inputs too), special values, and gradients against tf.GradientTape."""
import numpy as np
import pytest

import kerasx.ops as xops
from kerasx.backend import get_ops
from kerasx.ops.gradients import value_and_grad

keras = pytest.importorskip("keras")
tf = pytest.importorskip("tensorflow")

SHAPE = (3, 4)
TOL = {"float32": dict(rtol=1e-5, atol=1e-6), "float64": dict(rtol=1e-10, atol=1e-12)}


def _normal(rng):
    return rng.standard_normal(SHAPE)


def _uniform(low, high):
    return lambda rng: rng.uniform(low, high, SHAPE)


def _away(rng):
    return rng.choice([-1.0, 1.0], SHAPE) * rng.uniform(0.2, 2.0, SHAPE)


#: name -> input recipe (float64 NumPy) of the unary functions.
UNARY = {
    "absolute": _away, "fabs": _away,
    "arccos": _uniform(-0.9, 0.9), "arcsin": _uniform(-0.9, 0.9),
    "arctanh": _uniform(-0.9, 0.9), "arccosh": _uniform(1.1, 3.0),
    "arcsinh": _normal, "arctan": _normal, "cosh": _normal, "sinh": _normal,
    "tan": _uniform(-1.2, 1.2), "cbrt": _away, "exp2": _normal,
    "log10": _uniform(0.1, 5.0), "log2": _uniform(0.1, 5.0),
    "trunc": lambda rng: rng.uniform(-3.0, 3.0, SHAPE), "deg2rad": _normal,
    "rad2deg": _normal, "sinc": _away, "i0": _uniform(-4.0, 4.0),
    "erfc": _uniform(-3.0, 5.0), "erfinv": _uniform(-0.95, 0.95),
    "signbit": _normal, "isnan": _normal, "isinf": _normal, "isfinite": _normal,
    "isneginf": _normal, "isposinf": _normal, "isreal": _normal, "nan_to_num": _normal,
    "bitwise_not": None, "bitwise_invert": None,
}
FLOAT_UNARY = [n for n, recipe in UNARY.items() if recipe is not None]
NOT_DIFFERENTIABLE = {"trunc", "signbit", "isnan", "isinf", "isfinite", "isneginf",
                      "isposinf", "isreal"}
# TensorFlow's kernels refuse integers for these two; kerasx casts (as Keras on torch).
FLOATS_ONLY_IN_KERAS_TF = {"erfc", "erfinv"}


def _close(got, want, dtype):
    got, want = np.asarray(got), np.asarray(want)
    assert got.shape == want.shape, (got.shape, want.shape)
    if want.dtype.kind == "f":
        np.testing.assert_allclose(got, want, **TOL[dtype])
    else:
        np.testing.assert_array_equal(got, want)


def _check(name, args, dtype="float32", kwargs=None):
    """kerasx.ops.<name> and keras.ops.<name> on `args`: same dtype, values."""
    kwargs = kwargs or {}
    want = keras.ops.convert_to_numpy(getattr(keras.ops, name)(*args, **kwargs))
    got = xops.convert_to_numpy(getattr(xops, name)(*args, **kwargs))
    assert got.dtype == want.dtype, (name, got.dtype, want.dtype)
    _close(got, want, dtype)
    return got


def _rng(name):
    return np.random.default_rng(sum(map(ord, name)))


@pytest.mark.parametrize("dtype", ["float32", "float64"])
@pytest.mark.parametrize("name", FLOAT_UNARY)
def test_unary_matches_keras(backend, name, dtype):
    x = UNARY[name](_rng(name)).astype(dtype)
    _check(name, [x], dtype)


@pytest.mark.parametrize("dtype", ["int32", "int64", "bool"])
@pytest.mark.parametrize("name", FLOAT_UNARY + ["bitwise_not", "bitwise_invert"])
def test_unary_of_integers_follows_keras_dtype(backend, name, dtype):
    x = np.array([[0, 1, 2], [3, 1, 0]]).astype(dtype)
    if name in ("bitwise_not", "bitwise_invert"):
        if dtype == "bool":  # Keras on TensorFlow refuses bools: NumPy's answer
            got = xops.convert_to_numpy(getattr(xops, name)(x))
            np.testing.assert_array_equal(got, np.invert(x))
            return
        x = np.array([[0, -1, 7], [-8, 100, 3]]).astype(dtype)
    if name == "arccosh":
        x = np.array([[1, 2, 3], [4, 1, 2]]).astype(dtype)
    if name in FLOATS_ONLY_IN_KERAS_TF:
        got = getattr(xops, name)(x)
        assert xops.dtype(got) == "float32"
        want = getattr(keras.ops, name)(x.astype("float32"))
        _close(xops.convert_to_numpy(got), keras.ops.convert_to_numpy(want), "float32")
        return
    _check(name, [x])


SPECIAL = np.array([np.nan, np.inf, -np.inf, -0.0, 0.0, 1.5, -2.0, 1e30])


@pytest.mark.parametrize("dtype", ["float32", "float64"])
@pytest.mark.parametrize("name", ["signbit", "isnan", "isinf", "isfinite", "isneginf",
                                  "isposinf", "isreal", "nan_to_num", "absolute", "trunc",
                                  "sinc", "fabs"])
def test_special_values_match_keras(backend, name, dtype):
    x = SPECIAL.astype(dtype)
    want = keras.ops.convert_to_numpy(getattr(keras.ops, name)(x))
    got = xops.convert_to_numpy(getattr(xops, name)(x))
    assert got.dtype == want.dtype
    if want.dtype.kind == "f":  # sinc(1e30): sin's last bits differ
        np.testing.assert_allclose(got, want, rtol=1e-6, atol=0)
    else:
        np.testing.assert_array_equal(got, want)


def test_nan_to_num_replacements(backend):
    x = SPECIAL.astype("float32")
    _check("nan_to_num", [x], kwargs=dict(nan=-1.0, posinf=9.0, neginf=-9.0))
    _check("nan_to_num", [x], kwargs=dict(posinf=1e3))


def test_i0_and_erfc_far_out(backend):
    # Large arguments: i0's asymptotic range, erfc's tail (1 - erf is 0 there).
    _check("i0", [np.array([-45.0, 29.5, 30.5, 100.0, 600.0])], "float64")
    _check("erfc", [np.array([2.5, 4.0, 9.0, 20.0, -4.0])], "float64")
    _check("erfc", [np.array([2.5, 4.0, 9.0], "float32")], "float32")


def _gradient(name, args, wrt, dtype):
    """d/d args[wrt] of sum(f(*args) * w) by kerasx and by Keras under GradientTape."""
    rng = np.random.default_rng(7)
    out = np.asarray(getattr(keras.ops, name)(*args))
    w = rng.standard_normal(out.shape).astype(dtype)
    variables = [tf.Variable(args[i]) for i in wrt]
    with tf.GradientTape() as tape:
        call = list(args)
        for i, v in zip(wrt, variables):
            call[i] = v
        loss = tf.reduce_sum(getattr(keras.ops, name)(*call) * w)
    want = [np.asarray(g) for g in tape.gradient(loss, variables)]

    ops = get_ops()
    native = [ops.variable(args[i]) for i in wrt]

    def fn():
        call = list(args)
        for i, v in zip(wrt, native):
            call[i] = ops.variable_value(v)
        return ops.sum(ops.multiply(getattr(xops, name)(*call), ops.convert_to_tensor(w)))

    value, grads = value_and_grad(fn, native)
    np.testing.assert_allclose(float(ops.to_numpy(value)), float(loss), **TOL[dtype])
    for got, expected in zip(grads, want):
        np.testing.assert_allclose(ops.to_numpy(got), expected, **TOL[dtype])


@pytest.mark.parametrize("dtype", ["float32", "float64"])
@pytest.mark.parametrize("name", [n for n in FLOAT_UNARY if n not in NOT_DIFFERENTIABLE])
def test_unary_gradient_matches_keras(backend, name, dtype):
    _gradient(name, [UNARY[name](_rng(name)).astype(dtype)], (0,), dtype)


#: name -> (x1 recipe, x2 recipe) of the binary functions of floats.
BINARY = {
    "arctan2": (_normal, _normal), "hypot": (_normal, _normal),
    "fmod": (_normal, _away), "mod": (_normal, _away),
    "floor_divide": (_normal, _away), "true_divide": (_normal, _away),
    "divide_no_nan": (_normal, lambda rng: np.where(rng.random(SHAPE) < 0.3, 0.0,
                                                    _away(rng))),
    "fmax": (_normal, _normal), "fmin": (_normal, _normal),
    "heaviside": (lambda rng: np.where(rng.random(SHAPE) < 0.3, 0.0, _normal(rng)),
                  _normal),
    "logaddexp": (_normal, _normal), "logaddexp2": (_normal, _normal),
    "logical_xor": (lambda rng: np.where(rng.random(SHAPE) < 0.4, 0.0, _normal(rng)),
                    lambda rng: np.where(rng.random(SHAPE) < 0.4, 0.0, _normal(rng))),
    "nextafter": (_normal, _normal),
    "isclose": (_normal, _normal), "allclose": (_normal, _normal),
}
BINARY_GRAD = ["arctan2", "hypot", "fmod", "mod", "true_divide", "divide_no_nan", "fmax",
               "fmin", "logaddexp", "logaddexp2"]


def _binary_inputs(name, dtype, broadcast=False):
    rng = _rng(name)
    a, b = (recipe(rng).astype(dtype) for recipe in BINARY[name])
    if name in ("isclose", "allclose"):
        b = np.where(rng.random(SHAPE) < 0.5, a * (1 + 3e-6), b).astype(dtype)
    return (a, b[0]) if broadcast else (a, b)


@pytest.mark.parametrize("broadcast", [False, True], ids=["same shape", "broadcast"])
@pytest.mark.parametrize("dtype", ["float32", "float64"])
@pytest.mark.parametrize("name", list(BINARY))
def test_binary_matches_keras(backend, name, dtype, broadcast):
    args = list(_binary_inputs(name, dtype, broadcast))
    if name == "logaddexp2" and dtype == "float64":
        # Keras divides by log(2) computed in float32 (5e-9 relative error in
        # float64): NumPy's answer.
        got = xops.convert_to_numpy(xops.logaddexp2(*args))
        np.testing.assert_allclose(got, np.logaddexp2(*args), **TOL[dtype])
        return
    _check(name, args, dtype)


@pytest.mark.parametrize("name", list(BINARY))
def test_binary_with_a_python_scalar(backend, name):
    a, _ = _binary_inputs(name, "float32")
    _check(name, [a, 1.5])
    if name not in ("nextafter",):
        _check(name, [-0.75, a])


@pytest.mark.parametrize("dtype", ["float32", "float64"])
@pytest.mark.parametrize("name", BINARY_GRAD)
def test_binary_gradient_matches_keras(backend, name, dtype):
    if name == "logaddexp2" and dtype == "float64":
        dtype = "float32"  # Keras's float32 log(2) (see test_binary_matches_keras)
    _gradient(name, list(_binary_inputs(name, dtype)), (0, 1), dtype)


def test_fmax_fmin_skip_nans(backend):
    a = np.array([np.nan, 1.0, np.nan, -2.0, 3.0], "float32")
    b = np.array([2.0, np.nan, np.nan, -1.0, np.inf], "float32")
    for name in ("fmax", "fmin"):
        got = _check(name, [a, b])
        assert np.isnan(got[2]) and not np.isnan(got[[0, 1, 3, 4]]).any()


def test_isclose_options(backend):
    a = np.array([1.0, np.nan, np.inf, -np.inf, 1.0, 1e-9], "float64")
    b = np.array([1.0 + 2e-6, np.nan, np.inf, np.inf, 1.1, 0.0], "float64")
    for kwargs in ({}, {"equal_nan": True}, {"rtol": 0.2}, {"atol": 0.0}):
        # NumPy's answer: Keras on TensorFlow calls equal infinities not
        # close (their difference is NaN), and inf and -inf close when rtol > 0.
        got = xops.convert_to_numpy(xops.isclose(a, b, **kwargs))
        np.testing.assert_array_equal(got, np.isclose(a, b, **kwargs))
        _check("isclose", [a[[0, 1, 4, 5]], b[[0, 1, 4, 5]]], "float64", kwargs)
        _check("allclose", [a[:1], b[:1]], "float64", kwargs)
        assert bool(xops.convert_to_numpy(xops.allclose(a, b, **kwargs))) == \
            np.allclose(a, b, **kwargs)


def test_ldexp(backend):
    x = np.array([0.75, -3.0, 0.0, np.inf, 1.5], "float32")
    e = np.array([3, -2, 5, 1, 0], "int32")
    _check("ldexp", [x, e])
    _check("ldexp", [x.astype("float64"), e], "float64")
    _gradient("ldexp", [x[:2], e[:2]], (0,), "float32")
    with pytest.raises(TypeError, match="integer tensor"):
        xops.ldexp(x, e.astype("float32"))


INTEGER_BINARY = ["mod", "fmod", "floor_divide", "gcd", "lcm", "bitwise_and", "bitwise_or",
                  "bitwise_xor", "left_shift", "right_shift", "bitwise_left_shift",
                  "bitwise_right_shift", "true_divide", "divide_no_nan", "fmax", "fmin",
                  "arctan2", "hypot", "heaviside", "isclose", "logical_xor"]


@pytest.mark.parametrize("dtype", ["int32", "int64"])
@pytest.mark.parametrize("name", INTEGER_BINARY)
def test_binary_of_integers_follows_keras(backend, name, dtype):
    a = np.array([[12, -7, 0, 9], [100, -64, 5, 1]], dtype)
    b = np.array([[18, 3, 4, -6], [7, 4, -5, 1]], dtype)
    if "shift" in name:
        a, b = a, np.array([[0, 1, 2, 3], [4, 2, 1, 5]], dtype)
    if name in ("mod", "fmod", "floor_divide", "divide_no_nan"):
        b = np.where(b == 0, 3, b).astype(dtype)
        if name == "divide_no_nan":
            b[0, 0] = 0
    _check(name, [a, b])


@pytest.mark.parametrize("name", ["bitwise_and", "bitwise_or", "bitwise_xor", "logical_xor"])
def test_bitwise_of_bools(backend, name):
    # Keras on TensorFlow refuses bools for the bitwise ones: NumPy's answer.
    a = np.array([True, True, False, False])
    b = np.array([True, False, True, False])
    got = xops.convert_to_numpy(getattr(xops, name)(a, b))
    assert got.dtype == bool
    np.testing.assert_array_equal(got, getattr(np, name)(a, b))


def test_gcd_takes_integers_only(backend):
    with pytest.raises(TypeError, match="integer"):
        xops.gcd(np.array([1.5]), np.array([2.5]))


@pytest.mark.parametrize("name,args", [
    ("arccos", (0.5,)), ("isnan", (0.5,)), ("nan_to_num", (2.0,)), ("signbit", (-3,)),
    ("trunc", (-2.5,)), ("absolute", (-4,)), ("bitwise_not", (5,)), ("log10", (100,)),
    ("arctan2", (1.0, 2.0)), ("hypot", (3, 4)), ("mod", (7, 3)), ("gcd", (12, 18)),
    ("logaddexp", (0.5, 1.0)), ("fmax", (1.5, 2.0)), ("isclose", (1.0, 1.0))])
def test_python_numbers(backend, name, args):
    _check(name, list(args))


@pytest.mark.parametrize("name", FLOAT_UNARY)
def test_unary_of_float16(backend, name):
    x = UNARY[name](_rng(name)).astype("float16")
    got = xops.convert_to_numpy(getattr(xops, name)(x))
    if name == "erfinv":  # Keras on TensorFlow has no float16 erfinv kernel
        want = keras.ops.convert_to_numpy(keras.ops.erfinv(x.astype("float32")))
        want = want.astype("float16")
    else:
        want = keras.ops.convert_to_numpy(getattr(keras.ops, name)(x))
    assert got.dtype == want.dtype
    np.testing.assert_allclose(got.astype("float64"), want.astype("float64"), rtol=2e-3,
                               atol=1e-3)


@pytest.mark.parametrize("dtype", ["float16", "float32", "float64"])
def test_nextafter_at_the_edges(backend, dtype):
    info = np.finfo(dtype)
    x = np.array([0.0, -0.0, 1.0, 1.0, -1.0, 2.0, 2.0, info.tiny, info.tiny, info.max,
                  info.max, np.inf, -np.inf, np.nan, 1.0, 3.0, -0.5, 1e-3], dtype)
    y = np.array([1.0, -1.0, 2.0, 0.0, -2.0, 0.0, 3.0, 0.0, 1.0, np.inf, 0.0, 0.0, 0.0,
                  1.0, np.nan, 3.0, 0.0, -1.0], dtype)
    got = xops.convert_to_numpy(xops.nextafter(x, y))
    assert got.dtype == dtype
    np.testing.assert_array_equal(got, np.nextafter(x, y))


def test_compiled_matches_eager(backend):
    """The math, creation and statistics ops inside a compiled function
    (tf.function, MXNet's traced CachedOps) give the eager numbers."""
    ops = get_ops()
    rng = np.random.default_rng(3)
    x = ops.convert_to_tensor(rng.uniform(-0.9, 0.9, SHAPE).astype("float32"))
    y = ops.convert_to_tensor(rng.uniform(0.2, 2.0, SHAPE).astype("float32"))

    def fn(x, y):
        return (xops.arcsin(x) + xops.hypot(x, y) + xops.logaddexp(x, y)
                + xops.erfc(y) + xops.i0(x) + xops.fmod(x, y) + xops.erfinv(x)
                + xops.nextafter(x, y) + xops.median(x, axis=0)
                + xops.nanmean(y, axis=0) + xops.linspace(0.0, 1.0, 4) + xops.tri(3, 4)
                + xops.quantile(x, [0.2, 0.7], axis=0)[1] + xops.hamming(4),
                xops.isclose(x, y), xops.gcd(xops.cast(y * 10, "int32"), 6))

    eager = [ops.to_numpy(t) for t in fn(x, y)]
    compiled = ops.compile_function(fn)
    if compiled is None:
        pytest.skip(f"{backend} runs compiled functions eagerly")
    for _ in range(2):
        got = [ops.to_numpy(t) for t in compiled(x, y)]
        np.testing.assert_allclose(got[0], eager[0], rtol=1e-6)
        np.testing.assert_array_equal(got[1], eager[1])
        np.testing.assert_array_equal(got[2], eager[2])
    # MXNet: traced into CachedOps, not fallen back to eager execution.
    assert getattr(compiled, "hybridized", True)
