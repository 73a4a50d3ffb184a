"""BatchNormalization and LayerNormalization against Keras 3 (TensorFlow
backend): weights, outputs and gradients in inference and training mode,
moving statistics, frozen layers, output shapes, configs and errors."""
import numpy as np
import pytest

from tests.layer_parity import (check_config, check_output_shape, compare,
                                report)

keras = pytest.importorskip("keras")


@pytest.fixture(scope="module", autouse=True)
def _report():
    yield
    report("normalization layers")


def _x(shape, seed=1, scale=2.0, shift=0.5):
    return (np.random.default_rng(seed).standard_normal(shape) * scale
            + shift).astype("float32")


BN_CASES = [
    (dict(), (4, 3)),
    (dict(axis=1), (3, 4, 5)),
    (dict(axis=-1, momentum=0.9, epsilon=1e-2), (2, 3, 3, 4)),
    (dict(axis=1, center=False), (2, 3, 2, 2)),
    (dict(scale=False, momentum=0.5), (5, 2, 3)),
    (dict(center=False, scale=False), (6, 3)),
]


@pytest.mark.parametrize("kwargs,shape", BN_CASES, ids=[str(c) for c in BN_CASES])
def test_batch_normalization_matches_keras(backend, kwargs, shape):
    from kerasx import layers

    layer, ref = layers.BatchNormalization(**kwargs), keras.layers.BatchNormalization(
        **kwargs)
    x = _x(shape)
    # Inference, training (with gradients), then a few more training calls:
    # the moving statistics must follow Keras's update exactly.
    # The input gradient in training mode is a difference of O(1) batch sums
    # (cancellation), so float32 summation order shows at ~3e-6 absolute:
    # compared with atol 1e-5 instead of 1e-6.
    compare(backend, layer, ref, x, trainings=(False, True, True),
            grad_tol=(1e-5, 1e-5))
    for seed in (2, 3):
        compare_x = _x(shape, seed)
        ref(compare_x, training=True)
        layer(compare_x, training=True)
    for variable, want in zip(layer.weights, ref.get_weights()):
        np.testing.assert_allclose(variable.numpy(), want, rtol=1e-5, atol=1e-6)
    names = [v.name for v in layer.weights]
    assert names == [w.name for w in ref.weights]
    assert [v.name for v in layer.non_trainable_weights] == ["moving_mean",
                                                             "moving_variance"]
    check_output_shape(layer, ref, (None,) + shape[1:])
    check_config(layer, ref)


def test_batch_normalization_moving_statistics_formula(backend):
    """moving = moving * momentum + batch_stat * (1 - momentum), biased variance."""
    from kerasx import layers

    x = _x((8, 3))
    layer = layers.BatchNormalization(momentum=0.8)
    layer(x, training=True)
    mean = x.mean(axis=0)
    var = x.var(axis=0)
    np.testing.assert_allclose(layer.moving_mean.numpy(), 0.2 * mean, rtol=1e-5,
                               atol=1e-6)
    np.testing.assert_allclose(layer.moving_variance.numpy(), 0.8 + 0.2 * var,
                               rtol=1e-5, atol=1e-6)
    # Inference leaves them alone.
    layer(x, training=False)
    layer(x)
    np.testing.assert_allclose(layer.moving_mean.numpy(), 0.2 * mean, rtol=1e-5,
                               atol=1e-6)


def test_frozen_batch_normalization_runs_in_inference_mode(backend):
    from kerasx import layers
    from kerasx.backend import get_ops

    x = _x((6, 4))
    layer, ref = layers.BatchNormalization(), keras.layers.BatchNormalization()
    layer(x)
    ref(x)
    weights = [np.full(4, 1.5, "float32"), np.full(4, 0.25, "float32"),
               np.linspace(-1, 1, 4).astype("float32"), np.full(4, 2.0, "float32")]
    layer.set_weights(weights)
    ref.set_weights(weights)
    layer.trainable = False
    ref.trainable = False
    out = get_ops().to_numpy(layer(x, training=True))
    np.testing.assert_allclose(out, np.asarray(ref(x, training=True)), rtol=1e-5,
                               atol=1e-6)
    np.testing.assert_allclose(layer.moving_mean.numpy(), weights[2])
    assert layer.trainable_weights == []


def test_batch_normalization_with_mask(backend):
    from kerasx import layers
    from kerasx.backend import get_ops

    x = _x((3, 5, 2))
    mask = np.array([[1, 1, 1, 0, 0], [1, 1, 1, 1, 1], [1, 0, 0, 0, 0]], bool)
    layer, ref = layers.BatchNormalization(), keras.layers.BatchNormalization()
    ref_out = np.asarray(ref(x, training=True, mask=mask))
    out = get_ops().to_numpy(layer(x, training=True, mask=get_ops().convert_to_tensor(
        mask)))
    np.testing.assert_allclose(out, ref_out, rtol=1e-5, atol=1e-5)
    for variable, want in zip(layer.weights, ref.get_weights()):
        np.testing.assert_allclose(variable.numpy(), want, rtol=1e-5, atol=1e-6)


def test_batch_normalization_float64(backend):
    from kerasx import layers
    from kerasx.backend import get_ops

    x = _x((4, 3)).astype("float64")
    layer = layers.BatchNormalization(dtype="float64")
    out = layer(x, training=True)
    assert get_ops().dtype(out) == "float64"
    expected = (x - x.mean(0)) / np.sqrt(x.var(0) + 1e-3)
    np.testing.assert_allclose(get_ops().to_numpy(out), expected, rtol=1e-12)


def test_batch_normalization_errors(backend):
    from kerasx import layers

    with pytest.raises(ValueError, match="axis"):
        layers.BatchNormalization(axis=[1, 2])
    with pytest.raises(ValueError, match="momentum"):
        layers.BatchNormalization(momentum=1.5)
    with pytest.raises(ValueError, match="renorm"):
        layers.BatchNormalization(renorm=True)
    with pytest.raises(ValueError, match=r"Axis 3 is out of bounds.*\(2, 3\)"):
        layers.BatchNormalization(axis=3)(np.zeros((2, 3), "float32"))
    layer = layers.BatchNormalization()
    layer(np.zeros((2, 3), "float32"))
    with pytest.raises(ValueError, match="expected axis -1 of input shape to have value 3"):
        layer(np.zeros((2, 4), "float32"))


LN_CASES = [
    (dict(), (3, 5)),
    (dict(axis=1), (2, 4, 3)),
    (dict(axis=[1, 2], epsilon=1e-5), (2, 3, 4)),
    (dict(axis=(-2, -1)), (2, 2, 3, 4)),
    (dict(center=False), (3, 4)),
    (dict(scale=False), (3, 4)),
    (dict(center=False, scale=False, axis=-1), (2, 3, 5)),
]


@pytest.mark.parametrize("kwargs,shape", LN_CASES, ids=[str(c) for c in LN_CASES])
def test_layer_normalization_matches_keras(backend, kwargs, shape):
    from kerasx import layers

    layer, ref = layers.LayerNormalization(**kwargs), keras.layers.LayerNormalization(
        **kwargs)
    compare(backend, layer, ref, _x(shape), trainings=(None,))
    check_output_shape(layer, ref, (None,) + shape[1:])
    check_config(layer, ref)


def test_layer_normalization_errors(backend):
    from kerasx import layers

    with pytest.raises(TypeError, match="axis"):
        layers.LayerNormalization(axis="last")
    with pytest.raises(ValueError, match=r"Axis 2 is out of bounds.*\(2, 3\)"):
        layers.LayerNormalization(axis=2)(np.zeros((2, 3), "float32"))
