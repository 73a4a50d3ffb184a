"""Mode "int8": weights stored as int8 with a per-channel float scale
(`kernel_scale`, `embeddings_scale`: quantized = round(w * scale)), and,
by default, the inputs quantized per row on the fly (AbsMaxQuantizer), as
Keras's int8 Dense / EinsumDense / Embedding.

Training (Keras's custom gradient): the int8 weights are frozen; the
inputs' gradient is taken through the dequantized kernel, the bias and
anything before the layer train as usual.
"""
import math

from kerasx import ops
from kerasx.backend import get_ops
from kerasx.layers.quantization import common, modes
from kerasx.layers.quantization.einsum_axes import EinsumQuantizationInfo


def _quantizers():
    from kerasx import quantizers
    return quantizers


class Int8Dense(modes.ModeHandler):
    """int8 Dense: `kernel` int8 (input_dim, units), `kernel_scale` (units,)."""

    mode = "int8"
    variable_order = ("kernel", "bias", "kernel_scale")

    def build(self, layer, shape, config):
        q = _quantizers()
        layer.inputs_quantizer = q.QuantizationConfig.activation_quantizer_or_default(
            config, q.AbsMaxQuantizer())
        layer.kernel = common.frozen_weight(layer, "kernel", shape, "int8")
        layer.kernel_scale = common.frozen_weight(layer, "kernel_scale", (layer.units,),
                                                  initializer="ones")

    def quantize(self, layer, config):
        q = _quantizers()
        quantizer = q.QuantizationConfig.weight_quantizer_or_default(
            config, q.AbsMaxQuantizer(axis=0))
        kernel = modes.replace_float_weight(layer, "kernel")
        values, scale = quantizer(kernel.value, to_numpy=True)
        self.build(layer, tuple(kernel.shape), config)
        layer.kernel.assign(values)
        layer.kernel_scale.assign(ops.squeeze(scale, axis=0))

    def call(self, layer, inputs, training=None):
        return common.per_channel_dense(layer, inputs, layer.kernel.value,
                                        layer.kernel_scale.value)


class Int8EinsumDense(modes.ModeHandler):
    """int8 EinsumDense: `kernel` int8 (the float kernel's shape),
    `kernel_scale` in the output's layout (see einsum_axes.py)."""

    mode = "int8"
    variable_order = ("kernel", "bias", "kernel_scale")

    def build(self, layer, shape, config):
        q = _quantizers()
        info = einsum_info(layer)
        layer.inputs_quantizer = q.QuantizationConfig.activation_quantizer_or_default(
            config, q.AbsMaxQuantizer())
        layer.quantization_axis = tuple(info.input_reduced_axes)
        layer.kernel = common.frozen_weight(layer, "kernel", shape, "int8")
        layer.kernel_scale = common.frozen_weight(
            layer, "kernel_scale", info.kernel_scale_shape(shape), initializer="ones")

    def quantize(self, layer, config):
        q = _quantizers()
        info = einsum_info(layer)
        quantizer = q.QuantizationConfig.weight_quantizer_or_default(
            config, q.AbsMaxQuantizer(axis=info.kernel_reduced_axes))
        kernel = modes.replace_float_weight(layer, "kernel")
        values, scale = quantizer(kernel.value, to_numpy=True)
        self.build(layer, tuple(kernel.shape), config)
        layer.kernel.assign(values)
        layer.kernel_scale.assign(info.to_output_layout(scale, "kernel"))

    def call(self, layer, inputs, training=None):
        info = einsum_info(layer)
        compute = layer.compute_dtype
        shape = layer.kernel.shape
        terms = math.prod(shape[a] for a in info.kernel_reduced_axes)

        kernel, kernel_scale = layer.kernel.value, layer.kernel_scale.value

        def forward(x):
            def grad(*args, upstream=None):
                upstream = common.upstream_of(args, upstream)
                float_kernel = ops.divide(ops.cast(kernel, compute),
                                          info.to_kernel_layout(kernel_scale))
                return ops.einsum(info.gradient_equation, upstream, float_kernel)

            if layer.inputs_quantizer:
                x, inputs_scale = layer.inputs_quantizer(x, axis=layer.quantization_axis)
                inputs_scale = info.to_output_layout(inputs_scale, "input")
                y = common.integer_einsum(layer.equation, x, kernel, terms, compute)
                y = ops.divide(y, ops.multiply(inputs_scale, kernel_scale))
            else:
                y = ops.einsum(layer.equation, x, ops.cast(kernel, compute))
                y = ops.divide(y, kernel_scale)
            return y, grad

        return common.finish(layer, ops.custom_gradient(forward)(inputs))


class Int8Embedding(modes.ModeHandler):
    """int8 Embedding: `embeddings` int8 (input_dim, output_dim),
    `embeddings_scale` (input_dim,) (one scale per token)."""

    mode = "int8"
    variable_order = ("embeddings", "embeddings_scale")

    def build(self, layer, shape, config):
        layer.embeddings = common.frozen_weight(layer, "embeddings", shape, "int8")
        layer.embeddings_scale = common.frozen_weight(
            layer, "embeddings_scale", (layer.input_dim,), initializer="ones")

    def quantize(self, layer, config):
        q = _quantizers()
        quantizer = q.QuantizationConfig.weight_quantizer_or_default(
            config, q.AbsMaxQuantizer(axis=-1))
        embeddings = modes.replace_float_weight(layer, "embeddings")
        values, scale = quantizer(embeddings.value, to_numpy=True)
        self.build(layer, tuple(embeddings.shape), config)
        layer.embeddings.assign(values)
        layer.embeddings_scale.assign(ops.squeeze(scale, axis=-1))

    def call(self, layer, inputs, training=None):
        inputs = token_ids(inputs)
        scale = ops.take(layer.embeddings_scale.value, inputs, axis=0)
        values = ops.take(layer.embeddings.value, inputs, axis=0)
        return ops.divide(ops.cast(values, layer.compute_dtype),
                          ops.expand_dims(scale, axis=-1))


def token_ids(inputs):
    """Embedding inputs as int32/int64 ids (other dtypes cast to int32)."""
    if get_ops().dtype(inputs) not in ("int32", "int64"):
        inputs = ops.cast(inputs, "int32")
    return inputs


def einsum_info(layer):
    """The EinsumQuantizationInfo of an EinsumDense layer (made once)."""
    info = layer.__dict__.get("_einsum_quantization_info")
    if info is None:
        info = EinsumQuantizationInfo(layer.equation, layer.input_spec.ndim)
        object.__setattr__(layer, "_einsum_quantization_info", info)
    return info

modes.register("dense", Int8Dense())
modes.register("einsum_dense", Int8EinsumDense())
modes.register("embedding", Int8Embedding())
