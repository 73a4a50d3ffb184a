"""Integer quantization as keras.quantizers: the `Quantizer` base class,
`AbsMaxQuantizer`, symmetric abs-max quantization, grouped asymmetric
quantization with a zero point, and the scale / zero-point helpers that GPTQ
and AWQ build on. All arithmetic goes through `kerasx.ops`, so it runs (and
traces) on every backend with one formula."""
import math

import numpy as np

from kerasx import ops
from kerasx.quantizers.symbolic import symbolic_aware
from kerasx.backend import epsilon as _epsilon
from kerasx.backend.dtypes import standardize_dtype

_EPSILON = _epsilon()  # Keras binds the default epsilon at import, as here.


def _dtype_of(x):
    if isinstance(x, (np.ndarray, np.generic)):
        return standardize_dtype(x.dtype)
    return ops.dtype(x)


class Quantizer:
    """Base class of quantizers, as keras.Quantizer: a callable that turns a
    float tensor into a quantized one.

    Subclasses override `__call__` and `get_config`.

    Args:
        output_dtype: the dtype of the quantized output (default "int8").
    """

    def __init__(self, output_dtype="int8"):
        self.output_dtype = output_dtype

    def __call__(self, x):
        """The quantized `x`; the base class returns `x` unchanged."""
        return x

    @classmethod
    def from_config(cls, config):
        """The quantizer a `get_config()` dict describes."""
        return cls(**config)

    def get_config(self):
        """The quantizer's constructor arguments as a dict.

        Raises:
            NotImplementedError: on the base class (subclasses define it).
        """
        raise NotImplementedError(f"{self} does not implement get_config()")


@symbolic_aware
def abs_max_quantize(inputs, axis, value_range=(-127, 127), dtype="int8",
                     epsilon=_EPSILON, to_numpy=False):
    """Symmetric quantization by the absolute maximum along `axis`, as
    keras.quantizers.abs_max_quantize.

    `scale = value_range[1] / (max(|inputs|, axis) + epsilon)` (kept in the
    input's dtype) and `quantized = clip(round(inputs * scale), *value_range)`
    cast to `dtype`; rounding is half to even.

    Args:
        inputs: the float tensor.
        axis: the axis (or axes) reduced to find the range; kept with size 1
            in `scale`.
        value_range: (min, max) of the quantized values.
        dtype: the quantized dtype.
        epsilon: added to the maximum, so that all-zero slices do not divide
            by zero.
        to_numpy: compute on the host with NumPy (saves device memory; not
            traceable).

    Returns:
        (quantized, scale).
    """
    if to_numpy:
        original_dtype = _dtype_of(inputs) if hasattr(inputs, "dtype") else "float32"
        x = ops.convert_to_numpy(inputs)
        np_axis = tuple(axis) if isinstance(axis, (list, tuple)) else axis
        scale = np.divide(value_range[1],
                          np.add(np.max(np.abs(x), axis=np_axis, keepdims=True), epsilon))
        out = np.clip(np.round(np.multiply(x, scale)), value_range[0], value_range[1])
        return (ops.convert_to_tensor(out.astype(dtype)),
                ops.convert_to_tensor(scale, dtype=original_dtype))
    inputs = ops.convert_to_tensor(inputs)
    scale = ops.divide(value_range[1],
                       ops.add(ops.max(ops.abs(inputs), axis=axis, keepdims=True), epsilon))
    scale = ops.cast(scale, _dtype_of(inputs))
    outputs = ops.clip(ops.round(ops.multiply(inputs, scale)), value_range[0], value_range[1])
    return ops.cast(outputs, dtype), scale


def compute_quantization_parameters(x, *, bits, symmetric=False, per_channel=False,
                                    group_size=-1, compute_dtype="float32", epsilon=0.0,
                                    signed=False):
    """Scale and zero point that quantize the weight matrix `x`
    (out_features, in_features) to `bits` bits, as Keras's helper of the
    same name: per tensor, per channel (row), or per group of `group_size`
    columns (when `per_channel` and `group_size > 0`; the last group is
    zero-padded).

    Symmetric ranges are widened to +-max|x|; a zero range becomes
    [min - 1, max + 1]; `scale = (max - min + epsilon) / (2**bits - 1)`.
    The zero point lies in [0, 2**bits - 1] (uint8), or with `signed` in
    [-2**(bits-1), 2**(bits-1) - 1] (int8).

    Returns:
        (scale, zero, maxq): scale and zero of shape (out_features, n_groups)
        (n_groups is 1 unless grouped), maxq = 2**bits - 1 as a scalar tensor.

    Raises:
        ValueError: for None, a tensor of rank < 2, or an empty tensor.
    """
    if x is None:
        raise ValueError(f"Input tensor {x} cannot be None.")
    x = ops.convert_to_tensor(x)
    if len(x.shape) < 2:
        raise ValueError(f"Input weight tensor {x} must have a rank of at least 2, "
                         f"but got rank {len(x.shape)}.")
    out_features, in_features = int(x.shape[0]), int(x.shape[1])
    if out_features * in_features == 0:
        raise ValueError("Input tensor 'x' cannot be empty.")
    grouped = per_channel and group_size > 0
    n_groups = (in_features + group_size - 1) // group_size if grouped else 1
    if n_groups > 1:
        pad = (-in_features) % group_size
        if pad:
            x = ops.pad(x, [[0, 0], [0, pad]], constant_values=0.0)
        x = ops.reshape(x, (out_features, n_groups, group_size))
        min_values, max_values = ops.min(x, axis=2), ops.max(x, axis=2)
    else:
        x = ops.reshape(x, (out_features, -1) if per_channel else (1, -1))
        min_values, max_values = ops.min(x, axis=1), ops.max(x, axis=1)
    if symmetric:
        max_abs = ops.maximum(ops.abs(min_values), max_values)
        min_values = ops.where(ops.less(min_values, 0), ops.negative(max_abs), min_values)
        max_values = max_abs
    flat = ops.equal(min_values, max_values)
    min_values = ops.where(flat, ops.subtract(min_values, 1), min_values)
    max_values = ops.where(flat, ops.add(max_values, 1), max_values)

    maxq = ops.convert_to_tensor(2 ** bits - 1, dtype=compute_dtype)
    ranges = ops.subtract(max_values, min_values)
    if epsilon > 0:
        ranges = ops.add(ranges, epsilon)
    scale = ops.divide(ranges, maxq)
    scale = ops.where(ops.less_equal(scale, 0), 1e-8, scale)
    if signed:
        qmin, qmax = -(2 ** (bits - 1)), 2 ** (bits - 1) - 1
        if symmetric:
            zero = ops.full_like(scale, 2 ** bits / 2 + qmin)
        else:
            zero = ops.add(ops.round(ops.divide(ops.negative(min_values), scale)), qmin)
        zero = ops.clip(zero, qmin, qmax)
    else:
        if symmetric:
            zero = ops.full_like(scale, 2 ** bits / 2)
        else:
            zero = ops.round(ops.divide(ops.negative(min_values), scale))
    if n_groups == 1:
        if per_channel:
            scale, zero = ops.reshape(scale, (-1, 1)), ops.reshape(zero, (-1, 1))
        else:
            scale = ops.tile(ops.reshape(scale, (1, 1)), (out_features, 1))
            zero = ops.tile(ops.reshape(zero, (1, 1)), (out_features, 1))
    return scale, ops.cast(zero, "int8" if signed else "uint8"), maxq


@symbolic_aware
def abs_max_quantize_grouped_with_zero_point(inputs, block_size, value_range=(-8, 7),
                                             dtype="int8", epsilon=_EPSILON,
                                             to_numpy=False):
    """Grouped asymmetric quantization of a 2D tensor (input_dim, output_dim),
    as keras.quantizers.abs_max_quantize_grouped_with_zero_point: each group
    of `block_size` rows gets, per column, `scale = (max - min + epsilon) /
    (qmax - qmin)` and `zero_point = clip(round(-min / scale) + qmin)`;
    `quantized = clip(round(inputs / scale) + zero_point, qmin, qmax)`.

    Args:
        inputs: the (input_dim, output_dim) float tensor.
        block_size: rows per group (the last group is zero-padded).
        value_range: (qmin, qmax), e.g. (-8, 7) for 4 bits.
        dtype: the quantized dtype.
        epsilon: added to each group's range.
        to_numpy: compute on the host with NumPy.

    Returns:
        (quantized, scale, zero_point): quantized of the inputs' shape, scale
        (n_groups, output_dim) in the inputs' dtype, zero_point
        (n_groups, output_dim) int8.
    """
    original_dtype = _dtype_of(inputs) if hasattr(inputs, "dtype") else "float32"
    qmin, qmax = value_range
    if to_numpy:
        x = ops.convert_to_numpy(inputs)
        input_dim, output_dim = x.shape
        n_groups = math.ceil(input_dim / block_size)
        padded = n_groups * block_size
        x = np.concatenate([x, np.zeros((padded - input_dim, output_dim), x.dtype)])
        x = x.reshape(n_groups, block_size, output_dim)
        lo, hi = x.min(axis=1, keepdims=True), x.max(axis=1, keepdims=True)
        scale = np.divide(np.subtract(hi, lo) + epsilon, qmax - qmin)
        zero = np.clip(np.round(np.divide(-lo, scale)) + qmin, qmin, qmax)
        out = np.clip(np.round(np.divide(x, scale)) + zero, qmin, qmax).astype(dtype)
        out = out.reshape(padded, output_dim)[:input_dim]
        return (ops.convert_to_tensor(out),
                ops.convert_to_tensor(np.squeeze(scale, 1), dtype=original_dtype),
                ops.convert_to_tensor(np.squeeze(zero, 1).astype("int8")))
    inputs = ops.convert_to_tensor(inputs)
    input_dim, output_dim = int(inputs.shape[0]), int(inputs.shape[1])
    bits = int(math.log2(qmax - qmin + 1))
    n_groups = math.ceil(input_dim / block_size)
    padded = n_groups * block_size
    scale_t, zero_t, _ = compute_quantization_parameters(
        ops.transpose(inputs), bits=bits, symmetric=False, per_channel=True,
        group_size=block_size, compute_dtype=original_dtype, epsilon=epsilon, signed=True)
    scale, zero = ops.transpose(scale_t), ops.transpose(zero_t)
    if padded > input_dim:
        inputs = ops.concatenate(
            [inputs, ops.zeros((padded - input_dim, output_dim), dtype=_dtype_of(inputs))],
            axis=0)
    grouped = ops.reshape(inputs, (n_groups, block_size, output_dim))
    out = ops.add(ops.round(ops.divide(grouped, ops.expand_dims(scale, 1))),
                  ops.expand_dims(zero, 1))
    out = ops.cast(ops.clip(out, qmin, qmax), dtype)
    out = ops.reshape(out, (padded, output_dim))[:input_dim, :]
    return out, scale, zero


def quantize_with_zero_point(input_tensor, scale, zero, maxq):
    """`clip(round(input / scale + zero), 0, maxq)` (a zero scale counts as
    1e-8), in the scale's dtype: the levels of unsigned asymmetric
    quantization."""
    tiny = ops.convert_to_tensor(1e-8, dtype=_dtype_of(scale))
    safe_scale = ops.where(ops.equal(scale, 0), tiny, scale)
    q = ops.round(ops.add(ops.divide(input_tensor, safe_scale),
                          ops.cast(zero, _dtype_of(scale))))
    return ops.clip(q, 0, maxq)


def dequantize_with_zero_point(input_tensor, scale, zero):
    """`scale * (input - zero)`: the inverse of `quantize_with_zero_point`."""
    return ops.multiply(scale, ops.subtract(input_tensor, ops.cast(zero, _dtype_of(scale))))


def quantize_with_sz_map(weights_matrix, scale, zero, g_idx, maxq, group_axis=-1):
    """`quantize_with_zero_point` with per-group parameters: position i
    along the quantized dimension uses group `g_idx[i]` of `scale` and
    `zero` (taken along `group_axis`)."""
    groups = ops.cast(g_idx, "int32")
    return quantize_with_zero_point(weights_matrix, ops.take(scale, groups, axis=group_axis),
                                    ops.take(zero, groups, axis=group_axis), maxq)


def dequantize_with_sz_map(weights_matrix, scale, zero, g_idx, group_axis=-1):
    """`(weights - zero[g_idx]) * scale[g_idx]`, the groups' parameters taken
    along `group_axis`: the inverse of `quantize_with_sz_map`."""
    groups = ops.cast(g_idx, "int32")
    scales = ops.take(scale, groups, axis=group_axis)
    zeros = ops.cast(ops.take(zero, groups, axis=group_axis), _dtype_of(scales))
    return ops.multiply(ops.subtract(weights_matrix, zeros), scales)


class AbsMaxQuantizer(Quantizer):
    """Quantizer by the absolute maximum (`abs_max_quantize`), as
    keras.quantizers.AbsMaxQuantizer.

    Args:
        axis: deprecated default axis (an int or a tuple); pass `axis` to
            `__call__` instead. None: -1 at call time.
        value_range: (min, max) of the quantized values.
        epsilon: added to the maximum before dividing.
        output_dtype: the quantized dtype.

    Raises:
        ValueError: with output_dtype "int8", a value_range outside
            [-128, 127].
    """

    def __init__(self, axis=None, value_range=(-127, 127), epsilon=_EPSILON,
                 output_dtype="int8"):
        Quantizer.__init__(self, output_dtype=output_dtype)
        if axis is not None:
            axis = (axis,) if isinstance(axis, int) else tuple(axis)
        self.axis = axis
        self.value_range = value_range
        self.epsilon = epsilon
        if output_dtype == "int8" and (value_range[0] < -128 or value_range[1] > 127):
            raise ValueError("Quantizer with output_dtype='int8' requires value_range to "
                             f"be within the interval [-128, 127]. Received: "
                             f"value_range={value_range}")

    def __call__(self, x, axis=None, to_numpy=False):
        """(quantized, scale) of `x` along `axis` (else the constructor's
        axis, else -1)."""
        if axis is None:
            axis = self.axis if self.axis is not None else -1
        return abs_max_quantize(x, axis, self.value_range, self.output_dtype, self.epsilon,
                                to_numpy)

    def get_config(self):
        """value_range, epsilon, output_dtype (and axis when set)."""
        config = {"value_range": self.value_range, "epsilon": self.epsilon,
                  "output_dtype": self.output_dtype}
        if self.axis is not None:
            config["axis"] = self.axis
        return config
