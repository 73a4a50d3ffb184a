"""keras.quantizers' functions in kerasx against Keras 3 (TensorFlow backend)
on every kerasx backend: int8 / grouped int4 quantization, int4 packing,
float8 rounding (bit for bit, incl. subnormals and the range edges),
delayed-scaling helpers and fake quantization with its gradients."""
import ml_dtypes
import numpy as np
import pytest

import kerasx
from kerasx import quantizers as xq
from kerasx.backend import get_ops

keras = pytest.importorskip("keras")
tf = pytest.importorskip("tensorflow")
kq = keras.quantizers
RNG = np.random.default_rng(7)


def np_(x):
    return np.asarray(kerasx.ops.convert_to_numpy(x))


def _same(got, want):
    got, want = np_(got), np.asarray(want)
    assert got.shape == want.shape and got.dtype == want.dtype, (got.dtype, want.dtype)
    np.testing.assert_array_equal(got, want)


@pytest.mark.parametrize("dtype", ["float16", "float64"])
def test_quantizers_in_other_float_dtypes(backend, dtype):
    """float16 and float64 inputs keep their dtype in the scales, as Keras.
    float16 division may differ by one ulp between frameworks (so may a
    level, at a tie)."""
    x = (RNG.normal(size=(6, 7)) * 3).astype(dtype)
    rtol = 1e-3 if dtype == "float16" else 1e-12
    q, s = xq.abs_max_quantize(x, -1)
    kq_, ks = kq.abs_max_quantize(x, -1)
    assert np_(s).dtype == ks.numpy().dtype == np.dtype(dtype)
    np.testing.assert_allclose(np_(s), ks.numpy(), rtol=rtol)
    assert np.abs(np_(q).astype(int) - kq_.numpy().astype(int)).max() <= (dtype == "float16")
    got = xq.abs_max_quantize_grouped_with_zero_point(x, 4)
    want = kq.abs_max_quantize_grouped_with_zero_point(x, 4)
    assert np_(got[1]).dtype == np.dtype(dtype)
    np.testing.assert_allclose(np_(got[1]), want[1].numpy(), rtol=rtol)
    assert np.abs(np_(got[0]).astype(int) - want[0].numpy().astype(int)).max() <= \
        (dtype == "float16")
    f = xq.fake_quant_with_min_max_vars(x, -2.0, 3.0)
    kf = kq.fake_quant_with_min_max_vars(x, -2.0, 3.0).numpy()
    assert np_(f).dtype == kf.dtype
    np.testing.assert_allclose(np_(f), kf, rtol=rtol)


@pytest.mark.parametrize("axis", [-1, 0, (0, 1)])
def test_abs_max_quantize(backend, axis):
    x = (RNG.normal(size=(4, 5, 3)) * 3).astype("float32")
    x[0, 0, 0] = 0.5 * 127 / (np.abs(x).max() + 1e-7)  # a value whose product ties
    for to_numpy in (False, True):
        q, s = xq.abs_max_quantize(x, axis, to_numpy=to_numpy)
        kq_, ks = kq.abs_max_quantize(x, axis, to_numpy=to_numpy)
        _same(q, kq_.numpy())
        np.testing.assert_allclose(np_(s), ks.numpy(), rtol=1e-6)
    q, s = xq.AbsMaxQuantizer(value_range=(-8, 7))(x, axis=axis)
    kq_, ks = kq.AbsMaxQuantizer(value_range=(-8, 7))(x, axis=axis)
    _same(q, kq_.numpy())
    np.testing.assert_allclose(np_(s), ks.numpy(), rtol=1e-6)


@pytest.mark.parametrize("shape,block", [((10, 4), 4), ((8, 3), 8), ((7, 2), 128)])
def test_grouped_quantize_with_zero_point(backend, shape, block):
    w = RNG.normal(size=shape).astype("float32")
    w[:, 0] = 0.0  # a zero-range column
    for to_numpy in (False, True):
        got = xq.abs_max_quantize_grouped_with_zero_point(w, block, to_numpy=to_numpy)
        want = kq.abs_max_quantize_grouped_with_zero_point(w, block, to_numpy=to_numpy)
        _same(got[0], want[0].numpy())
        np.testing.assert_allclose(np_(got[1]), want[1].numpy(), rtol=1e-6)
        _same(got[2], want[2].numpy())


@pytest.mark.parametrize("symmetric,per_channel,group_size,signed", [
    (False, False, -1, False), (True, True, -1, False), (False, True, 4, True),
    (True, True, 3, True)])
def test_compute_quantization_parameters(backend, symmetric, per_channel, group_size, signed):
    from keras.src.quantizers.quantizers import compute_quantization_parameters as ref
    x = RNG.normal(size=(3, 10)).astype("float32")
    kw = dict(bits=4, symmetric=symmetric, per_channel=per_channel, group_size=group_size,
              signed=signed)
    got, want = xq.compute_quantization_parameters(x, **kw), ref(x, **kw)
    np.testing.assert_allclose(np_(got[0]), want[0].numpy(), rtol=1e-6)
    _same(got[1], want[1].numpy())
    assert float(np_(got[2])) == float(want[2].numpy()) == 15.0
    with pytest.raises(ValueError, match="rank"):
        xq.compute_quantization_parameters(x[0], bits=4)


def test_quantize_with_sz_map(backend):
    from keras.src.quantizers import quantizers as kqs
    w = RNG.normal(size=(3, 8)).astype("float32")
    scale, zero, maxq = kqs.compute_quantization_parameters(w, bits=4, per_channel=True,
                                                            group_size=4)
    g_idx = np.repeat(np.arange(2), 4).astype("int32")
    args = (w, scale.numpy(), zero.numpy(), g_idx)
    q = xq.quantize_with_sz_map(*args, np_(maxq))
    np.testing.assert_array_equal(np_(q), kqs.quantize_with_sz_map(*args, maxq).numpy())
    d = xq.dequantize_with_sz_map(np_(q), *args[1:])
    np.testing.assert_allclose(np_(d), kqs.dequantize_with_sz_map(np_(q), *args[1:]).numpy(),
                               rtol=1e-6, atol=1e-7)


@pytest.mark.parametrize("shape,axis", [((5, 3), 0), ((4, 3), 0), ((2, 5), 1),
                                        ((3, 5, 2), -2), ((7,), 0)])
@pytest.mark.parametrize("dtype", ["int8", "uint8"])
def test_pack_unpack_int4_are_keras_bytes(backend, shape, axis, dtype):
    lo, hi = (-8, 8) if dtype == "int8" else (0, 16)
    arr = RNG.integers(lo, hi, size=shape).astype(dtype)
    packed, packed_shape, n = xq.pack_int4(kerasx.ops.convert_to_tensor(arr), axis, dtype)
    kpacked, kshape, kn = kq.pack_int4(tf.constant(arr), axis, dtype)
    _same(packed, kpacked.numpy())
    assert (packed_shape, n) == (kshape, kn)
    unpacked = xq.unpack_int4(packed, n, axis, dtype)
    _same(unpacked, kq.unpack_int4(kpacked, kn, axis, dtype).numpy())
    _same(unpacked, arr)


def test_pack_int4_errors(backend):
    with pytest.raises(ValueError, match="'int8' or 'uint8'"):
        xq.pack_int4(np.zeros((2, 2), "int8"), dtype="int32")
    with pytest.raises(TypeError, match="Expected int8 tensor"):
        xq.pack_int4(np.zeros((2, 2), "int32"))
    with pytest.raises(TypeError, match="int8 or uint8"):
        xq.unpack_int4(np.zeros((2, 2), "int32"), 4)


def _float8_probe_values(fmt):
    finfo = ml_dtypes.finfo(fmt)
    grid = np.arange(256, dtype=np.uint8).view(getattr(ml_dtypes, fmt)).astype("float32")
    grid = grid[np.isfinite(grid)]
    grid = np.unique(grid)
    mids = (grid[:-1] + grid[1:]) / 2  # exact ties: round half to even
    near = np.concatenate([np.nextafter(mids, np.inf), np.nextafter(mids, -np.inf)])
    fmax, tiny = float(finfo.max), float(finfo.smallest_subnormal)
    edges = [0.0, -0.0, tiny, -tiny, tiny / 2, tiny / 2 * 1.0001, -tiny / 3, fmax, -fmax,
             fmax * 1.03, -fmax * 1.1, 1e30, -1e30, np.inf, -np.inf, 1e-30]
    rand = np.concatenate([RNG.normal(size=2000) * fmax / 8, RNG.uniform(-1, 1, 2000) * tiny * 16,
                           2.0 ** RNG.uniform(-40, 18, 2000)])
    return np.concatenate([grid, mids, near, edges, rand]).astype("float32")


@pytest.mark.parametrize("fmt", ["float8_e4m3fn", "float8_e5m2"])
@pytest.mark.parametrize("scale", [1.0, 0.37])
def test_quantize_and_dequantize_is_bit_exact(backend, fmt, scale):
    x = _float8_probe_values(fmt)
    got = np_(xq.quantize_and_dequantize(x, scale, fmt, "float32"))
    want = kq.quantize_and_dequantize(x, scale, fmt, "float32").numpy()
    assert got.dtype == np.float32
    bad = np.nonzero(got.view(np.int32) != want.view(np.int32))[0]
    assert bad.size == 0, (x[bad][:5], got[bad][:5], want[bad][:5])


@pytest.mark.parametrize("fmt", ["float8_e4m3fn", "float8_e5m2"])
def test_quantize_and_dequantize_float16_compute(backend, fmt):
    x = (RNG.normal(size=500) * 30).astype("float16")
    got = np_(xq.quantize_and_dequantize(x, np.float16(0.5), fmt, "float16"))
    want = kq.quantize_and_dequantize(x, np.float16(0.5), fmt, "float16").numpy()
    assert got.dtype == np.float16
    np.testing.assert_array_equal(got.view(np.int16), want.view(np.int16))


def test_quantize_and_dequantize_rejects_other_dtypes(backend):
    with pytest.raises(ValueError, match="float8_e4m3fn"):
        xq.quantize_and_dequantize(np.ones(3, "float32"), 1.0, "int8", "float32")


def test_compute_float8_scale_and_amax_history(backend):
    amax = np.array([0.0, 3.0, np.inf, 5.0, np.nan, -1.0], "float32")
    scale = np.array([1.0, 2.0, 0.5, 4.0, 3.0, 0.25], "float32")
    for margin in (0, 2):
        got = np_(xq.compute_float8_scale(amax, scale, 448.0, margin))
        want = kq.compute_float8_scale(amax, scale, 448.0, margin).numpy()
        np.testing.assert_allclose(got, want, rtol=1e-6)
    x = RNG.normal(size=(3, 4)).astype("float32")
    history = np.array([1.0, 2.0, 3.0, 4.0], "float32")
    got = np_(xq.compute_float8_amax_history(x, history))
    np.testing.assert_array_equal(got, kq.compute_float8_amax_history(
        x, tf.constant(history)).numpy())


_FAKE_QUANT_CASES = [
    (-1.3, 2.1, None, 8, False, 1.0),
    (-2.5, 252.5, None, 8, False, 60.0),  # zero point 2.5: TensorFlow rounds it away
    (0.2, 1.0, None, 4, True, 1.0),  # min > 0
    ("ch", "ch", 1, 8, False, 1.0),
    ("ch", "ch", -1, 3, True, 1.0),
    ("ch", "ch", 0, 8, False, 1.0),
]


@pytest.mark.parametrize("lo,hi,axis,num_bits,narrow,spread", _FAKE_QUANT_CASES)
def test_fake_quant_values_and_gradients(backend, lo, hi, axis, num_bits, narrow, spread):
    x = (RNG.normal(size=(4, 3, 5)) * 2 * spread).astype("float32")
    if lo == "ch":
        n = x.shape[axis]
        lo = RNG.uniform(-2, -0.1, n).astype("float32")
        hi = RNG.uniform(0.1, 2, n).astype("float32")
    lo, hi = np.asarray(lo, "float32"), np.asarray(hi, "float32")
    w = RNG.normal(size=x.shape).astype("float32")
    refs = [tf.constant(v) for v in (x, lo, hi)]
    with tf.GradientTape() as tape:
        tape.watch(refs)
        y_ref = kq.fake_quant_with_min_max_vars(*refs, num_bits=num_bits,
                                                narrow_range=narrow, axis=axis)
        loss = tf.reduce_sum(y_ref * w)
    grads_ref = tape.gradient(loss, refs)

    ops = get_ops()
    variables = [ops.variable(v) for v in (x, lo, hi)]
    seen = {}

    def fn():
        y = xq.fake_quant_with_min_max_vars(*[ops.variable_value(v) for v in variables],
                                            num_bits=num_bits, narrow_range=narrow, axis=axis)
        seen["y"] = y
        return kerasx.ops.sum(kerasx.ops.multiply(y, w))

    _, grads = kerasx.ops.gradients.value_and_grad(fn, variables)
    np.testing.assert_allclose(np_(seen["y"]), y_ref.numpy(), rtol=1e-6, atol=1e-6)
    for got, want in zip(grads, grads_ref):
        want = want.numpy()
        # min/max gradients are sums of many terms (summation order differs).
        np.testing.assert_allclose(np_(got), want, rtol=1e-5,
                                   atol=1e-6 * max(1.0, np.abs(want).max()))
    # Outside a gradient computation: the forward value only.
    np.testing.assert_allclose(np_(xq.fake_quant_with_min_max_vars(
        x, lo, hi, num_bits, narrow, axis)), y_ref.numpy(), rtol=1e-6, atol=1e-6)


def test_fake_quant_bad_axis(backend):
    with pytest.raises(ValueError, match="axis=3 is out of range"):
        xq.fake_quant_with_min_max_vars(np.ones((2, 2), "float32"), [-1.0, -1.0], [1.0, 1.0],
                                        axis=3)


def test_quantization_functions_trace(backend):
    """The functions run inside a compiled kerasx function (traceable)."""
    x = (RNG.normal(size=(6, 4)) * 3).astype("float32")

    def step(t):
        q, s = xq.abs_max_quantize(t, -1)
        f8 = xq.quantize_and_dequantize(t, 0.5, "float8_e4m3fn", "float32")
        return q, s, f8

    compiled = get_ops().compile_function(step, jit_compile=False) or step
    q, s, f8 = compiled(kerasx.ops.convert_to_tensor(x))
    _same(q, kq.abs_max_quantize(x, -1)[0].numpy())
    np.testing.assert_array_equal(np_(f8), kq.quantize_and_dequantize(
        x, 0.5, "float8_e4m3fn", "float32").numpy())


def test_functions_on_keras_tensors_build_a_model(backend):
    """Called on keras.Input, the functions are graph nodes, as in Keras."""
    inputs = kerasx.Input((5,))
    fq = xq.fake_quant_with_min_max_vars(inputs, -1.0, 1.0, num_bits=4)
    f8 = xq.quantize_and_dequantize(inputs, 0.01, "float8_e5m2", "float32")
    q, s = xq.abs_max_quantize(inputs, -1)
    assert (fq.shape, f8.shape, q.shape, s.shape, q.dtype) == \
        ((None, 5), (None, 5), (None, 5), (None, 1), "int8")
    model = kerasx.Model(inputs, [fq, f8, q])
    x = RNG.normal(size=(3, 5)).astype("float32")
    got = model(x)
    np.testing.assert_allclose(np_(got[0]), kq.fake_quant_with_min_max_vars(
        x, -1.0, 1.0, num_bits=4).numpy(), rtol=1e-6, atol=1e-6)
    np.testing.assert_array_equal(np_(got[1]), kq.quantize_and_dequantize(
        x, 0.01, "float8_e5m2", "float32").numpy())
    _same(got[2], kq.abs_max_quantize(x, -1)[0].numpy())


def test_quantize_and_dequantize_gradients(backend):
    """As Keras on TensorFlow: no gradient through the float8 rounding (the
    inputs get zeros), the scale gets the one through the dequantization."""
    x = np.array([0.3, 1.7, 500.0, -600.0, 2.0, -0.01], "float32")
    w = np.array([1.0, 2.0, 3.0, 4.0, 5.0, 6.0], "float32")
    refs = [tf.constant(x), tf.constant(0.7)]
    with tf.GradientTape() as tape:
        tape.watch(refs)
        loss = tf.reduce_sum(kq.quantize_and_dequantize(*refs, "float8_e4m3fn", "float32") * w)
    gx_ref, gs_ref = tape.gradient(loss, refs)
    assert gx_ref is None
    ops = get_ops()
    variables = [ops.variable(x), ops.variable(np.float32(0.7))]
    _, (gx, gs) = kerasx.ops.gradients.value_and_grad(lambda: kerasx.ops.sum(kerasx.ops.multiply(
        xq.quantize_and_dequantize(*[ops.variable_value(v) for v in variables],
                                   "float8_e4m3fn", "float32"), w)), variables)
    np.testing.assert_array_equal(np_(gx), np.zeros_like(x))
    np.testing.assert_allclose(np_(gs), gs_ref.numpy(), rtol=1e-6)
