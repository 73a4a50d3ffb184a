"""Scale / zero-point quantization of weight matrices on the host (NumPy),
for the GPTQ and AWQ calibration.

These are the arithmetic of Keras 3's `compute_quantization_parameters`,
`quantize_with_zero_point`, `dequantize_with_zero_point` and their
group-index ("sz map") forms, written in float32 NumPy with the same order
of operations, so that a calibration gives Keras's integers. GPTQ and AWQ
are one-off host-side procedures (a column loop of tiny updates): NumPy
gives the same numbers whichever kerasx backend runs the model, and costs
no framework dispatch per column.

Weight matrices here are [out_features, in_features] (the transposed
kernel); scales and zero points are [out_features, n_groups].
"""
import numpy as np

_F32 = np.float32


def _as_f32(x):
    return np.asarray(x, dtype=_F32)


def saturate_uint8(values):
    """Cast float zero points to uint8, saturating: a negative zero point
    (possible when a whole group is positive) becomes 0.

    Keras casts with TensorFlow's cast, whose result for a negative float is
    undefined: on an AVX-512 CPU it is 0 inside vectorised blocks of 32
    values and wraps (-3 -> 253) in the tail. kerasx takes the saturated
    value on every backend.
    """
    return np.clip(np.asarray(values), 0, 255).astype(np.uint8)


def compute_quantization_parameters(x, *, bits, symmetric=False, per_channel=False,
                                    group_size=-1, epsilon=0.0, signed=False):
    """Scale, zero point and maximum level for quantizing `x`
    ([out_features, in_features]) to `bits` bits, as Keras 3.

    Grouped (per_channel and 0 < group_size < in_features): one pair per row
    and group of `group_size` columns (the last group padded with zeros
    before its min/max); per_channel: one per row; else one for the whole
    matrix, repeated for each row. The range is [min, max] widened by one on
    each side when empty; symmetric makes it [-max|x|, max|x|] (when min < 0)
    with the zero point at the middle level.

    Returns:
        (scale float32 [out, n_groups], zero uint8 [out, n_groups] (int8 when
        signed), maxq float32 scalar 2**bits - 1).

    Raises:
        ValueError: `x` is not a non-empty matrix.
    """
    if x is None:
        raise ValueError("The weight matrix to quantize cannot be None.")
    x = _as_f32(x)
    if x.ndim < 2:
        raise ValueError(f"The weight matrix to quantize must have rank 2 or more, got "
                         f"rank {x.ndim}.")
    if x.size == 0:
        raise ValueError("The weight matrix to quantize cannot be empty.")
    out_features, in_features = x.shape[0], x.shape[1]
    n_groups = -(-in_features // group_size) if per_channel and group_size > 0 else 1
    if n_groups > 1:
        pad = (-in_features) % group_size
        if pad:
            x = np.pad(x, [(0, 0), (0, pad)])
        grouped = x.reshape(out_features, n_groups, group_size)
        min_v, max_v = grouped.min(axis=2), grouped.max(axis=2)
    else:
        flat = x.reshape(out_features, -1) if per_channel else x.reshape(1, -1)
        min_v, max_v = flat.min(axis=1), flat.max(axis=1)
    if symmetric:
        max_abs = np.maximum(np.abs(min_v), max_v)
        min_v = np.where(min_v < 0, -max_abs, min_v)
        max_v = max_abs
    empty = min_v == max_v
    min_v = np.where(empty, min_v - _F32(1), min_v).astype(_F32)
    max_v = np.where(empty, max_v + _F32(1), max_v).astype(_F32)
    maxq = _F32(2 ** bits - 1)
    span = (max_v - min_v).astype(_F32)
    if epsilon > 0:
        span = (span + _F32(epsilon)).astype(_F32)
    scale = (span / maxq).astype(_F32)
    scale = np.where(scale <= 0, _F32(1e-8), scale).astype(_F32)
    if signed:
        qmin, qmax = -(2 ** (bits - 1)), 2 ** (bits - 1) - 1
        if symmetric:
            zero = np.full_like(scale, (maxq + 1) / 2 + qmin)
        else:
            zero = np.round((-min_v / scale).astype(_F32)) + qmin
        zero = np.clip(zero, qmin, qmax)
    elif symmetric:
        zero = np.full_like(scale, (maxq + 1) / 2)
    else:
        zero = np.round((-min_v / scale).astype(_F32))
    if n_groups == 1:
        if per_channel:
            scale, zero = scale.reshape(-1, 1), zero.reshape(-1, 1)
        else:
            scale = np.tile(scale.reshape(1, 1), (out_features, 1))
            zero = np.tile(zero.reshape(1, 1), (out_features, 1))
    zero = zero.astype(np.int8) if signed else saturate_uint8(zero)
    return scale, zero, maxq


def quantize_with_zero_point(x, scale, zero, maxq):
    """round(x / scale + zero) clipped to [0, maxq] (float32 levels); a zero
    scale divides by 1e-8 instead."""
    scale = _as_f32(scale)
    safe = np.where(scale == 0, _F32(1e-8), scale)
    q = np.round((_as_f32(x) / safe).astype(_F32) + _as_f32(zero))
    return np.clip(q, _F32(0), _F32(maxq)).astype(_F32)


def dequantize_with_zero_point(q, scale, zero):
    """scale * (q - zero) in float32."""
    return (_as_f32(scale) * (_as_f32(q) - _as_f32(zero))).astype(_F32)


def quantize_with_sz_map(x, scale, zero, g_idx, maxq):
    """Quantize `x` [out, in] with per-group parameters [out, n_groups]:
    column j uses group g_idx[j] (truncated to an integer)."""
    groups = np.asarray(g_idx).astype(np.int32)
    return quantize_with_zero_point(x, np.take(scale, groups, axis=-1),
                                    np.take(zero, groups, axis=-1), maxq)


def dequantize_with_sz_map(q, scale, zero, g_idx):
    """Dequantize `q` [out, in] with per-group parameters [out, n_groups]:
    (q - zero[:, g]) * scale[:, g] with g = g_idx[j] for column j."""
    groups = np.asarray(g_idx).astype(np.int32)
    scales = _as_f32(np.take(scale, groups, axis=-1))
    zeros = _as_f32(np.take(zero, groups, axis=-1))
    return ((_as_f32(q) - zeros) * scales).astype(_F32)
