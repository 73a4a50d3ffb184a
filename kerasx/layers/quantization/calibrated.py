"""What the calibrated weight-only modes (GPTQ, AWQ) share for Dense and
EinsumDense: Keras's quantized variables, the float forward pass until
calibration, the dequantized forward pass after it, and storing a
calibration's result.

Keras's layout: the kernel is seen as a [rows, columns] matrix (rows: the
input features; a 3-D EinsumDense kernel folds its two head axes into one
side, as Keras decides by where its largest axis is), and the stored
`quantized_kernel` is its transpose [columns, rows] of uint8 levels, packed
two per byte along the columns for 4 bits. `kernel_scale` and `kernel_zero`
are [columns, n_groups]; `g_idx` [rows] holds each input feature's group (as
a float, truncated when used).
"""
import math

import numpy as np

from kerasx import ops
from kerasx.layers.quantization import modes
from kerasx.layers.quantization.common import finish


def kernel_matrix_shape(kernel_shape):
    """(rows, columns) of a Dense / EinsumDense kernel, as Keras's GPTQ and
    AWQ see it.

    Raises:
        ValueError: a kernel of rank other than 2 or 3.
    """
    shape = list(kernel_shape)
    if len(shape) == 2:
        return shape[0], shape[1]
    if len(shape) == 3:
        if shape.index(max(shape)) == 0:   # [in, heads, head_dim]: a projection
            return shape[0], shape[1] * shape[2]
        return shape[0] * shape[1], shape[2]   # [heads, head_dim, out]
    raise ValueError(f"GPTQ and AWQ quantize 2-D or 3-D kernels; this one has shape "
                     f"{tuple(kernel_shape)}.")


class CalibratedHandler(modes.ModeHandler):
    """The shared part of the GPTQ and AWQ handlers (see modes.py for the
    handler interface). Subclasses set `mode`, `calibrated_flag`,
    `kernel_zero_name`, `variable_order`, and say the bit width and group
    size (`settings`) and the extra variables (`build_extra`)."""

    keeps_float_weight = False
    #: Keras's attribute telling whether the layer was calibrated.
    calibrated_flag = None
    #: The name of the zero-point variable ("kernel_zero" in Dense,
    #: "zero_point" in EinsumDense).
    kernel_zero_name = "kernel_zero"
    #: Where the layer keeps its float kernel.
    float_attr = "kernel"

    def settings(self, layer, config):
        """(weight_bits, group_size) of `layer` under `config` or its policy."""
        raise NotImplementedError

    def build_extra(self, layer, rows):
        """Create the mode's own variables after the common ones."""

    def build(self, layer, shape, config):
        """Create Keras's variables of the mode for a float kernel of
        `shape`. A layer built this way (from a quantized dtype policy, as
        when loading a file) counts as calibrated: its values come from the
        file."""
        bits, group_size = self.settings(layer, config)
        rows, columns = kernel_matrix_shape(shape)
        n_groups = 1 if group_size == -1 else math.ceil(rows / group_size)
        object.__setattr__(layer, "original_kernel_shape", tuple(shape))
        object.__setattr__(layer, "_calibrated_columns", columns)
        layer.quantized_kernel = layer.add_weight(
            name="kernel", shape=((columns + 1) // 2 if bits == 4 else columns, rows),
            initializer="zeros", dtype="uint8", trainable=False)
        layer.kernel_scale = layer.add_weight(
            name="kernel_scale", shape=(columns, n_groups), initializer="ones", trainable=False)
        layer.kernel_zero = layer.add_weight(
            name=self.kernel_zero_name, shape=(columns, n_groups), initializer="zeros",
            dtype="uint8", trainable=False)
        self.build_extra(layer, rows)
        layer.g_idx = layer.add_weight(name="g_idx", shape=(rows,), initializer="zeros",
                                       dtype="float32", trainable=False)
        object.__setattr__(layer, self.calibrated_flag, True)

    def quantize(self, layer, config):
        """Add the mode's variables to the built float `layer`, keeping its
        float kernel for the calibration (the model-level step fills the
        variables and drops the float kernel)."""
        if config is None or getattr(config, "mode", None) != self.mode:
            raise ValueError(f"Quantizing a layer with mode='{self.mode}' needs a "
                             f"{self.mode.upper()}Config as `config`.")
        self.build(layer, tuple(getattr(layer, self.float_attr).shape), config)
        object.__setattr__(layer, self.calibrated_flag, False)

    def policy_name(self, layer, config):
        """"gptq/<bits>/<group size>" or "awq/<bits>/<group size>"."""
        return config.dtype_policy_string()

    def is_calibrated(self, layer):
        """Whether `layer`'s quantized variables hold its weights."""
        return bool(getattr(layer, self.calibrated_flag, False))

    def calibration_matrix(self, layer):
        """The float kernel as a NumPy [rows, columns] matrix."""
        kernel = ops.convert_to_numpy(getattr(layer, self.float_attr).value)
        return np.asarray(kernel, dtype=np.float32).reshape(
            kernel_matrix_shape(kernel.shape))

    def _layer_settings(self, layer):
        # The config the layer was quantized (or loaded) with, else its policy.
        return self.settings(layer, getattr(layer, "quantization_config", None))

    def calibrate(self, layer, state):
        """Quantize `layer` from its calibration `state` (a GPTQ / AWQ
        object), fill the variables and drop the float kernel."""
        from kerasx.quantizers import pack_int4
        result = state.quantize()
        levels = result["quantized"].astype(np.uint8)
        if self._layer_settings(layer)[0] == 4:
            levels = pack_int4(levels, axis=0, dtype="uint8")[0]
        layer.quantized_kernel.assign(levels)
        layer.kernel_scale.assign(result["scale"])
        layer.kernel_zero.assign(result["zero"])
        layer.g_idx.assign(result["g_idx"])
        self.assign_extra(layer, result)
        modes.replace_float_weight(layer, self.float_attr)
        object.__setattr__(layer, self.calibrated_flag, True)

    def assign_extra(self, layer, result):
        """Fill the mode's own variables from the calibration result."""

    def dequantized_kernel(self, layer):
        """The kernel the quantized variables stand for, in the layer's
        original kernel shape (float32)."""
        from kerasx.quantizers import dequantize_with_sz_map, unpack_int4
        bits = self._layer_settings(layer)[0]
        levels = layer.quantized_kernel.value
        if bits == 4:
            levels = unpack_int4(levels, orig_len=layer._calibrated_columns, axis=0,
                                 dtype="uint8")
        weights = ops.transpose(dequantize_with_sz_map(
            levels, layer.kernel_scale.value, layer.kernel_zero.value, layer.g_idx.value))
        weights = self.undo_scaling(layer, weights)
        return ops.reshape(weights, layer.original_kernel_shape)

    def undo_scaling(self, layer, weights):
        """Map the dequantized [rows, columns] weights back (AWQ divides by
        its scales)."""
        return weights

    def kernel_for_call(self, layer):
        """The float kernel before calibration, the dequantized one after."""
        if not self.is_calibrated(layer):
            return getattr(layer, self.float_attr).value
        return self.dequantized_kernel(layer)


def dense_call(handler, layer, inputs):
    """Dense's forward pass with the handler's kernel."""
    kernel = handler.kernel_for_call(layer)
    if "float" not in ops.dtype(inputs):
        inputs = ops.cast(inputs, ops.dtype(kernel))
    return finish(layer, ops.matmul(inputs, kernel))


def einsum_dense_call(handler, layer, inputs):
    """EinsumDense's forward pass with the handler's kernel."""
    return finish(layer, ops.einsum(layer.equation, inputs,
                                         handler.kernel_for_call(layer)))
