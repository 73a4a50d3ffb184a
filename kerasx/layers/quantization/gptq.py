"""The "gptq" mode for Dense and EinsumDense (Keras 3's `_gptq_build` /
`_gptq_call`), and its model-level calibration step
(kerasx/quantizers/gptq_core.py)."""
from kerasx.layers.quantization import modes
from kerasx.layers.quantization.calibrated import (CalibratedHandler, dense_call,
                                                   einsum_dense_call)
from kerasx.quantizers import gptq_core


class GPTQHandler(CalibratedHandler):
    """GPTQ's variables: quantized_kernel (uint8, packed for 4 bits),
    kernel_scale, kernel_zero, g_idx; the dequantized kernel is
    (q - zero[g]) * scale[g]."""

    mode = "gptq"
    calibrated_flag = "is_gptq_calibrated"
    variable_order = ("bias", "quantized_kernel", "kernel_scale", "kernel_zero", "g_idx")

    def settings(self, layer, config):
        """(weight_bits, group_size) from the GPTQConfig or the layer's
        GPTQDTypePolicy."""
        return (gptq_core.get_weight_bits_for_layer(layer, config),
                gptq_core.get_group_size_for_layer(layer, config))


class GPTQDense(GPTQHandler):
    """GPTQ for Dense."""

    def call(self, layer, inputs, training=None):
        """x @ kernel + bias, then the activation."""
        return dense_call(self, layer, inputs)


class GPTQEinsumDense(GPTQHandler):
    """GPTQ for EinsumDense (its zero point variable is named "zero_point")."""

    kernel_zero_name = "zero_point"

    def build(self, layer, shape, config):
        """As the common build, recording Keras's `gptq_unpacked_column_size`."""
        super().build(layer, shape, config)
        object.__setattr__(layer, "gptq_unpacked_column_size", layer._calibrated_columns)

    def call(self, layer, inputs, training=None):
        """einsum(equation, x, kernel) + bias, then the activation."""
        return einsum_dense_call(self, layer, inputs)


modes.register("dense", GPTQDense())
modes.register("einsum_dense", GPTQEinsumDense())
modes.register_model_step("gptq", gptq_core.gptq_quantize)
