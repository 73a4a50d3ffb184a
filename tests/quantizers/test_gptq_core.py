"""GPTQ's per-matrix numerics (kerasx/quantizers/gptq.py, zero_point.py)
against Keras 3's own functions on the same inputs: the same integers,
scales, zero points and group indices."""
import numpy as np
import pytest

from kerasx.quantizers import gptq as xgptq
from kerasx.quantizers import zero_point as xzp


def _weights(rng, out, inn, group):
    """Random weights where every group of columns holds a clearly negative
    and a clearly positive value, so that no zero point is negative (there
    Keras's uint8 cast is undefined; kerasx saturates, see
    test_negative_zero_point_saturates)."""
    w = rng.standard_normal((out, inn)).astype(np.float32)
    step = group if group > 0 else inn
    w[:, ::step] = -np.abs(w[:, ::step]) - 2.0
    w[:, 1::step] = np.abs(w[:, 1::step]) + 2.0
    return w


def _inverse_hessian(rng, inn, damping=0.01):
    x = rng.standard_normal((64, inn)).astype(np.float32)
    x[:, 0] = 0.0  # a dead input: its diagonal becomes 1
    hessian = (np.float32(2 / 64) * (x.T @ x)).astype(np.float32)
    damped = xgptq.damped_hessian(hessian, damping)
    return damped, np.linalg.inv(damped).astype(np.float32)


@pytest.mark.parametrize("bits", [2, 3, 4, 8])
@pytest.mark.parametrize("symmetric", [False, True])
@pytest.mark.parametrize("per_channel,group_size", [(True, -1), (True, 4), (True, 5),
                                                    (False, -1), (True, 64)])
def test_quantization_parameters_match_keras(bits, symmetric, per_channel, group_size):
    from keras.src.quantizers.quantizers import compute_quantization_parameters as keras_params
    rng = np.random.default_rng(bits * 7 + group_size)
    x = _weights(rng, 6, 18, group_size if per_channel else -1)
    x[2] = 0.5  # a constant row: the range is widened by one on each side
    expected = keras_params(x, bits=bits, symmetric=symmetric, per_channel=per_channel,
                            group_size=group_size)
    actual = xzp.compute_quantization_parameters(x, bits=bits, symmetric=symmetric,
                                                 per_channel=per_channel, group_size=group_size)
    for name, e, a in zip(("scale", "zero", "maxq"), expected, actual):
        e = np.asarray(e)
        assert a.dtype == e.dtype, name
        np.testing.assert_array_equal(a, e, err_msg=name)


def test_signed_parameters_match_keras():
    from keras.src.quantizers.quantizers import compute_quantization_parameters as keras_params
    x = _weights(np.random.default_rng(3), 5, 12, -1)
    for symmetric in (False, True):
        e = keras_params(x, bits=4, symmetric=symmetric, per_channel=True, signed=True,
                         epsilon=1e-3)
        a = xzp.compute_quantization_parameters(x, bits=4, symmetric=symmetric,
                                                per_channel=True, signed=True, epsilon=1e-3)
        np.testing.assert_array_equal(a[0], np.asarray(e[0]))
        np.testing.assert_array_equal(a[1], np.asarray(e[1]))
        assert a[1].dtype == np.int8


def test_negative_zero_point_saturates():
    # A group whose values are all positive has zero point round(-min/scale)
    # < 0. Keras's TensorFlow cast to uint8 gives 0 or a wrapped byte
    # depending on the position in the tensor; kerasx always gives 0.
    x = np.array([[1.0, 2.0, 3.0, 4.0], [-1.0, 0.5, 2.0, 3.0]], np.float32)
    scale, zero, maxq = xzp.compute_quantization_parameters(x, bits=4, per_channel=True)
    np.testing.assert_array_equal(zero[:, 0], [0, 4])  # round(1 / (4 / 15))
    np.testing.assert_allclose(scale[:, 0], [0.2, 4 / 15], rtol=1e-7)
    assert maxq == 15


def test_parameter_errors():
    with pytest.raises(ValueError, match="rank 2"):
        xzp.compute_quantization_parameters(np.ones(3), bits=4)
    with pytest.raises(ValueError, match="empty"):
        xzp.compute_quantization_parameters(np.ones((0, 3)), bits=4)
    with pytest.raises(ValueError, match="None"):
        xzp.compute_quantization_parameters(None, bits=4)


def test_zero_point_round_trip_matches_keras():
    from keras.src.quantizers import quantizers as kq
    rng = np.random.default_rng(5)
    w = _weights(rng, 4, 12, 4)
    scale, zero, maxq = xzp.compute_quantization_parameters(w, bits=4, per_channel=True,
                                                            group_size=4)
    g_idx = (np.arange(12) // 4).astype(np.float32)
    q = xzp.quantize_with_sz_map(w, scale, zero, g_idx, maxq)
    np.testing.assert_array_equal(q, np.asarray(kq.quantize_with_sz_map(w, scale, zero, g_idx,
                                                                        maxq)))
    np.testing.assert_array_equal(xzp.dequantize_with_sz_map(q, scale, zero, g_idx),
                                  np.asarray(kq.dequantize_with_sz_map(q, scale, zero, g_idx)))
    # Dequantized weights are within half a step of the originals.
    step = np.take(scale, g_idx.astype(int), axis=1)
    assert np.all(np.abs(xzp.dequantize_with_sz_map(q, scale, zero, g_idx) - w)
                  <= step / 2 + 1e-6)


CASES = [  # out, in, blocksize, group_size, activation_order, symmetric, bits
    (6, 16, 128, -1, False, False, 4),
    (6, 16, 4, 4, False, False, 4),
    (5, 20, 10, 5, True, True, 3),
    (7, 12, 128, 6, True, False, 8),
    (4, 12, 6, 3, False, True, 2),
    (8, 24, 128, 16, False, False, 4),  # groups spanning intra-block updates
    (3, 9, 128, 12, False, False, 4),   # a group larger than the matrix
]


@pytest.mark.parametrize("case", CASES, ids=[str(c) for c in CASES])
def test_gptq_quantize_matrix_matches_keras(case):
    from keras.src.quantizers.gptq import gptq_quantize_matrix as keras_gptq
    from keras.src.quantizers.quantizers import compute_quantization_parameters as keras_params
    out, inn, blocksize, group, act_order, symmetric, bits = case
    rng = np.random.default_rng(sum(case))
    w = _weights(rng, out, inn, group)
    damped, inverse = _inverse_hessian(rng, inn)

    def keras_find(m):
        return keras_params(m, bits=bits, symmetric=symmetric, per_channel=True,
                            group_size=group)

    def kerasx_find(m):
        return xzp.compute_quantization_parameters(m, bits=bits, symmetric=symmetric,
                                                   per_channel=True, group_size=group)

    kwargs = dict(blocksize=blocksize, group_size=group, activation_order=act_order,
                  order_metric=np.diagonal(damped))
    expected = [np.asarray(t) for t in keras_gptq(w, inverse, compute_scale_zero=keras_find,
                                                  **kwargs)]
    actual = xgptq.gptq_quantize_matrix(w, inverse, compute_scale_zero=kerasx_find, **kwargs)
    for name, e, a in zip(("quantized", "scale", "zero", "g_idx"), expected, actual):
        assert a.shape == e.shape and a.dtype == e.dtype, name
    np.testing.assert_array_equal(actual[0], expected[0])
    np.testing.assert_array_equal(actual[2], expected[2])
    np.testing.assert_array_equal(actual[3], expected[3])
    # Scales: equal but for the block-to-block propagation, a matmul whose
    # summation order differs between NumPy and TensorFlow (ulps).
    np.testing.assert_allclose(actual[1], expected[1], rtol=1e-6, atol=0)
    assert actual[0].min() >= 0 and actual[0].max() <= 2 ** bits - 1


@pytest.mark.parametrize("group", [-1, 6])
def test_groups_across_blocks_get_one_set_of_parameters(group):
    # One-group (-1) or block-straddling groups with several blocks: Keras
    # recomputes a group's parameters at each block start (n_groups + k
    # parameter columns, which its layer then cannot take); kerasx makes them
    # once. The first block, where both agree, is checked against Keras.
    from keras.src.quantizers.gptq import gptq_quantize_matrix as keras_gptq
    from keras.src.quantizers.quantizers import compute_quantization_parameters as keras_params
    rng = np.random.default_rng(4)
    w = _weights(rng, 5, 10, group)
    _, inverse = _inverse_hessian(rng, 10)
    ours = xgptq.gptq_quantize_matrix(w, inverse, blocksize=4, group_size=group)
    theirs = [np.asarray(t) for t in keras_gptq(
        w, inverse, blocksize=4, group_size=group,
        compute_scale_zero=lambda m: keras_params(m, bits=4, per_channel=True,
                                                  group_size=group))]
    n_groups = 1 if group == -1 else 2
    assert ours[1].shape == (5, n_groups) and theirs[1].shape[1] > n_groups
    np.testing.assert_array_equal(ours[0][:, :4], theirs[0][:, :4])
    np.testing.assert_array_equal(ours[1][:, :1], theirs[1][:, :1])
    np.testing.assert_array_equal(ours[2][:, :1], theirs[2][:, :1])


def test_default_order_metric_matches_keras():
    # Without an order metric, columns are ordered by 1 / diag(inverse Hessian).
    from keras.src.quantizers.gptq import gptq_quantize_matrix as keras_gptq
    from keras.src.quantizers.quantizers import compute_quantization_parameters as keras_params
    rng = np.random.default_rng(11)
    w = _weights(rng, 5, 10, -1)
    _, inverse = _inverse_hessian(rng, 10)
    expected = [np.asarray(t) for t in keras_gptq(
        w, inverse, activation_order=True,
        compute_scale_zero=lambda m: keras_params(m, bits=4, per_channel=True))]
    actual = xgptq.gptq_quantize_matrix(w, inverse, activation_order=True)
    for e, a in zip(expected, actual):
        np.testing.assert_array_equal(a, e)


def test_stable_permutation_keeps_tied_order():
    perm = xgptq.stable_permutation(np.array([1.0, 3.0, 1.0, 3.0, 2.0], np.float32))
    np.testing.assert_array_equal(perm, [1, 3, 4, 0, 2])


def test_damped_hessian_matches_keras_steps():
    h = np.array([[2.0, 0.5, 0.0], [0.5, 4.0, 0.0], [0.0, 0.0, 0.0]], np.float32)
    d = xgptq.damped_hessian(h, 0.1)
    mean = (2.0 + 4.0 + 1.0) / 3  # the dead diagonal counts as 1
    np.testing.assert_allclose(np.diagonal(d), [2 + 0.1 * mean, 4 + 0.1 * mean,
                                                1 + 0.1 * mean], rtol=1e-6)
    assert d[0, 1] == 0.5 and d[1, 0] == 0.5


def test_hessian_accumulation_matches_keras():
    import keras
    from keras.src.quantizers.gptq import GPTQ as KerasGPTQ
    from keras.src.quantizers.gptq_config import GPTQConfig
    rng = np.random.default_rng(2)
    layer = keras.layers.Dense(3)
    layer.build((None, 6))
    config = GPTQConfig(dataset=None, tokenizer=None)
    reference = KerasGPTQ(layer, config)
    ours = xgptq.GPTQ(np.asarray(layer.kernel), config)
    for rows in (5, 7, 1):
        batch = rng.standard_normal((2, rows, 6)).astype(np.float32)
        reference.update_hessian_with_batch(batch.reshape(-1, 6))
        ours.update_hessian_with_batch(batch)
    assert ours.num_samples == reference.num_samples == 26
    np.testing.assert_allclose(ours.hessian, np.asarray(reference.hessian), rtol=1e-6,
                               atol=1e-6)


def test_hessian_errors():
    state = xgptq.GPTQ(np.zeros((4, 2), np.float32), None)
    with pytest.raises(ValueError, match="None"):
        state.update_hessian_with_batch(None)
    with pytest.raises(ValueError, match="rank >= 2"):
        state.update_hessian_with_batch(np.ones(4))
    with pytest.raises(ValueError, match="empty"):
        state.update_hessian_with_batch(np.ones((0, 4)))
    with pytest.raises(ValueError, match="do not match"):
        state.update_hessian_with_batch(np.ones((2, 3)))
    with pytest.raises(ValueError, match="matrix"):
        xgptq.GPTQ(np.zeros((2, 2, 2)), None)
