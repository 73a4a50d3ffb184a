"""keras.quantizers.fake_quant_with_min_max_vars: quantize to `num_bits`
levels between nudged [min, max] and dequantize, with the straight-through
gradient of TensorFlow's fake-quant kernels (the Keras reference: its
TensorFlow backend calls them). Written once in kerasx ops."""
from kerasx import ops
from kerasx.quantizers.symbolic import symbolic_aware


def _round_half_away(z):
    # TensorFlow nudges the zero point with std::round (ties away from zero);
    # z is never negative here.
    down = ops.floor(z)
    return ops.where(ops.greater_equal(ops.subtract(z, down), 0.5), ops.add(down, 1.0), down)


def _nudge(min_val, max_val, num_bits, narrow_range):
    quant_min = 1.0 if narrow_range else 0.0
    quant_max = float((1 << num_bits) - 1)
    span = ops.subtract(max_val, min_val)
    scale = ops.divide(span, quant_max - quant_min)
    inv_scale = ops.divide(quant_max - quant_min, span)  # not 1/scale: keeps precision
    zero_from_min = ops.subtract(quant_min, ops.divide(min_val, scale))
    zero = _round_half_away(ops.clip(zero_from_min, quant_min, quant_max))
    nudged_min = ops.multiply(ops.subtract(quant_min, zero), scale)
    nudged_max = ops.multiply(ops.subtract(quant_max, zero), scale)
    return nudged_min, nudged_max, scale, inv_scale


@symbolic_aware
def fake_quant_with_min_max_vars(inputs, min_vals, max_vals, num_bits=8, narrow_range=False,
                                 axis=None):
    """Fake quantization, per tensor (`axis=None`, scalar min/max) or per
    channel along `axis` (min/max of that axis's length), as
    keras.quantizers.fake_quant_with_min_max_vars.

    [min, max] is nudged so that zero is exactly representable; inputs are
    clamped to it, quantized to [0, 2**num_bits - 1] ([1, ...] with
    `narrow_range`) and dequantized. The result has the inputs' dtype (the
    arithmetic is float32). Gradients: the upstream gradient passes to the
    inputs inside [nudged_min, nudged_max]; below it goes to `min_vals`,
    above it to `max_vals` (summed over the non-channel axes).

    Args:
        inputs: the float tensor.
        min_vals, max_vals: the range, scalars or per-channel vectors.
        num_bits: the bit width (8 by default).
        narrow_range: use [1, 2**num_bits - 1].
        axis: the channel axis, or None for per-tensor.

    Raises:
        ValueError: for an axis out of range.
    """
    inputs = ops.convert_to_tensor(inputs)
    min_vals = ops.convert_to_tensor(min_vals)
    max_vals = ops.convert_to_tensor(max_vals)
    num_bits = int(num_bits)
    rank = len(inputs.shape)
    if axis is not None:
        if not -rank <= axis < rank:
            raise ValueError(f"fake_quant_with_min_max_vars: axis={axis} is out of range "
                             f"for inputs of rank {rank}.")
        axis = axis % rank
    dtype = ops.dtype(inputs)
    min_shape, max_shape = tuple(min_vals.shape), tuple(max_vals.shape)

    @ops.custom_gradient
    def fake_quant(x, min_val, max_val):
        # The channel axis is moved last so that per-channel vectors broadcast.
        xf = ops.cast(x, "float32")
        if axis is not None:
            xf = ops.moveaxis(xf, axis, -1)
            lo, hi = ops.cast(min_val, "float32"), ops.cast(max_val, "float32")
        else:
            lo = ops.reshape(ops.cast(min_val, "float32"), ())
            hi = ops.reshape(ops.cast(max_val, "float32"), ())
        nudged_min, nudged_max, scale, inv_scale = _nudge(lo, hi, num_bits, narrow_range)
        quant_zero = ops.floor(ops.add(ops.multiply(ops.negative(nudged_min), inv_scale), 0.5))
        clamped = ops.minimum(ops.maximum(xf, nudged_min), nudged_max)
        shifted = ops.subtract(clamped, nudged_min)
        levels = ops.floor(ops.add(ops.subtract(ops.multiply(shifted, inv_scale), quant_zero),
                                   0.5))
        result = ops.multiply(levels, scale)
        if axis is not None:
            result = ops.moveaxis(result, -1, axis)
        below = ops.less(xf, nudged_min)
        above = ops.greater(xf, nudged_max)
        inside = ops.logical_not(ops.logical_or(below, above))

        def grad(*args, upstream=None):
            if upstream is None:
                (upstream,) = args
            up = ops.cast(upstream, "float32")
            if axis is not None:
                up = ops.moveaxis(up, axis, -1)
            zeros = ops.zeros_like(up)
            dx = ops.where(inside, up, zeros)
            reduce = tuple(range(rank - 1)) if axis is not None else None
            dmin = ops.sum(ops.where(below, up, zeros), axis=reduce)
            dmax = ops.sum(ops.where(above, up, zeros), axis=reduce)
            if axis is not None:
                dx = ops.moveaxis(dx, -1, axis)
            return (ops.cast(dx, dtype),
                    ops.cast(ops.reshape(dmin, min_shape), ops.dtype(min_val)),
                    ops.cast(ops.reshape(dmax, max_shape), ops.dtype(max_val)))

        return ops.cast(result, dtype), grad

    return fake_quant(inputs, min_vals, max_vals)
