"""Mode "int4": weights quantized to [-8, 7] and packed two per int8 byte
along the last axis, as Keras's int4 Dense / EinsumDense / Embedding.

Two layouts, chosen by the block size (`Int4QuantizationConfig.block_size`,
default 128, or the "int4/<block>" dtype policy):
- per channel (block size None or -1): symmetric, `kernel_scale` holds one
  divisor per output channel (quantized = round(w * scale));
- sub-channel (block size > 0): asymmetric per group of `block_size` rows
  of the contracted axis, `kernel_scale` and `kernel_zero` per
  (group, channel) with w = (q - zero) * scale, and `g_idx` giving each
  row's group (float32, as Keras stores it).

Training (Keras's custom gradient): the packed weights are frozen; the
inputs' gradient goes through the dequantized kernel.
"""
import math

import numpy as np

from kerasx import ops
from kerasx.layers.quantization import common, modes
from kerasx.layers.quantization.int8 import einsum_info, token_ids


def _quantizers():
    from kerasx import quantizers
    return quantizers


def block_size_for(layer, config):
    """The int4 block size: from an Int4QuantizationConfig, else from the
    layer's Int4DTypePolicy (-1 read as None), else None (per channel)."""
    q = _quantizers()
    if config and isinstance(config, q.Int4QuantizationConfig):
        return config.block_size
    policy = layer.dtype_policy
    if hasattr(policy, "_policy_map"):  # a DTypePolicyMap
        policy = policy[layer.path]
    from kerasx.dtype_policies import Int4DTypePolicy
    if isinstance(policy, Int4DTypePolicy):
        return None if policy.block_size == -1 else policy.block_size
    return None


def _grouped(block_size):
    return block_size is not None and block_size > 0


def _config_block_size(config):
    q = _quantizers()
    return config.block_size if isinstance(config, q.Int4QuantizationConfig) else None


def _group_index(layer, length, block_size):
    g_idx = common.frozen_weight(layer, "g_idx", (length,), "float32")
    g_idx.assign(np.floor_divide(np.arange(length, dtype="float32"), block_size))
    return g_idx


def _packed(values):
    return _quantizers().pack_int4(values, axis=-1)[0]


class _Int4(modes.ModeHandler):
    mode = "int4"

    def policy_name(self, layer, config):
        block_size = block_size_for(layer, config)
        return f"int4/{-1 if block_size is None else block_size}"


class Int4Dense(_Int4):
    """int4 Dense: `kernel` int8 (input_dim, ceil(units / 2)), packed."""

    variable_order = ("kernel", "bias", "kernel_scale", "kernel_zero", "g_idx")

    def build(self, layer, shape, config):
        q = _quantizers()
        layer.inputs_quantizer = q.QuantizationConfig.activation_quantizer_or_default(
            config, None)
        input_dim, output_dim = shape
        layer.kernel = common.frozen_weight(layer, "kernel",
                                            (input_dim, (output_dim + 1) // 2), "int8")
        block_size = block_size_for(layer, config)
        layer._int4_block_size = block_size
        scale_shape = (math.ceil(input_dim / block_size), layer.units) \
            if _grouped(block_size) else (layer.units,)
        layer.kernel_scale = common.frozen_weight(layer, "kernel_scale", scale_shape,
                                                  initializer="ones")
        if _grouped(block_size):
            layer.kernel_zero = common.frozen_weight(layer, "kernel_zero", scale_shape,
                                                     "int8")
            layer.g_idx = _group_index(layer, input_dim, block_size)
        layer._orig_input_dim, layer._orig_output_dim = input_dim, output_dim

    def quantize(self, layer, config):
        q = _quantizers()
        block_size = _config_block_size(config)
        kernel = modes.replace_float_weight(layer, "kernel")
        zero = None
        if block_size is None or block_size == -1:
            quantizer = q.QuantizationConfig.weight_quantizer_or_default(
                config, q.AbsMaxQuantizer(axis=0, value_range=(-8, 7), output_dtype="int8"))
            values, scale = quantizer(kernel.value, to_numpy=True)
            scale = ops.squeeze(scale, axis=0)
        else:
            values, scale, zero = q.abs_max_quantize_grouped_with_zero_point(
                kernel.value, block_size=block_size, to_numpy=True)
        self.build(layer, tuple(kernel.shape), config)
        layer.kernel.assign(_packed(values))
        layer.kernel_scale.assign(scale)
        if _grouped(block_size):
            layer.kernel_zero.assign(zero)

    def call(self, layer, inputs, training=None):
        q = _quantizers()
        compute = layer.compute_dtype
        unpacked = q.unpack_int4(layer.kernel.value, layer._orig_output_dim, axis=-1)
        if not _grouped(getattr(layer, "_int4_block_size", None)):
            # Per channel: the unpacked levels, as int8 (see common.py).
            return common.per_channel_dense(layer, inputs, unpacked,
                                            layer.kernel_scale.value)

        float_kernel = ops.cast(q.dequantize_with_sz_map(
            unpacked, layer.kernel_scale.value, layer.kernel_zero.value,
            layer.g_idx.value, group_axis=0), compute)

        def sub_channel(x):
            def grad(*args, upstream=None):
                upstream = common.upstream_of(args, upstream)
                return ops.matmul(upstream, ops.transpose(float_kernel))

            return ops.matmul(x, float_kernel), grad

        return common.finish(layer, ops.custom_gradient(sub_channel)(inputs))


class Int4EinsumDense(_Int4):
    """int4 EinsumDense: the kernel reshaped (row-major) to (rows, columns)
    = (product of contracted axes, product of the others), packed along
    the columns (Keras's layout, a plain reshape of the kernel)."""

    variable_order = ("kernel", "bias", "kernel_scale", "kernel_zero", "g_idx")

    def build(self, layer, shape, config):
        q = _quantizers()
        info = einsum_info(layer)
        layer.inputs_quantizer = q.QuantizationConfig.activation_quantizer_or_default(
            config, None)
        layer.quantization_axis = tuple(info.input_reduced_axes)
        layer.original_kernel_shape = tuple(shape)
        rows = math.prod(d for i, d in enumerate(shape) if i in info.kernel_reduced_axes)
        columns = math.prod(d for i, d in enumerate(shape)
                            if i not in info.kernel_reduced_axes)
        block_size = block_size_for(layer, config)
        grouped = block_size is not None and block_size != -1
        layer._int4_block_size = block_size if grouped else None
        layer._int4_unpacked_column_size, layer._int4_rows = columns, rows
        layer.kernel = common.frozen_weight(layer, "kernel", (rows, (columns + 1) // 2),
                                            "int8")
        scale_shape = (math.ceil(rows / block_size), columns) if grouped else (columns,)
        layer.kernel_scale = common.frozen_weight(layer, "kernel_scale", scale_shape,
                                                  initializer="ones")
        if grouped:
            layer.kernel_zero = common.frozen_weight(layer, "kernel_zero", scale_shape,
                                                     "int8")
            layer.g_idx = _group_index(layer, rows, block_size)

    def quantize(self, layer, config):
        q = _quantizers()
        block_size = _config_block_size(config)
        kernel = modes.replace_float_weight(layer, "kernel")
        shape = tuple(kernel.shape)
        self.build(layer, shape, config)  # the layout (rows, columns), then values
        flat = ops.reshape(kernel.value, (layer._int4_rows, layer._int4_unpacked_column_size))
        if block_size is None or block_size == -1:
            values, scale = q.abs_max_quantize(flat, axis=0, value_range=(-8, 7),
                                               dtype="int8", to_numpy=True)
            scale = ops.squeeze(scale, axis=0)
            zero = None
        else:
            values, scale, zero = q.abs_max_quantize_grouped_with_zero_point(
                flat, block_size=block_size, to_numpy=True)
        layer.kernel.assign(_packed(values))
        layer.kernel_scale.assign(scale)
        if zero is not None:
            layer.kernel_zero.assign(zero)

    def call(self, layer, inputs, training=None):
        q = _quantizers()
        info = einsum_info(layer)
        compute = layer.compute_dtype
        columns = layer._int4_unpacked_column_size
        shape = layer.original_kernel_shape
        grouped = _grouped(getattr(layer, "_int4_block_size", None))

        def dequantize(kernel, kernel_scale, kernel_zero=None, g_idx=None):
            unpacked = q.unpack_int4(kernel, columns, axis=-1, dtype="int8")
            if grouped:
                float_kernel = ops.cast(q.dequantize_with_sz_map(
                    unpacked, kernel_scale, kernel_zero, g_idx, group_axis=0), compute)
            else:
                float_kernel = ops.divide(ops.cast(unpacked, compute), kernel_scale)
            return ops.reshape(float_kernel, shape)

        weights = [layer.kernel.value, layer.kernel_scale.value]
        if grouped:
            weights += [layer.kernel_zero.value, layer.g_idx.value]
        float_kernel = dequantize(*weights)  # closed over: no gradient (see int8.py)

        def forward(x):
            def grad(*args, upstream=None):
                upstream = common.upstream_of(args, upstream)
                return ops.einsum(info.gradient_equation, upstream, float_kernel)

            if layer.inputs_quantizer and not grouped:
                x, inputs_scale = layer.inputs_quantizer(x, axis=layer.quantization_axis)
                inputs_scale = info.to_output_layout(inputs_scale, "input")
                y = ops.einsum(layer.equation, ops.cast(x, compute), float_kernel)
                return ops.divide(y, inputs_scale), grad
            return ops.einsum(layer.equation, x, float_kernel), grad

        return common.finish(layer, ops.custom_gradient(forward)(inputs))


class Int4Embedding(_Int4):
    """int4 Embedding: `embeddings` int8 (input_dim, ceil(output_dim / 2)),
    packed; per-channel `embeddings_scale` (input_dim,), or per group of
    `block_size` output features (input_dim, groups) with a zero point."""

    variable_order = ("embeddings", "embeddings_scale", "embeddings_zero", "g_idx")

    def build(self, layer, shape, config):
        input_dim, output_dim = shape
        layer.embeddings = common.frozen_weight(
            layer, "embeddings", (input_dim, (output_dim + 1) // 2), "int8")
        block_size = block_size_for(layer, config)
        layer._int4_block_size = block_size
        scale_shape = (input_dim, math.ceil(output_dim / block_size)) \
            if _grouped(block_size) else (input_dim,)
        layer.embeddings_scale = common.frozen_weight(layer, "embeddings_scale",
                                                      scale_shape, initializer="ones")
        if _grouped(block_size):
            layer.embeddings_zero = common.frozen_weight(layer, "embeddings_zero",
                                                         scale_shape, "int8")
            layer.g_idx = _group_index(layer, output_dim, block_size)
        layer._orig_output_dim = output_dim

    def quantize(self, layer, config):
        q = _quantizers()
        block_size = _config_block_size(config)
        embeddings = modes.replace_float_weight(layer, "embeddings")
        zero = None
        if block_size is None or block_size == -1:
            quantizer = q.QuantizationConfig.weight_quantizer_or_default(
                config, q.AbsMaxQuantizer(axis=-1, value_range=(-8, 7), output_dtype="int8"))
            values, scale = quantizer(embeddings.value, to_numpy=True)
            scale = ops.squeeze(scale, axis=-1)
        else:
            # Groups run along the output features: quantize the transpose.
            values, scale, zero = q.abs_max_quantize_grouped_with_zero_point(
                ops.transpose(embeddings.value), block_size=block_size,
                value_range=(-8, 7), dtype="int8", to_numpy=True)
            values, scale, zero = (ops.transpose(t) for t in (values, scale, zero))
        self.build(layer, tuple(embeddings.shape), config)
        layer.embeddings.assign(_packed(values))
        layer.embeddings_scale.assign(scale)
        if _grouped(block_size):
            layer.embeddings_zero.assign(zero)

    def call(self, layer, inputs, training=None):
        q = _quantizers()
        inputs = token_ids(inputs)
        compute = layer.compute_dtype
        unpacked = q.unpack_int4(layer.embeddings.value, layer._orig_output_dim, axis=-1)
        values = ops.cast(ops.take(unpacked, inputs, axis=0), compute)
        scale = ops.take(layer.embeddings_scale.value, inputs, axis=0)
        if not _grouped(getattr(layer, "_int4_block_size", None)):
            return ops.divide(values, ops.expand_dims(scale, axis=-1))
        zero = ops.take(layer.embeddings_zero.value, inputs, axis=0)
        return q.dequantize_with_sz_map(values, scale, zero, layer.g_idx.value,
                                        group_axis=-1)


modes.register("dense", Int4Dense())
modes.register("einsum_dense", Int4EinsumDense())
modes.register("embedding", Int4Embedding())
