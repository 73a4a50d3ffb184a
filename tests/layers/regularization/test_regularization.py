"""SpatialDropout2D, GaussianNoise and the Dropout family against Keras 3
(TensorFlow backend), and their portable randomness: one seed gives the same
masks and noise on every backend."""
import numpy as np
import pytest

from tests.conftest import AVAILABLE_BACKENDS
from tests.layer_parity import check_config, check_output_shape, report

keras = pytest.importorskip("keras")


@pytest.fixture(scope="module", autouse=True)
def _report():
    yield
    report("regularization layers")


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




# ---------------------------------------------------------------------------
# SpatialDropout2D
# ---------------------------------------------------------------------------
def test_spatial_dropout_drops_whole_channels(backend):
    from kerasx import layers
    from kerasx.backend import get_ops

    rate = 0.4
    x = np.abs(_x((64, 3, 3, 8), seed=5)) + 0.1
    for data_format, channel_axis in (("channels_last", 3), ("channels_first", 1)):
        layer = layers.SpatialDropout2D(rate, data_format=data_format, seed=11)
        out = get_ops().to_numpy(layer(x, training=True))
        kept = out != 0
        spatial = (1, 2) if channel_axis == 3 else (2, 3)
        # Each (sample, channel) map is either all kept or all dropped ...
        per_map = kept.mean(axis=spatial)
        assert set(np.unique(per_map)) <= {0.0, 1.0}
        # ... kept maps are scaled by 1 / (1 - rate) ...
        np.testing.assert_allclose(out[kept], x[kept] / (1 - rate), rtol=1e-6)
        # ... and about `rate` of them are dropped (512 maps: +- 4 sigma).
        assert abs((1 - per_map.mean()) - rate) < 4 * np.sqrt(rate * (1 - rate) / 512)
        # Inference is the identity.
        np.testing.assert_array_equal(get_ops().to_numpy(layer(x)), x)
        np.testing.assert_array_equal(get_ops().to_numpy(layer(x, training=False)), x)


def test_spatial_dropout_same_seed_same_mask_on_every_backend():
    x = _x((4, 2, 2, 6), seed=2)

    def run():
        from kerasx import layers
        from kerasx.backend import get_ops

        layer = layers.SpatialDropout2D(0.5, seed=3)
        return [get_ops().to_numpy(layer(x, training=True)) for _ in range(2)]

    results = _on_every_backend(run)
    first = results[AVAILABLE_BACKENDS[0]]
    assert not np.array_equal(first[0] != 0, first[1] != 0)  # the stream advances
    for name, outs in results.items():
        for got, want in zip(outs, first):
            np.testing.assert_array_equal(got != 0, want != 0, err_msg=name)
            np.testing.assert_allclose(got, want, rtol=1e-6, err_msg=name)


def test_spatial_dropout_shapes_config_and_errors(backend):
    from kerasx import layers

    layer, ref = layers.SpatialDropout2D(0.3, seed=1), keras.layers.SpatialDropout2D(
        0.3, seed=1)
    check_output_shape(layer, ref, (None, 4, 4, 3))
    check_config(layer, ref)
    with pytest.raises(ValueError, match="rate=1.5"):
        layers.SpatialDropout2D(1.5)
    with pytest.raises(ValueError, match="data_format"):
        layers.SpatialDropout2D(0.5, data_format="nhwc")
    with pytest.raises(ValueError, match="expected ndim=4, found ndim=3"):
        layers.SpatialDropout2D(0.5)(np.zeros((2, 3, 4), "float32"), training=True)


# ---------------------------------------------------------------------------
# GaussianNoise
# ---------------------------------------------------------------------------
def test_gaussian_noise_statistics_and_inference(backend):
    from kerasx import layers
    from kerasx.backend import get_ops

    x = _x((200, 50), seed=4)
    layer = layers.GaussianNoise(0.5, seed=9)
    noise = get_ops().to_numpy(layer(x, training=True)) - x
    assert abs(noise.mean()) < 4 * 0.5 / 100          # 10,000 draws
    assert abs(noise.std() - 0.5) < 0.02
    np.testing.assert_array_equal(get_ops().to_numpy(layer(x)), x)
    np.testing.assert_array_equal(get_ops().to_numpy(layer(x, training=False)), x)
    ref = keras.layers.GaussianNoise(0.5, seed=9)
    check_output_shape(layer, ref, (None, 50))
    check_config(layer, ref)
    with pytest.raises(ValueError, match="stddev=-0.1"):
        layers.GaussianNoise(-0.1)


def test_gaussian_noise_same_seed_same_noise_on_every_backend():
    x = _x((3, 5), seed=6)

    def run():
        from kerasx import layers
        from kerasx.backend import get_ops

        layer = layers.GaussianNoise(0.3, seed=21)
        return [get_ops().to_numpy(layer(x, training=True)) for _ in range(2)]

    results = _on_every_backend(run)
    first = results[AVAILABLE_BACKENDS[0]]
    assert not np.array_equal(first[0], first[1])
    for name, outs in results.items():
        for got, want in zip(outs, first):
            np.testing.assert_array_equal(got, want, err_msg=name)


def test_dropout_family_in_a_model_follows_training_flag(backend):
    import kerasx
    from kerasx.backend import get_ops

    inp = kerasx.Input((2, 2, 3))
    out = kerasx.layers.GaussianNoise(0.1, seed=1)(
        kerasx.layers.SpatialDropout2D(0.5, seed=2)(inp))
    model = kerasx.Model(inp, out)
    x = _x((2, 2, 2, 3))
    np.testing.assert_array_equal(get_ops().to_numpy(model(x)), x)
    assert not np.array_equal(get_ops().to_numpy(model(x, training=True)), x)
