"""SpatialDropout1D/3D, AlphaDropout, GaussianDropout, ActivityRegularization
and Identity against Keras 3 (TensorFlow backend) where Keras is
deterministic (configs, shapes, penalties, inference), and their portable
randomness (Keras's RNG differs): the statistics, and one seed gives the
same output on every backend."""
import math

import numpy as np
import pytest

from tests.conftest import AVAILABLE_BACKENDS
from tests.layer_parity import assert_close, check_config, check_output_shape, report

keras = pytest.importorskip("keras")

ALPHA_P = -1.6732632423543772848170429916717 * 1.0507009873554804934193349852946


@pytest.fixture(scope="module", autouse=True)
def _report():
    yield
    report("more regularization layers")


def _x(shape, seed=1, scale=3.0, shift=1.0):
    return (np.random.default_rng(seed).standard_normal(shape) * scale
            + shift).astype("float32")


def _on_every_backend(fn):
    """fn() run under each installed backend; results as NumPy."""
    import kerasx.backend as kb

    previous, results = kb.backend(), {}
    try:
        for name in AVAILABLE_BACKENDS:
            kb.set_backend(name)
            results[name] = fn()
    finally:
        kb.set_backend(previous)
    return results


def _same_on_every_backend(make, x, exact=True):
    """Two training calls of make() under every backend: the stream advances,
    and every backend gives the first backend's outputs."""
    def run():
        from kerasx.backend import get_ops
        layer = make()
        return [get_ops().to_numpy(layer(x, training=True)) for _ in range(2)]

    results = _on_every_backend(run)
    first = results[AVAILABLE_BACKENDS[0]]
    assert not np.array_equal(first[0], first[1])
    for name, outs in results.items():
        for got, want in zip(outs, first):
            if exact:
                np.testing.assert_array_equal(got, want, err_msg=name)
            else:
                np.testing.assert_allclose(got, want, rtol=1e-6, atol=1e-6, err_msg=name)


# ---------------------------------------------------------------------------
# SpatialDropout1D / 3D
# ---------------------------------------------------------------------------
@pytest.mark.parametrize("name, kwargs, shape, spatial", [
    ("SpatialDropout1D", {}, (64, 3, 8), (1,)),
    ("SpatialDropout3D", {}, (32, 2, 2, 2, 16), (1, 2, 3)),
    ("SpatialDropout3D", dict(data_format="channels_first"), (32, 16, 2, 2, 2),
     (2, 3, 4)),
])
def test_spatial_dropout_drops_whole_channels(backend, name, kwargs, shape, spatial):
    from kerasx import layers
    from kerasx.backend import get_ops

    rate = 0.4
    x = np.abs(_x(shape, seed=5)) + 0.1
    layer = getattr(layers, name)(rate, seed=11, **kwargs)
    out = get_ops().to_numpy(layer(x, training=True))
    kept = out != 0
    per_map = kept.mean(axis=spatial)
    assert set(np.unique(per_map)) <= {0.0, 1.0}
    np.testing.assert_allclose(out[kept], x[kept] / (1 - rate), rtol=1e-6)
    maps = per_map.size  # 512 maps: +- 4 sigma
    assert abs((1 - per_map.mean()) - rate) < 4 * np.sqrt(rate * (1 - rate) / maps)
    np.testing.assert_array_equal(get_ops().to_numpy(layer(x)), x)
    ref = getattr(keras.layers, name)(rate, seed=11, **kwargs)
    check_output_shape(layer, ref, (None,) + shape[1:])
    check_config(layer, ref)


@pytest.mark.parametrize("name, shape", [("SpatialDropout1D", (4, 3, 6)),
                                         ("SpatialDropout3D", (3, 2, 2, 2, 5))])
def test_spatial_dropout_same_seed_same_mask_on_every_backend(name, shape):
    from kerasx import layers
    _same_on_every_backend(lambda: getattr(layers, name)(0.5, seed=3), _x(shape, seed=2),
                           exact=False)


def test_spatial_dropout_errors(backend):
    from kerasx import layers
    with pytest.raises(ValueError, match="rate=1.5"):
        layers.SpatialDropout1D(1.5)
    with pytest.raises(ValueError, match="data_format"):
        layers.SpatialDropout3D(0.5, data_format="ndhwc")
    with pytest.raises(ValueError, match="expected ndim=5, found ndim=4"):
        layers.SpatialDropout3D(0.5)(np.zeros((2, 3, 4, 1), "float32"), training=True)
    with pytest.raises(ValueError, match="expected ndim=3, found ndim=2"):
        layers.SpatialDropout1D(0.5)(np.zeros((2, 3), "float32"), training=True)


# ---------------------------------------------------------------------------
# AlphaDropout
# ---------------------------------------------------------------------------
def test_alpha_dropout_formula_and_statistics(backend):
    from kerasx import layers
    from kerasx.backend import get_ops

    rate = 0.3
    a = ((1 - rate) * (1 + rate * ALPHA_P ** 2)) ** -0.5
    b = -a * ALPHA_P * rate
    x = np.random.default_rng(3).standard_normal((200, 100)).astype("float32")
    layer = layers.AlphaDropout(rate, seed=4)
    out = get_ops().to_numpy(layer(x, training=True))
    dropped = np.isclose(out, a * ALPHA_P + b, atol=1e-6)
    np.testing.assert_allclose(out[~dropped], a * x[~dropped] + b, rtol=1e-5, atol=1e-6)
    assert abs(dropped.mean() - rate) < 4 * math.sqrt(rate * (1 - rate) / x.size)
    # The point of alpha dropout: zero mean and unit variance are kept.
    assert abs(out.mean()) < 0.03 and abs(out.std() - 1) < 0.03
    np.testing.assert_array_equal(get_ops().to_numpy(layer(x)), x)
    # noise_shape: one mask per column, broadcast over the rows.
    a = (0.5 * (1 + 0.5 * ALPHA_P ** 2)) ** -0.5
    layer = layers.AlphaDropout(0.5, noise_shape=(1, None), seed=1)
    out = get_ops().to_numpy(layer(x[:4], training=True))
    column_dropped = np.isclose(out, a * ALPHA_P * 0.5, atol=1e-6)  # a * alpha' + b
    assert (column_dropped == column_dropped[0:1]).all()
    assert 0 < column_dropped[0].sum() < x.shape[1]


def test_alpha_dropout_same_seed_same_output_on_every_backend():
    from kerasx import layers
    _same_on_every_backend(lambda: layers.AlphaDropout(0.4, seed=7), _x((3, 6)),
                           exact=False)


def test_alpha_dropout_config_and_errors(backend):
    from kerasx import layers
    layer = layers.AlphaDropout(0.2, noise_shape=(None, 1), seed=3)
    ref = keras.layers.AlphaDropout(0.2, noise_shape=(None, 1), seed=3)
    check_output_shape(layer, ref, (None, 4))
    check_config(layer, ref)
    with pytest.raises(ValueError, match="rate=1.2"):
        layers.AlphaDropout(1.2)


# ---------------------------------------------------------------------------
# GaussianDropout
# ---------------------------------------------------------------------------
def test_gaussian_dropout_statistics(backend):
    from kerasx import layers
    from kerasx.backend import get_ops

    rate = 0.2
    x = np.abs(_x((200, 50), seed=4)) + 0.5
    layer = layers.GaussianDropout(rate, seed=9)
    noise = get_ops().to_numpy(layer(x, training=True)) / x
    stddev = math.sqrt(rate / (1 - rate))
    assert abs(noise.mean() - 1) < 4 * stddev / 100      # 10,000 draws
    assert abs(noise.std() - stddev) < 0.02
    np.testing.assert_array_equal(get_ops().to_numpy(layer(x)), x)
    ref = keras.layers.GaussianDropout(rate, seed=9)
    check_output_shape(layer, ref, (None, 50))
    check_config(layer, ref)
    with pytest.raises(ValueError, match="rate=-0.1"):
        layers.GaussianDropout(-0.1)


def test_gaussian_dropout_same_seed_same_output_on_every_backend():
    from kerasx import layers
    _same_on_every_backend(lambda: layers.GaussianDropout(0.3, seed=21), _x((3, 5)),
                           exact=False)


# ---------------------------------------------------------------------------
# ActivityRegularization, Identity
# ---------------------------------------------------------------------------
def test_activity_regularization_matches_keras(backend):
    from kerasx import layers
    from kerasx.backend import get_ops

    x = _x((3, 4))
    layer = layers.ActivityRegularization(l1=0.1, l2=0.2)
    ref = keras.layers.ActivityRegularization(l1=0.1, l2=0.2)
    out = layer(x)
    ref_out = ref(x)
    np.testing.assert_array_equal(get_ops().to_numpy(out), x)
    assert len(layer.losses) == len(ref.losses) == 1
    assert_close("penalty", get_ops().to_numpy(layer.losses[0]),
                 np.asarray(ref.losses[0]), backend)
    np.testing.assert_array_equal(np.asarray(ref_out), x)
    check_output_shape(layer, ref, (None, 4))
    check_config(layer, ref)


def test_identity_matches_keras(backend):
    import kerasx
    from kerasx import layers
    from kerasx.backend import get_ops

    x = _x((2, 3, 4))
    layer, ref = layers.Identity(), keras.layers.Identity()
    np.testing.assert_array_equal(get_ops().to_numpy(layer(x)), np.asarray(ref(x)))
    check_output_shape(layer, ref, (None, 3, 4))
    check_config(layer, ref)
    # Masks pass through, as Keras's.
    inputs = kerasx.Input((3,))
    masked = layers.Embedding(5, 2, mask_zero=True)(inputs)
    model = kerasx.Model(inputs, layers.GlobalAveragePooling1D()(layers.Identity()(masked)))
    ids = np.array([[1, 2, 0], [3, 0, 0]])
    emb = model.layers[1].get_weights()[0]
    want = np.stack([emb[[1, 2]].mean(0), emb[[3]].mean(0)])
    np.testing.assert_allclose(get_ops().to_numpy(model(ids)), want, rtol=1e-6)


def test_compiled_training_draws_as_eager_and_as_every_backend():
    """fit through AlphaDropout, GaussianDropout and SpatialDropout1D: the
    compiled step draws the same masks and noise as the eager one, and every
    backend ends at the same weights (the same seeds)."""
    import kerasx

    x = _x((8, 4, 6), seed=2)
    y = np.ones((8, 1), "float32")

    def train(run_eagerly):
        inputs = kerasx.Input((4, 6))
        h = kerasx.layers.SpatialDropout1D(0.3, seed=3)(inputs)
        h = kerasx.layers.Dense(6)(kerasx.layers.Flatten()(h))
        h = kerasx.layers.AlphaDropout(0.3, seed=1)(h)
        h = kerasx.layers.GaussianDropout(0.3, seed=2)(h)
        model = kerasx.Model(inputs, kerasx.layers.Dense(1)(h))
        model.compile(optimizer=kerasx.optimizers.SGD(0.05), loss="mse",
                      run_eagerly=run_eagerly)
        model.set_weights([np.full(w.shape, 0.1, "float32") for w in model.get_weights()])
        model.fit(x, y, batch_size=4, epochs=2, shuffle=False, verbose=0)
        return model.get_weights()

    results = _on_every_backend(lambda: [train(True), train(False)])
    first = results[AVAILABLE_BACKENDS[0]][0]
    untrained_dense = np.full((24, 6), 0.1, "float32")
    assert not np.allclose(first[0], untrained_dense)
    for name, (eager, compiled) in results.items():
        for got_eager, got_compiled, want in zip(eager, compiled, first):
            np.testing.assert_allclose(got_compiled, got_eager, rtol=1e-6, atol=1e-7,
                                       err_msg=f"{name} compiled vs eager")
            np.testing.assert_allclose(got_eager, want, rtol=1e-5, atol=1e-6,
                                       err_msg=f"{name} vs {AVAILABLE_BACKENDS[0]}")
