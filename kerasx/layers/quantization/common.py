"""Pieces the quantization modes share: exact products of integer tensors,
the float layers' epilogue (bias, activation), weight variables."""
from kerasx import ops

# A float32 sum of products of int8 values is exact while it stays below
# 2**24: 127 * 127 * 1040 < 2**24. Longer contractions run in float64, exact
# far beyond any layer size, so the result is always Keras's int32 product.
_FLOAT32_EXACT_TERMS = (2 ** 24) // (127 * 127)


def exact_dtype(terms):
    """The float dtype in which a sum of `terms` products of int8 values is
    computed exactly."""
    return "float32" if terms <= _FLOAT32_EXACT_TERMS else "float64"


def integer_matmul(a, b, terms, compute_dtype):
    """matmul of two integer-valued tensors (int8 in Keras, which multiplies
    them into int32), cast to `compute_dtype`."""
    work = exact_dtype(terms)
    out = ops.matmul(ops.cast(a, work), ops.cast(b, work))
    return out if work == compute_dtype else ops.cast(out, compute_dtype)


def integer_einsum(equation, a, b, terms, compute_dtype):
    """einsum of two integer-valued tensors, exact, cast to `compute_dtype`."""
    work = exact_dtype(terms)
    out = ops.einsum(equation, ops.cast(a, work), ops.cast(b, work))
    return out if work == compute_dtype else ops.cast(out, compute_dtype)


def finish(layer, x):
    """The end of a Dense / EinsumDense call: bias, then activation."""
    if layer.bias is not None:
        x = ops.add(x, layer.bias.value)
    if layer.activation is not None:
        x = layer.activation(x)
    return x


def frozen_weight(layer, name, shape, dtype=None, initializer="zeros"):
    """A non-trainable weight of `layer` (quantized values and their scales)."""
    return layer.add_weight(name=name, shape=shape, initializer=initializer,
                            dtype=dtype, trainable=False)


def upstream_of(args, upstream):
    """The output gradient a custom gradient function receives (TensorFlow
    passes it positionally, the other backends as `upstream=`)."""
    return args[0] if upstream is None else upstream


def per_channel_dense(layer, inputs, kernel, kernel_scale):
    """A Dense call on integer levels `kernel` (input_dim, units) with
    per-output-channel `kernel_scale` (int8, and int4 unpacked): inputs
    quantized by the layer's inputs quantizer when it has one, the exact
    integer product rescaled; the gradient flows to the inputs only, through
    the dequantized kernel. The levels are closed over, not arguments: they
    get no gradient (Keras returns None for them, which not every backend's
    custom gradient accepts)."""
    compute = layer.compute_dtype
    terms = ops.shape(kernel)[0]

    def forward(x):
        def grad(*args, upstream=None):
            upstream = upstream_of(args, upstream)
            float_kernel = ops.divide(ops.cast(kernel, compute), kernel_scale)
            return ops.matmul(upstream, ops.transpose(float_kernel))

        if layer.inputs_quantizer:
            x, inputs_scale = layer.inputs_quantizer(x, axis=-1)
            y = integer_matmul(x, kernel, terms, compute)
            y = ops.divide(y, ops.multiply(kernel_scale, inputs_scale))
        else:
            y = ops.divide(ops.matmul(x, ops.cast(kernel, compute)), kernel_scale)
        return y, grad

    return finish(layer, ops.custom_gradient(forward)(inputs))
