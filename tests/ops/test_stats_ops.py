"""The statistics and NaN-ignoring reductions of kerasx.ops
(kerasx.backend.contract_stats) against Keras 3 (TensorFlow backend): values,
shapes, dtypes, and gradients against tf.GradientTape."""
import warnings

import numpy as np
import pytest

import kerasx.ops as xops
from kerasx.backend import get_ops
from kerasx.ops.gradients import value_and_grad

keras = pytest.importorskip("keras")
tf = pytest.importorskip("tensorflow")

TOL = {"float32": dict(rtol=1e-5, atol=1e-6), "float64": dict(rtol=1e-10, atol=1e-12)}


def _data(dtype="float32", nans=False, seed=0):
    rng = np.random.default_rng(seed)
    x = rng.standard_normal((3, 4, 5))
    if nans:
        x[rng.random(x.shape) < 0.25] = np.nan
        x[1, 2, :] = np.nan  # an all-NaN slice along the last axis
    return x.astype(dtype)


def _check(name, *args, dtype="float32", **kwargs):
    want = keras.ops.convert_to_numpy(getattr(keras.ops, name)(*args, **kwargs))
    got = xops.convert_to_numpy(getattr(xops, name)(*args, **kwargs))
    assert got.dtype == want.dtype, (name, got.dtype, want.dtype)
    assert got.shape == want.shape, (name, got.shape, want.shape)
    np.testing.assert_allclose(got, want, **TOL[dtype])
    return got


AXES = [dict(), dict(axis=1), dict(axis=-1, keepdims=True), dict(axis=(0, 2)),
        dict(axis=(0, 2), keepdims=True), dict(keepdims=True)]
AXIS_IDS = ["all", "axis=1", "axis=-1 keepdims", "axes (0, 2)", "axes keepdims",
            "all keepdims"]


@pytest.mark.parametrize("dtype", ["float32", "float64"])
@pytest.mark.parametrize("kwargs", AXES, ids=AXIS_IDS)
@pytest.mark.parametrize("name", ["amax", "amin", "ptp", "median"])
def test_reductions(backend, name, kwargs, dtype):
    _check(name, _data(dtype), dtype=dtype, **kwargs)


@pytest.mark.parametrize("dtype", ["float32", "float64"])
@pytest.mark.parametrize("kwargs", AXES, ids=AXIS_IDS)
@pytest.mark.parametrize("name", ["nansum", "nanmean", "nanmax", "nanmin", "nanprod",
                                  "nanstd", "nanvar", "nanmedian"])
def test_nan_reductions(backend, name, kwargs, dtype):
    _check(name, _data(dtype, nans=True), dtype=dtype, **kwargs)


@pytest.mark.parametrize("kwargs", [dict(), dict(axis=1), dict(axis=-1, keepdims=True),
                                    dict(axis=0), dict(keepdims=True)],
                         ids=["all", "axis=1", "axis=-1 keepdims", "axis=0", "keepdims"])
@pytest.mark.parametrize("name", ["nanargmax", "nanargmin"])
def test_nan_arg_reductions(backend, name, kwargs):
    x = _data(nans=True)
    x[0, 0, 0] = x[0, 0, 1] = 5.0  # a tie: the first index
    _check(name, x, **kwargs)
    _check(name, x[:, :, :2] * 0 + 1.0, **kwargs)


@pytest.mark.parametrize("name", ["amax", "ptp", "nansum", "nanmax", "nanprod",
                                  "nanargmin", "median", "nanmean", "nanvar", "average"])
@pytest.mark.parametrize("dtype", ["int32", "int64"])
def test_integers_follow_keras_dtypes(backend, name, dtype):
    x = np.array([[3, -1, 4], [1, 5, -9]], dtype)
    _check(name, x, axis=1)


@pytest.mark.parametrize("method", ["linear", "lower", "higher", "midpoint", "nearest"])
@pytest.mark.parametrize("q", [0.0, 0.3, 0.5, 1.0, [0.1, 0.5, 0.75], np.array([0.25, 0.9])],
                         ids=["0", "0.3", "0.5", "1", "list", "array"])
def test_quantile_methods(backend, q, method):
    x = _data()
    for kwargs in (dict(), dict(axis=1), dict(axis=(0, 2), keepdims=True)):
        _check("quantile", x, q, method=method, **kwargs)
        _check("percentile", x, np.multiply(q, 100.0), method=method, **kwargs)


@pytest.mark.parametrize("method", ["linear", "lower", "higher", "midpoint", "nearest"])
def test_nanquantile(backend, method):
    # NumPy's answer: Keras 3.15 on TensorFlow fails for every method but
    # "linear" ("Incompatible shape for value") and divides percentiles by
    # 100 in float32 (2e-9 relative error in float64).
    x = _data("float64", nans=True)
    for kwargs in (dict(), dict(axis=-1), dict(axis=0, keepdims=True)):
        for name, q in (("nanquantile", [0.2, 0.5, 0.9]), ("nanpercentile", 40.0)):
            got = xops.convert_to_numpy(getattr(xops, name)(x, q, method=method, **kwargs))
            with warnings.catch_warnings():  # NumPy warns of the all-NaN slice
                warnings.simplefilter("ignore", RuntimeWarning)
                want = getattr(np, name)(x, q, method=method, **kwargs)
            assert got.dtype == want.dtype and got.shape == want.shape
            np.testing.assert_allclose(got, want, **TOL["float64"])
    _check("nanquantile", x.astype("float32"), [0.2, 0.5, 0.9], axis=1)
    _check("nanpercentile", x.astype("float32"), 40.0, axis=-1, keepdims=True)


def test_quantile_of_a_slice_with_nan_is_nan(backend):
    x = _data(nans=True)
    got = xops.convert_to_numpy(xops.quantile(x, 0.5, axis=-1))
    np.testing.assert_array_equal(np.isnan(got), np.isnan(x).any(axis=-1))
    _check("median", np.array([1.0, np.nan, 3.0], "float32"))


def test_quantile_refuses_bad_arguments(backend):
    with pytest.raises(ValueError, match="within"):
        xops.quantile(_data(), 1.5)
    with pytest.raises(ValueError, match="Unknown quantile method"):
        xops.quantile(_data(), 0.5, method="cubic")


def test_average(backend):
    x = _data()
    w = np.abs(_data(seed=1)) + 0.1
    _check("average", x)
    _check("average", x, axis=1)
    _check("average", x, weights=w)
    _check("average", x, axis=2, weights=w)
    _check("average", x, axis=1, weights=np.array([1.0, 2.0, 0.5, 3.0], "float32"))
    _check("average", x.astype("float64"), axis=-1, weights=np.arange(1.0, 6.0),
           dtype="float64")
    with pytest.raises(ValueError, match="1-D weights along one int axis"):
        xops.average(x, axis=(0, 1), weights=np.ones(4, "float32"))


@pytest.mark.parametrize("source,target,values", [
    ("float32", "int32", [-3e9, -2.7, 0.5, 2.7, 3e9, np.inf, -np.inf]),
    ("float64", "int32", [-3e9, -2.5, 2.5, 2147483647.0, 3e9]),
    ("float64", "float32", [-1e300, 1.0, 1e300, np.inf]),
    ("float32", "float16", [-7e4, 1.5, 7e4, np.inf]),
    ("int64", "int32", [-2 ** 40, -5, 7, 2 ** 40]),
    ("int32", "float16", [-100000, 3, 100000]),
    ("float32", "bool", [0.0, 0.5, -2.0]),
    ("bool", "int32", [True, False]),
    ("int32", "int64", [-5, 9]),
])
def test_saturate_cast(backend, source, target, values):
    x = np.array(values, source)
    want = keras.ops.convert_to_numpy(keras.ops.saturate_cast(x, target))
    got = xops.convert_to_numpy(xops.saturate_cast(x, target))
    assert got.dtype == want.dtype
    np.testing.assert_array_equal(got, want)


GRADIENT = [("median", dict(axis=1)), ("quantile", dict(q=0.3, axis=-1)),
            ("percentile", dict(q=[10.0, 70.0])), ("nanmean", dict(axis=0)),
            ("nansum", dict()), ("nanvar", dict(axis=2)), ("nanstd", dict(axis=1)),
            ("nanmax", dict(axis=1)), ("ptp", dict(axis=0)), ("average", dict(axis=1)),
            ("nanquantile", dict(q=0.6, axis=-1))]


@pytest.mark.parametrize("name,kwargs", GRADIENT, ids=[g[0] for g in GRADIENT])
def test_gradients_match_keras(backend, name, kwargs):
    x = _data()
    if name.startswith("nan"):
        x[0, 1, 2] = x[2, 0, 0] = np.nan
    out = np.asarray(getattr(keras.ops, name)(x, **kwargs))
    w = np.random.default_rng(5).standard_normal(out.shape).astype("float32")
    v = tf.Variable(x)
    with tf.GradientTape() as tape:
        loss = tf.reduce_sum(tf.where(tf.math.is_nan(getattr(keras.ops, name)(v, **kwargs)),
                                      0.0, getattr(keras.ops, name)(v, **kwargs)) * w)
    want = np.asarray(tape.gradient(loss, v))

    ops = get_ops()
    variable = ops.variable(x)

    def fn():
        y = getattr(xops, name)(ops.variable_value(variable), **kwargs)
        y = ops.where(xops.isnan(y), ops.zeros_like(y), y)
        return ops.sum(ops.multiply(y, ops.convert_to_tensor(w)))

    value, (grad,) = value_and_grad(fn, [variable])
    np.testing.assert_allclose(float(ops.to_numpy(value)), float(loss), rtol=1e-5)
    np.testing.assert_allclose(np.nan_to_num(ops.to_numpy(grad)), np.nan_to_num(want),
                               rtol=1e-5, atol=1e-6)
