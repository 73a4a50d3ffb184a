"""Rescaling and Normalization against Keras 3 (TensorFlow backend)."""
import numpy as np
import pytest

from tests.layer_parity import (check_config, check_output_shape, compare,
                                report)

keras = pytest.importorskip("keras")


@pytest.fixture(scope="module", autouse=True)
def _report():
    yield
    report("preprocessing layers")


def _x(shape, seed=1, scale=3.0, shift=1.0):
    return (np.random.default_rng(seed).standard_normal(shape) * scale
            + shift).astype("float32")


# ---------------------------------------------------------------------------
# Rescaling
# ---------------------------------------------------------------------------
@pytest.mark.parametrize("kwargs", [dict(scale=1 / 255.0), dict(scale=2.0, offset=-1.0),
                                    dict(scale=[0.5, 2.0, 4.0], offset=0.25)],
                         ids=["scale", "offset", "per-channel"])
def test_rescaling_matches_keras(backend, kwargs):
    from kerasx import layers

    layer, ref = layers.Rescaling(**kwargs), keras.layers.Rescaling(**kwargs)
    compare(backend, layer, ref, _x((2, 4, 3)), trainings=(None,))
    check_output_shape(layer, ref, (None, 4, 3))
    config = layer.get_config()
    assert set(config) == set(ref.get_config())
    clone = layers.Rescaling.from_config(config)
    assert clone.get_config() == config
    ref_config = ref.get_config()
    ref_config.pop("dtype")
    from_keras = layers.Rescaling.from_config(ref_config)
    np.testing.assert_allclose(np.asarray(from_keras.scale, "float32"),
                               np.asarray(kwargs["scale"], "float32"))


def test_rescaling_rejects_non_numeric(backend):
    from kerasx import layers

    with pytest.raises(ValueError, match="scale='a lot'"):
        layers.Rescaling("a lot")


# ---------------------------------------------------------------------------
# Normalization
# ---------------------------------------------------------------------------
@pytest.mark.parametrize("kwargs,shape", [
    (dict(), (6, 3)),
    (dict(axis=None), (5, 4)),
    (dict(axis=(1, 2)), (4, 2, 3)),
    (dict(axis=1, invert=True), (5, 3, 2)),
], ids=["features", "scalar", "two-axes", "invert"])
def test_normalization_adapt_matches_keras(backend, kwargs, shape):
    from kerasx import layers

    data = _x((40,) + shape[1:], seed=7)
    layer, ref = layers.Normalization(**kwargs), keras.layers.Normalization(**kwargs)
    layer.adapt(data)
    ref.adapt(data)
    # adapt computes in float64 here (Keras: in the data's float32), so the
    # statistics agree to float32 rounding.
    for variable, want in zip(layer.weights, ref.get_weights()):
        np.testing.assert_allclose(variable.numpy(), want, rtol=1e-5, atol=1e-6)
    compare(backend, layer, ref, _x(shape), trainings=(None,), randomize=False,
            copy_weights=False)
    check_output_shape(layer, ref, (None,) + shape[1:])
    check_config(layer, ref)


def test_normalization_weights_load_like_keras(backend):
    """Keras's weights (mean, variance, int64 count) load through set_weights
    and are used at the next call."""
    from kerasx import layers
    from kerasx.backend import get_ops

    ref = keras.layers.Normalization()
    ref.adapt(_x((20, 3), seed=8))
    layer = layers.Normalization()
    layer.build((None, 3))
    assert [(v.name, v.shape, v.dtype) for v in layer.weights] == [
        (w.name, tuple(w.shape), w.dtype) for w in ref.weights]
    layer.set_weights(ref.get_weights())
    x = _x((4, 3))
    np.testing.assert_allclose(get_ops().to_numpy(layer(x)), np.asarray(ref(x)),
                               rtol=1e-5, atol=1e-6)


def test_normalization_adapt_from_batches_and_tensors(backend):
    from kerasx import layers
    from kerasx.backend import get_ops

    data = _x((30, 4), seed=3)
    expected_mean, expected_var = data.astype("float64").mean(0), data.astype(
        "float64").var(0)
    for source in ([data[:7], data[7:20], data[20:]],        # list of batches
                   (b for b in np.split(data, 5)),           # generator
                   [(data[:15], None), (data[15:], None)],   # (x, y) batches
                   get_ops().convert_to_tensor(data)):       # native tensor
        layer = layers.Normalization()
        layer.adapt(source)
        np.testing.assert_allclose(layer.adapt_mean.numpy(), expected_mean, rtol=1e-6,
                                   atol=1e-6)
        np.testing.assert_allclose(layer.adapt_variance.numpy(), expected_var, rtol=1e-6)
    with pytest.raises(ValueError, match="no data"):
        layers.Normalization().adapt([])


def test_normalization_given_statistics_match_keras(backend):
    from kerasx import layers

    kwargs = dict(axis=-1, mean=[1.0, -2.0, 0.5], variance=[4.0, 0.25, 1.0])
    layer, ref = layers.Normalization(**kwargs), keras.layers.Normalization(**kwargs)
    compare(backend, layer, ref, _x((3, 2, 3)), trainings=(None,), randomize=False)
    assert layer.weights == []
    check_config(layer, ref)
    scalar = dict(axis=None, mean=2.0, variance=9.0)
    compare(backend, layers.Normalization(**scalar), keras.layers.Normalization(**scalar),
            _x((3, 2)), trainings=(None,), randomize=False)


def test_normalization_errors(backend):
    from kerasx import layers

    with pytest.raises(ValueError, match="both `mean` and `variance`"):
        layers.Normalization(mean=1.0)
    with pytest.raises(ValueError, match="same shape"):
        layers.Normalization(mean=[1.0, 2.0], variance=[1.0])
    with pytest.raises(ValueError, match="ndim=2, while axis=\\(3,\\)"):
        layers.Normalization(axis=3).adapt(np.zeros((4, 3), "float32"))
    layer = layers.Normalization()
    layer.adapt(np.zeros((4, 3), "float32"))
    with pytest.raises(ValueError, match=r"data.shape=\(4, 5\)"):
        layer.adapt(np.zeros((4, 5), "float32"))
