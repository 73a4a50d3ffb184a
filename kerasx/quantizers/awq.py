"""AWQ for one weight matrix: activation-aware per-input-channel scales
found by grid search, then 4-bit quantization of the scaled weights (Lin et
al., 2023, https://arxiv.org/abs/2306.00978), as Keras 3's AWQ.

Float32 NumPy on the host, like GPTQ (see kerasx/quantizers/zero_point.py).
"""
import numpy as np

from kerasx.quantizers.zero_point import (compute_quantization_parameters,
                                          dequantize_with_sz_map,
                                          dequantize_with_zero_point,
                                          quantize_with_sz_map, quantize_with_zero_point)

_F32 = np.float32


def _quantize_scaled(weights_scaled, group_size):
    """4-bit asymmetric quantization of [out, in] weights, per row or per
    group of `group_size` columns: (levels, scale, zero, maxq, column group
    indices or None)."""
    scale, zero, maxq = compute_quantization_parameters(
        weights_scaled, bits=4, symmetric=False, per_channel=True, group_size=group_size)
    if group_size == -1:
        return quantize_with_zero_point(weights_scaled, scale, zero, maxq), scale, zero, maxq, None
    g_idx = np.arange(weights_scaled.shape[1], dtype=np.int32) // group_size
    return (quantize_with_sz_map(weights_scaled, scale, zero, g_idx, maxq), scale, zero, maxq,
            g_idx)


def awq_search_optimal_scales(weights, activation_magnitudes, *, num_grid_points=20,
                              group_size=-1):
    """The per-input-channel AWQ scales minimising the activation-weighted
    quantization error.

    For ratio r in 0, 1/n, ..., 1: s = max(x_max**r, 1e-4), normalised by
    sqrt(max(s) min(s)); W*s is quantized and dequantized, divided by s, and
    the loss is mean((W - W_hat)**2 * x_max**2). The first ratio with the
    smallest loss wins (a later one must be strictly smaller).

    Args:
        weights: [out_features, in_features] (the transposed kernel).
        activation_magnitudes: [in_features] max |x| per input channel
            (values below 1e-8 count as 1).
        num_grid_points: n, the number of steps of r.
        group_size: columns sharing a scale / zero point; -1 per row.

    Returns:
        float32 [in_features] scales.
    """
    weights = np.asarray(weights, dtype=_F32)
    x_max = np.asarray(activation_magnitudes, dtype=_F32)
    x_max = np.where(x_max < _F32(1e-8), _F32(1), x_max).astype(_F32)
    weight_of_error = np.square(x_max).astype(_F32)
    best_loss, best = None, np.ones(weights.shape[1], dtype=_F32)
    for i in range(num_grid_points + 1):
        ratio = i / num_grid_points
        scales = np.ones_like(x_max) if ratio == 0 else \
            np.power(x_max, _F32(ratio)).astype(_F32)
        scales = np.maximum(scales, _F32(1e-4))
        mean = np.maximum(np.sqrt(np.max(scales) * np.min(scales)), _F32(1e-8))
        scales = (scales / mean).astype(_F32)
        scaled = (weights * scales).astype(_F32)
        q, scale, zero, _, g_idx = _quantize_scaled(scaled, group_size)
        dq = dequantize_with_zero_point(q, scale, zero) if g_idx is None else \
            dequantize_with_sz_map(q, scale, zero, g_idx)
        rebuilt = (dq / scales).astype(_F32)
        error = (np.square(weights - rebuilt) * weight_of_error).astype(_F32)
        loss = np.mean(error, dtype=_F32)
        if best_loss is None or loss < best_loss:
            best_loss, best = loss, scales
    return best


def awq_quantize_matrix(weights_transpose, activation_magnitudes, *, num_grid_points=20,
                        group_size=-1):
    """AWQ-quantize a weight matrix: search the scales, multiply the weights
    by them, quantize to 4 bits.

    Returns:
        (quantized float32 levels [out, in] in [0, 15], scale float32
        [out, n_groups], zero uint8 [out, n_groups], awq_scales float32 [in],
        g_idx float32 [in]: each column's group).
    """
    weights = np.asarray(weights_transpose, dtype=_F32)
    awq_scales = awq_search_optimal_scales(weights, activation_magnitudes,
                                           num_grid_points=num_grid_points,
                                           group_size=group_size)
    q, scale, zero, _, g_idx = _quantize_scaled((weights * awq_scales).astype(_F32), group_size)
    g_idx = np.zeros(weights.shape[1], dtype=_F32) if g_idx is None else g_idx.astype(_F32)
    return q, scale, zero, awq_scales, g_idx


class AWQ:
    """The AWQ state of one layer: the running per-channel maximum of |x|
    over its inputs, then the quantization of its kernel.

    Args:
        kernel: the float kernel as a [rows, columns] matrix.
        config: an AWQConfig (group_size, num_grid_points).

    Raises:
        ValueError: a kernel that is not a matrix.
    """

    def __init__(self, kernel, config):
        kernel = np.asarray(kernel, dtype=_F32)
        if kernel.ndim != 2:
            raise ValueError(f"AWQ needs the kernel as a [rows, columns] matrix, got shape "
                             f"{kernel.shape}.")
        self.kernel = kernel
        self.config = config
        self.rows, self.columns = kernel.shape
        self.activation_magnitudes = np.zeros(self.rows, dtype=_F32)
        self.num_samples = 0

    def update_activation_magnitudes(self, input_batch):
        """Fold a batch of layer inputs (last axis the input features) into
        the running max |x| per channel.

        Raises:
            ValueError: None, empty, or a feature size other than the rows.
        """
        if input_batch is None:
            raise ValueError("Input tensor cannot be None.")
        x = np.asarray(input_batch)
        if x.size == 0:
            raise ValueError("Input tensor cannot be empty.")
        x = x.reshape(-1, x.shape[-1]).astype(_F32)
        if x.shape[-1] != self.rows:
            raise ValueError(f"The layer has {self.rows} input features, the batch "
                             f"{x.shape[-1]}.")
        self.activation_magnitudes = np.maximum(self.activation_magnitudes,
                                                np.max(np.abs(x), axis=0))
        self.num_samples += x.shape[0]

    def quantize(self):
        """Quantize the kernel with the accumulated magnitudes.

        Returns:
            dict of NumPy arrays: "quantized" (int32 levels in [0, 15],
            [columns, rows]), "scale" (float32 [columns, n_groups]), "zero"
            (uint8), "awq_scales" (float32 [rows]), "g_idx" (float32 [rows]).
        """
        q, scale, zero, awq_scales, g_idx = awq_quantize_matrix(
            self.kernel.T, self.activation_magnitudes,
            num_grid_points=self.config.num_grid_points, group_size=self.config.group_size)
        return {"quantized": q.astype(np.int32), "scale": scale, "zero": zero,
                "awq_scales": awq_scales, "g_idx": g_idx}
