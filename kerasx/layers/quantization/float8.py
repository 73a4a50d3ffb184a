"""Mode "float8": float8 training with delayed scaling, as Keras's float8
Dense / EinsumDense.

The float kernel stays (and trains). Inputs and kernel are
quantized-dequantized to float8_e4m3fn with their `*_scale` variables, the
output's gradient to float8_e5m2 with `outputs_grad_scale`. The scales
and the `*_amax_history` windows (length `amax_history_length`, 1024 by
default) are trainable variables with `overwrite_with_gradient`: the
custom gradients return their next values (the new scale from the history's
maximum, the history rolled with the new |x| max), and the optimizer
assigns them, as in Keras. In inference (`training` false) they stay.

As Keras does for float32 layers (to let XLA fuse the bias add in
bfloat16), the bias is rounded to bfloat16 before it is added, and its
gradient likewise (TensorFlow's cast gradient).
"""
from kerasx import ops
from kerasx.layers.quantization import common, modes
from kerasx.layers.quantization.int8 import einsum_info

_E4M3_MAX = 448.0      # ml_dtypes.finfo("float8_e4m3fn").max
_E5M2_MAX = 57344.0    # ml_dtypes.finfo("float8_e5m2").max
_VARIABLES = ("inputs_scale", "inputs_amax_history", "kernel_scale",
              "kernel_amax_history", "outputs_grad_scale", "outputs_grad_amax_history")


def _quantizers():
    from kerasx import quantizers
    return quantizers


def _bfloat16_round(x):
    """float32 `x` rounded to the nearest bfloat16 (ties to even), as a cast
    to bfloat16 and back: the top 16 bits of the float32, rounded."""
    bits = ops.view(x, "int32")
    lsb = ops.bitwise_and(ops.right_shift(bits, 16), 1)
    bits = ops.add(bits, ops.add(lsb, 0x7FFF))
    return ops.view(ops.bitwise_and(bits, -65536), "float32")


def _bfloat16_cast_round_trip(x):
    """`cast(cast(x, bfloat16), float32)` with TensorFlow's gradient (the
    gradient is rounded to bfloat16 too)."""
    def forward(value):
        def grad(*args, upstream=None):
            return _bfloat16_round(common.upstream_of(args, upstream))
        return _bfloat16_round(value), grad
    return ops.custom_gradient(forward)(x)


class _Float8(modes.ModeHandler):
    mode = "float8"
    keeps_float_weight = True
    variable_order = ("kernel", "bias") + _VARIABLES

    def build(self, layer, shape, config):
        from kerasx.dtype_policies import QuantizedFloat8DTypePolicy
        length = getattr(layer.dtype_policy, "amax_history_length",
                         QuantizedFloat8DTypePolicy.default_amax_history_length)
        for name in _VARIABLES:
            history = name.endswith("amax_history")
            setattr(layer, name, layer.add_weight(
                name=name, shape=(length,) if history else (),
                initializer="zeros" if history else "ones", dtype="float32",
                trainable=True, autocast=False, overwrite_with_gradient=True))

    def quantize(self, layer, config):
        self.build(layer, None, config)

    def product(self, layer, x, kernel):
        """The layer's float product of (quantized-dequantized) x and kernel."""
        raise NotImplementedError

    def call(self, layer, inputs, training=None):
        q = _quantizers()
        compute = layer.compute_dtype

        # The scale comes first: MXNet's custom gradient drops the gradients
        # of every argument when the first one is a constant (the inputs).
        def qdq_forward(scale, amax_history, x):
            if training:
                new_scale = q.compute_float8_scale(
                    ops.max(amax_history, axis=0), scale,
                    ops.convert_to_tensor(_E4M3_MAX, "float32"))
                new_history = q.compute_float8_amax_history(x, amax_history)
            else:
                new_scale = new_history = None

            def grad(*args, upstream=None):
                return new_scale, new_history, common.upstream_of(args, upstream)

            return q.quantize_and_dequantize(x, scale, "float8_e4m3fn", compute), grad

        def qdq_backward(scale, amax_history, y):
            def grad(*args, upstream=None):
                upstream = common.upstream_of(args, upstream)
                new_scale = q.compute_float8_scale(
                    ops.max(amax_history, axis=0), scale,
                    ops.convert_to_tensor(_E5M2_MAX, "float32"))
                qdq_upstream = q.quantize_and_dequantize(upstream, scale, "float8_e5m2",
                                                         compute)
                new_history = q.compute_float8_amax_history(upstream, amax_history)
                return new_scale, new_history, qdq_upstream

            # A new tensor, not `y` itself: MXNet's autograd refuses an
            # operation whose output is its input.
            return ops.copy(y), grad

        qdq = ops.custom_gradient(qdq_forward)
        x = self.product(layer,
                         qdq(layer.inputs_scale.value, layer.inputs_amax_history.value,
                             inputs),
                         qdq(layer.kernel_scale.value, layer.kernel_amax_history.value,
                             layer.kernel.value))
        x = ops.custom_gradient(qdq_backward)(layer.outputs_grad_scale.value,
                                              layer.outputs_grad_amax_history.value, x)
        if layer.bias is not None:
            bias = layer.bias.value
            if layer.dtype_policy.compute_dtype == "float32":
                bias = _bfloat16_cast_round_trip(bias)
            x = ops.add(x, bias)
        if layer.activation is not None:
            x = layer.activation(x)
        return x


class Float8Dense(_Float8):
    """float8 Dense."""

    def product(self, layer, x, kernel):
        return ops.matmul(x, kernel)


class Float8EinsumDense(_Float8):
    """float8 EinsumDense."""

    def build(self, layer, shape, config):
        einsum_info(layer)
        super().build(layer, shape, config)

    def product(self, layer, x, kernel):
        return ops.einsum(layer.equation, x, kernel)


modes.register("dense", Float8Dense())
modes.register("einsum_dense", Float8EinsumDense())
