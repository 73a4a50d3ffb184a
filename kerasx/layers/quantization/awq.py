"""The "awq" mode for Dense and EinsumDense (Keras 3's `_awq_build` /
`_awq_call`), and its model-level calibration step
(kerasx/quantizers/awq_core.py)."""
from kerasx import ops
from kerasx.layers.quantization import modes
from kerasx.layers.quantization.calibrated import (CalibratedHandler, dense_call,
                                                   einsum_dense_call)
from kerasx.quantizers import awq_core


class AWQHandler(CalibratedHandler):
    """AWQ's variables: GPTQ's (always 4 bits) plus awq_scales [rows]; the
    dequantized kernel is divided row-wise by awq_scales."""

    mode = "awq"
    calibrated_flag = "is_awq_calibrated"
    variable_order = ("bias", "quantized_kernel", "kernel_scale", "kernel_zero", "awq_scales",
                      "g_idx")

    def settings(self, layer, config):
        """(4, group_size) from the AWQConfig or the layer's AWQDTypePolicy."""
        return 4, awq_core.get_group_size_for_layer(layer, config)

    def build_extra(self, layer, rows):
        """awq_scales, ones until calibrated."""
        layer.awq_scales = layer.add_weight(name="awq_scales", shape=(rows,),
                                            initializer="ones", trainable=False)

    def assign_extra(self, layer, result):
        """The searched per-input-channel scales."""
        layer.awq_scales.assign(result["awq_scales"])

    def undo_scaling(self, layer, weights):
        """W / awq_scales[:, None] (the weights were multiplied by them)."""
        return ops.divide(weights, ops.expand_dims(layer.awq_scales.value, -1))


class AWQDense(AWQHandler):
    """AWQ for Dense."""

    def call(self, layer, inputs, training=None):
        """x @ kernel + bias, then the activation."""
        return dense_call(self, layer, inputs)


class AWQEinsumDense(AWQHandler):
    """AWQ for EinsumDense (its zero point variable is named "zero_point")."""

    kernel_zero_name = "zero_point"

    def build(self, layer, shape, config):
        """As the common build, recording Keras's `awq_unpacked_column_size`."""
        super().build(layer, shape, config)
        object.__setattr__(layer, "awq_unpacked_column_size", layer._calibrated_columns)

    def call(self, layer, inputs, training=None):
        """einsum(equation, x, kernel) + bias, then the activation."""
        return einsum_dense_call(self, layer, inputs)


modes.register("dense", AWQDense())
modes.register("einsum_dense", AWQEinsumDense())
modes.register_model_step("awq", awq_core.awq_quantize)
