"""keras.ops.nn functions added with contract_nn.py against Keras 3 (TF
backend), values and gradients, on every kerasx backend."""
import numpy as np
import pytest

import kerasx as keras
from kerasx.ops.gradients import value_and_grad

RNG = np.random.default_rng(7)
# Off the kinks (0, +-0.5, +-1) so that gradients are defined.
X = (RNG.choice([-1.0, 1.0], (3, 6)) * RNG.uniform(0.05, 2.5, (3, 6))).astype("float32")
X[np.abs(np.abs(X) - 0.5) < 0.05] += 0.1
X[np.abs(np.abs(X) - 1.0) < 0.05] += 0.1

ELEMENTWISE = [
    ("celu", {}), ("celu", {"alpha": 0.5}), ("glu", {}), ("hard_shrink", {}),
    ("hard_shrink", {"threshold": 1.0}), ("soft_shrink", {}), ("hard_silu", {}),
    ("hard_swish", {}), ("swish", {}), ("hard_tanh", {}), ("log_sigmoid", {}),
    ("sparse_plus", {}), ("sparse_sigmoid", {}), ("squareplus", {}),
    ("squareplus", {"b": 2}), ("tanh_shrink", {}),
    ("threshold", {"threshold": 0.3, "default_value": -2.0}),
    ("normalize", {}), ("normalize", {"axis": 0}), ("normalize", {"order": 1}),
    ("normalize", {"order": 3}), ("rms_normalization", {}),
    ("layer_normalization", {}), ("layer_normalization", {"axis": (0, 1)}),
]


def _keras_grad(name, kwargs, x):
    import tensorflow as tf
    import keras as ref

    xt = tf.constant(x)
    with tf.GradientTape() as tape:
        tape.watch(xt)
        y = getattr(ref.ops, name)(xt, **kwargs)
        total = tf.reduce_sum(y * y)
    return np.asarray(y), np.asarray(tape.gradient(total, xt))


def _kerasx_grad(name, kwargs, x):
    fn = getattr(keras.ops, name)
    v = keras.Variable(x)

    def loss():
        y = fn(v.value, **kwargs)
        return keras.ops.sum(keras.ops.multiply(y, y))

    _, grads = value_and_grad(loss, [v.native])
    return keras.ops.convert_to_numpy(fn(x, **kwargs)), keras.ops.convert_to_numpy(grads[0])


@pytest.mark.parametrize("name,kwargs", ELEMENTWISE,
                         ids=[f"{n}-{k}" if k else n for n, k in ELEMENTWISE])
def test_forward_and_gradient_match_keras(backend, name, kwargs):
    want, want_grad = _keras_grad(name, kwargs, X)
    got, got_grad = _kerasx_grad(name, kwargs, X)
    assert got.dtype == np.float32
    np.testing.assert_allclose(got, want, rtol=1e-5, atol=1e-6)
    np.testing.assert_allclose(got_grad, want_grad, rtol=1e-5, atol=1e-5)


def test_float64_stays_float64(backend):
    import keras as ref

    x = X.astype("float64")
    for name in ("celu", "log_sigmoid", "squareplus", "normalize", "sparse_plus"):
        got = keras.ops.convert_to_numpy(getattr(keras.ops, name)(x))
        assert got.dtype == np.float64, name
        np.testing.assert_allclose(got, np.asarray(getattr(ref.ops, name)(x)),
                                   rtol=1e-12, atol=1e-12)


def test_normalization_with_scale_and_offset(backend):
    import keras as ref

    gamma = RNG.uniform(0.5, 2.0, (6,)).astype("float32")
    beta = RNG.standard_normal((6,)).astype("float32")
    want = ref.ops.layer_normalization(X, gamma, beta, epsilon=1e-3)
    got = keras.ops.layer_normalization(X, gamma, beta, epsilon=1e-3)
    np.testing.assert_allclose(keras.ops.convert_to_numpy(got), want, rtol=1e-5, atol=1e-6)
    want = ref.ops.rms_normalization(X, gamma, epsilon=1e-3)
    got = keras.ops.rms_normalization(X, gamma, epsilon=1e-3)
    np.testing.assert_allclose(keras.ops.convert_to_numpy(got), want, rtol=1e-5, atol=1e-6)


def _sparsemax_reference(x):
    # The definition (Martins & Astudillo 2016), per row of the last axis.
    out = np.zeros_like(x)
    for idx in np.ndindex(x.shape[:-1]):
        z = np.sort(x[idx])[::-1]
        k = np.arange(1, z.size + 1)
        cs = np.cumsum(z)
        support = k[z * k > cs - 1].max()
        tau = (cs[support - 1] - 1) / support
        out[idx] = np.maximum(x[idx] - tau, 0)
    return out


def test_sparsemax_follows_the_definition(backend):
    x = RNG.standard_normal((4, 5)).astype("float32") * 0.4
    got = keras.ops.convert_to_numpy(keras.ops.sparsemax(x))
    np.testing.assert_allclose(got, _sparsemax_reference(x.astype("float64")),
                               rtol=1e-5, atol=1e-6)
    np.testing.assert_allclose(got.sum(-1), 1.0, rtol=1e-6)
    assert (got == 0).any() and ((got > 0).sum(-1) > 1).any()
    got0 = keras.ops.convert_to_numpy(keras.ops.sparsemax(x.T, axis=0))
    np.testing.assert_allclose(got0, got.T, rtol=1e-6, atol=1e-7)


def test_sparsemax_matches_keras_when_the_support_is_one_element(backend):
    import keras as ref

    # One entry dominates each row, where Keras 3.15's formula is exact.
    x = np.array([[3.0, 0.1, 0.2, -0.4], [0.0, -1.0, 2.5, 1.0]], "float32")
    np.testing.assert_allclose(keras.ops.convert_to_numpy(keras.ops.sparsemax(x)),
                               np.asarray(ref.ops.sparsemax(x)), rtol=1e-6)


def test_psnr_and_multi_hot_match_keras(backend):
    import keras as ref

    a = RNG.uniform(0, 1, (2, 4, 4, 3)).astype("float32")
    b = RNG.uniform(0, 1, (2, 4, 4, 3)).astype("float32")
    np.testing.assert_allclose(keras.ops.convert_to_numpy(keras.ops.psnr(a, b, 1.0)),
                               np.asarray(ref.ops.psnr(a, b, 1.0)), rtol=1e-5)
    with pytest.raises(ValueError, match="shape"):
        keras.ops.psnr(a, b[:1], 1.0)
    for labels in (np.array([[0, 2, 2], [1, 4, 0]]), np.array([3, 1])):
        want = np.asarray(ref.ops.multi_hot(labels, 5))
        got = keras.ops.convert_to_numpy(keras.ops.multi_hot(labels, 5))
        np.testing.assert_array_equal(got, want)
        assert got.dtype == want.dtype


@pytest.mark.parametrize("data_format", ["channels_last", "channels_first"])
def test_depth_space_round_trip_matches_keras(backend, data_format):
    import keras as ref

    x = RNG.standard_normal((2, 8, 4, 8)).astype("float32")
    want = np.asarray(ref.ops.depth_to_space(x, 2, data_format=data_format))
    got = keras.ops.convert_to_numpy(keras.ops.depth_to_space(x, 2, data_format=data_format))
    np.testing.assert_array_equal(got, want)
    back = keras.ops.convert_to_numpy(keras.ops.space_to_depth(got, 2,
                                                               data_format=data_format))
    np.testing.assert_array_equal(back, x)
    np.testing.assert_array_equal(
        back, np.asarray(ref.ops.space_to_depth(want, 2, data_format=data_format)))


UNFOLD = [
    dict(kernel_size=2), dict(kernel_size=(2, 3), stride=2),
    dict(kernel_size=3, padding=1, dilation=1), dict(kernel_size=2, dilation=2, stride=2),
    dict(kernel_size=(3, 2), dilation=(1, 2), padding=(1, 0), stride=(1, 2)),
]


@pytest.mark.parametrize("kwargs", UNFOLD, ids=[str(k) for k in UNFOLD])
def test_unfold_and_fold_match_keras(backend, kwargs):
    import keras as ref

    x = RNG.standard_normal((2, 3, 7, 6)).astype("float32")
    want = np.asarray(ref.ops.unfold(x, **kwargs))
    got = keras.ops.convert_to_numpy(keras.ops.unfold(x, **kwargs))
    np.testing.assert_allclose(got, want, rtol=1e-6, atol=1e-6)
    want_fold = np.asarray(ref.ops.fold(want, (7, 6), **kwargs))
    got_fold = keras.ops.convert_to_numpy(keras.ops.fold(want, (7, 6), **kwargs))
    np.testing.assert_allclose(got_fold, want_fold, rtol=1e-5, atol=1e-5)


@pytest.mark.parametrize("padding,strides", [("valid", 1), ("same", 2)])
def test_separable_conv_matches_keras(backend, padding, strides):
    import keras as ref

    x = RNG.standard_normal((2, 6, 5, 3)).astype("float32")
    dk = RNG.standard_normal((3, 3, 3, 2)).astype("float32")
    pk = RNG.standard_normal((1, 1, 6, 4)).astype("float32")
    want = np.asarray(ref.ops.separable_conv(x, dk, pk, strides, padding))
    got = keras.ops.convert_to_numpy(keras.ops.separable_conv(x, dk, pk, strides, padding))
    np.testing.assert_allclose(got, want, rtol=1e-5, atol=1e-5)


def test_bad_arguments_are_clear_errors(backend):
    with pytest.raises(ValueError, match="even"):
        keras.ops.glu(np.ones((2, 3), "float32"))
    with pytest.raises(ValueError, match="order"):
        keras.ops.normalize(np.ones((2, 3), "float32"), order=0)
    with pytest.raises(ValueError, match="num_classes"):
        keras.ops.multi_hot(np.array([1, 2]))


def test_deprecated_rms_scaling_keeps_its_keras_meaning(backend):
    import keras as ref

    gamma = RNG.uniform(0.5, 2.0, (6,)).astype("float32")
    with pytest.warns(UserWarning, match="deprecated"):
        want = ref.ops.layer_normalization(X, gamma, rms_scaling=True)
    with pytest.warns(UserWarning, match="deprecated"):
        got = keras.ops.layer_normalization(X, gamma, rms_scaling=True)
    np.testing.assert_allclose(keras.ops.convert_to_numpy(got), want, rtol=1e-5, atol=1e-6)
    with pytest.raises(TypeError, match="unexpected"):
        keras.ops.layer_normalization(X, center=False)
