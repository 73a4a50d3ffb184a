"""Float8 quantization as keras.quantizers: `quantize_and_dequantize` and the
delayed-scaling helpers `compute_float8_scale` / `compute_float8_amax_history`.

kerasx's backends have no float8 dtype, so the cast to float8 is emulated in
float32 (float64 for float64 inputs): each value is rounded, half to even, to
the float8 grid of its binade (subnormals included), which is what the cast
in Keras (ml_dtypes) does for in-range values. `quantize_and_dequantize`
clips to the format's range first, as Keras does, so no value overflows.
"""
from kerasx import ops
from kerasx.quantizers.symbolic import symbolic_aware

# name: (mantissa bits, exponent of the smallest normal, largest finite value)
FLOAT8_FORMATS = {
    "float8_e4m3fn": (3, -6, 448.0),
    "float8_e5m2": (2, -14, 57344.0),
}


def _float8_format(dtype):
    if dtype not in FLOAT8_FORMATS:
        raise ValueError(f"Unsupported float8 dtype {dtype!r}: kerasx emulates "
                         f"{', '.join(FLOAT8_FORMATS)}.")
    return FLOAT8_FORMATS[dtype]


def float8_max(dtype):
    """The largest finite value of the float8 `dtype` (as ml_dtypes.finfo).

    Raises:
        ValueError: for a dtype other than float8_e4m3fn / float8_e5m2.
    """
    return _float8_format(dtype)[2]


def round_to_float8(x, dtype):
    """`x` rounded (half to even) to the nearest value of the float8 `dtype`,
    as a float32 tensor (float64 for float64 `x`): the numbers of a cast to
    float8 and back. `x` must lie within +-float8_max(dtype) (larger values
    would not saturate as the real cast's NaN/inf do).

    Raises:
        ValueError: for a dtype other than float8_e4m3fn / float8_e5m2.
    """
    mantissa, min_exponent, _ = _float8_format(dtype)
    x = ops.convert_to_tensor(x)
    work = "float64" if ops.dtype(x) == "float64" else "float32"
    x = ops.cast(x, work)
    magnitude = ops.maximum(ops.abs(x), 2.0 ** min_exponent)
    # floor(log2) may be off by one next to a power of two: correct it exactly.
    exponent = ops.floor(ops.log2(magnitude))
    exponent = ops.where(ops.greater(ops.power(2.0, exponent), magnitude),
                         ops.subtract(exponent, 1.0), exponent)
    exponent = ops.where(ops.less_equal(ops.power(2.0, ops.add(exponent, 1.0)), magnitude),
                         ops.add(exponent, 1.0), exponent)
    # The spacing of the grid in this binade (a power of two: exact scaling).
    step = ops.power(2.0, ops.subtract(exponent, float(mantissa)))
    magnitude = ops.multiply(ops.round(ops.divide(ops.abs(x), step)), step)
    # The sign is put back explicitly (MXNet's round drops it from -0); 1/x
    # tells -0 from +0 (signbit has no compiled form on MXNet).
    negative = ops.logical_or(ops.less(x, 0.0), ops.less(ops.divide(1.0, x), 0.0))
    return ops.where(negative, ops.negative(magnitude), magnitude)


@symbolic_aware
def quantize_and_dequantize(inputs, scale, quantized_dtype, compute_dtype):
    """`inputs / scale` clipped to the float8 range, rounded to the float8
    `quantized_dtype`, and multiplied back by `scale`, in `compute_dtype`, as
    keras.quantizers.quantize_and_dequantize.

    Args:
        inputs: the float tensor.
        scale: the scale (a scalar tensor, or one that broadcasts).
        quantized_dtype: "float8_e4m3fn" or "float8_e5m2".
        compute_dtype: the dtype of the arithmetic and of the result.

    Raises:
        ValueError: for another quantized dtype.
    """
    limit = ops.convert_to_tensor(float8_max(quantized_dtype), dtype=compute_dtype)
    x = ops.divide(inputs, ops.convert_to_tensor(scale, dtype=compute_dtype))
    x = ops.minimum(ops.maximum(x, ops.negative(limit)), limit)
    x = ops.cast(round_to_float8(x, quantized_dtype), compute_dtype)
    return ops.multiply(x, ops.convert_to_tensor(scale, dtype=compute_dtype))


@symbolic_aware
def compute_float8_scale(amax, scale, dtype_max, margin=0):
    """The next scale of delayed float8 scaling, as
    keras.quantizers.compute_float8_scale: `1 / (dtype_max / amax / 2**margin)`,
    keeping `scale` where `amax` is not positive or not finite."""
    previous = ops.reciprocal(scale)
    factor = ops.divide(ops.divide(dtype_max, amax), 2 ** margin)
    factor = ops.where(ops.greater(amax, 0.0), factor, previous)
    factor = ops.where(ops.isfinite(amax), factor, previous)
    return ops.reciprocal(factor)


@symbolic_aware
def compute_float8_amax_history(x, amax_history):
    """`amax_history` rolled one step left with max(|x|) written at index 0,
    as keras.quantizers.compute_float8_amax_history."""
    amax_history = ops.convert_to_tensor(amax_history)
    amax = ops.cast(ops.max(ops.abs(ops.convert_to_tensor(x))), ops.dtype(amax_history))
    return ops.scatter_update(ops.roll(amax_history, shift=-1),
                              ops.convert_to_tensor([[0]], dtype="int32"),
                              ops.reshape(amax, (1,)))
