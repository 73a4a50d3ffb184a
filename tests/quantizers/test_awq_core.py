"""AWQ's per-matrix numerics (kerasx/quantizers/awq.py) against Keras 3's
`awq_search_optimal_scales` / `awq_quantize_matrix` on the same inputs."""
import numpy as np
import pytest

from kerasx.quantizers import awq as xawq


def _case(seed, out, inn, group):
    rng = np.random.default_rng(seed)
    w = rng.standard_normal((out, inn)).astype(np.float32)
    # Each group holds a negative and a positive value (no negative zero
    # point, where Keras's uint8 cast is undefined).
    step = group if group > 0 else inn
    w[:, ::step] = -np.abs(w[:, ::step]) - 0.1
    w[:, 1::step] = np.abs(w[:, 1::step]) + 0.1
    x_max = np.abs(rng.standard_normal(inn) * rng.uniform(0.1, 10, inn)).astype(np.float32)
    x_max[0] = 0.0  # a silent channel counts as 1
    return w, x_max


@pytest.mark.parametrize("group", [-1, 4, 8, 128])
@pytest.mark.parametrize("seed", range(4))
def test_awq_quantize_matrix_matches_keras(group, seed):
    from keras.src.quantizers.awq import awq_quantize_matrix as keras_awq
    out, inn = 3 + 2 * seed, 12 + 5 * seed
    w, x_max = _case(seed, out, inn, group)
    expected = [np.asarray(t) for t in keras_awq(w, x_max, num_grid_points=10,
                                                 group_size=group)]
    actual = xawq.awq_quantize_matrix(w, x_max, num_grid_points=10, group_size=group)
    names = ("quantized", "scale", "zero", "awq_scales", "g_idx")
    for name, e, a in zip(names, expected, actual):
        assert a.shape == e.shape and a.dtype == e.dtype, name
    np.testing.assert_array_equal(actual[0], expected[0])
    np.testing.assert_array_equal(actual[2], expected[2])
    np.testing.assert_array_equal(actual[4], expected[4])
    # x**r: NumPy's and TensorFlow's float32 pow may differ by an ulp.
    np.testing.assert_allclose(actual[3], expected[3], rtol=1e-6)
    np.testing.assert_allclose(actual[1], expected[1], rtol=1e-6)


def test_search_prefers_scaling_salient_channels():
    # One channel with huge activations: the search scales it up relative
    # to the others, and the activation-weighted error drops.
    rng = np.random.default_rng(0)
    w = rng.standard_normal((8, 16)).astype(np.float32)
    x_max = np.full(16, 0.1, np.float32)
    x_max[3] = 50.0
    scales = xawq.awq_search_optimal_scales(w, x_max, num_grid_points=20)
    assert scales[3] > scales[0]

    def weighted_error(s):
        q, scale, zero, _, _ = xawq._quantize_scaled(w * s, -1)
        rebuilt = (q - zero) * scale / s
        return np.mean((w - rebuilt) ** 2 * x_max ** 2)

    assert weighted_error(scales) < weighted_error(np.ones(16, np.float32))


def test_activation_magnitudes_running_max():
    state = xawq.AWQ(np.zeros((3, 2), np.float32), None)
    state.update_activation_magnitudes(np.array([[[1.0, -5.0, 2.0]]], np.float32))
    state.update_activation_magnitudes(np.array([[-3.0, 1.0, 0.5], [0.0, 0.0, 4.0]]))
    np.testing.assert_array_equal(state.activation_magnitudes, [3.0, 5.0, 4.0])
    assert state.num_samples == 3
    with pytest.raises(ValueError, match="None"):
        state.update_activation_magnitudes(None)
    with pytest.raises(ValueError, match="empty"):
        state.update_activation_magnitudes(np.ones((0, 3)))
    with pytest.raises(ValueError, match="3 input features"):
        state.update_activation_magnitudes(np.ones((2, 4)))
