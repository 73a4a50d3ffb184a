"""GPTQ for one weight matrix: the Hessian of the layer's inputs and the
column-by-column quantization with error feedback (Frantar et al., 2022,
https://arxiv.org/abs/2210.17323), as Keras 3's `keras.quantizers` GPTQ.

The numerics run in float32 NumPy on the host (see
kerasx/quantizers/zero_point.py for why): the calibration is a one-off
sequential procedure, and NumPy makes its result independent of the kerasx
backend that produced the activations.
"""
import numpy as np

from kerasx.quantizers.zero_point import (compute_quantization_parameters,
                                          dequantize_with_zero_point,
                                          quantize_with_zero_point)

_F32 = np.float32


def stable_permutation(metric):
    """Indices sorting `metric` in descending order; ties keep index order
    (an index-proportional jitter of at most 1e-12 is added first, as Keras)."""
    metric = np.asarray(metric, dtype=_F32)
    n = metric.shape[0]
    jitter = (np.arange(n, dtype=np.int32).astype(_F32) / _F32(n)).astype(_F32) * _F32(1e-12)
    return np.argsort(-(metric + jitter.astype(_F32)), kind="stable")


def gptq_quantize_matrix(weights_transpose, inv_hessian, *, blocksize=128, group_size=-1,
                         activation_order=False, order_metric=None,
                         compute_scale_zero=None):
    """Quantize a weight matrix column by column, feeding each column's
    error forward through the inverse Hessian.

    For column j with inverse-Hessian row h: e = (w_j - dequant(q_j)) / h[j],
    then w[:, k] -= e * h[k] for the later columns k of the block; after a
    block, the later blocks receive E_block @ invH[block, later]. A group's
    scale and zero point are computed once, when its first column is
    reached, from the weights as updated by the blocks before the current
    one (as Keras: intra-block updates are not yet in that buffer).

    Args:
        weights_transpose: [out_features, in_features] float weights.
        inv_hessian: [in_features, in_features] inverse (damped) Hessian.
        blocksize: columns per block of lazy error propagation.
        group_size: columns sharing a scale / zero point; -1 for one group.
        activation_order: quantize the columns in descending `order_metric`
            (default 1 / diag(inv_hessian)); results are mapped back to the
            original column order.
        order_metric: [in_features] importance of each column.
        compute_scale_zero: function(matrix) -> (scale, zero, maxq); default
            4-bit asymmetric per row.

    Returns:
        (quantized int32 [out, in], scale float32 [out, n_groups],
        zero uint8 [out, n_groups], g_idx float32 [in]: column / group_size
        in the processing order, mapped back; truncated to an integer it is
        the column's group).
    """
    if compute_scale_zero is None:
        def compute_scale_zero(x):
            return compute_quantization_parameters(x, bits=4, per_channel=True)
    weights = np.array(weights_transpose, dtype=_F32)
    inv_hessian = np.asarray(inv_hessian, dtype=_F32)
    in_features = weights.shape[1]
    if activation_order:
        if order_metric is None:
            order_metric = (_F32(1) / (np.diagonal(inv_hessian) + _F32(1e-12))).astype(_F32)
        else:
            order_metric = np.asarray(order_metric, dtype=_F32)
            order_metric = np.where(np.isfinite(order_metric), order_metric, _F32(0))
        perm = stable_permutation(order_metric)
        inv_perm = np.argsort(perm, kind="stable")
        weights = weights[:, perm]
        inv_hessian = inv_hessian[perm][:, perm]
    buffer = weights.copy()
    quantized = np.zeros(buffer.shape, dtype=np.int32)
    scales, zeros = [], []
    group = in_features if group_size == -1 else group_size
    # A group's parameters are made once, at its first column. (Keras makes
    # them again when a block starts inside a group, which gives more
    # parameter columns than groups and fails to load into the layer.)
    current_group = None
    for start in range(0, in_features, blocksize):
        end = min(start + blocksize, in_features)
        block = buffer[:, start:end].copy()
        block_error = np.zeros_like(block)
        block_inv = inv_hessian[start:end, start:end]
        for j in range(end - start):
            column = start + j
            group_start = 0 if group == in_features else (column // group) * group
            if group_start != current_group:
                # Parameters of a new group, from the buffer as it stands.
                group_end = in_features if group == in_features else \
                    min(group_start + group, in_features)
                scale, zero, maxq = compute_scale_zero(buffer[:, group_start:group_end])
                scales.append(scale)
                zeros.append(zero)
                current_group = group_start
            w = block[:, j].copy()
            q = quantize_with_zero_point(w[:, None], scale, zero, maxq)
            quantized[:, column] = q[:, 0].astype(np.int32)
            dq = dequantize_with_zero_point(q, scale, zero)[:, 0]
            err = ((w - dq).astype(_F32) / block_inv[j, j]).astype(_F32)
            block_error[:, j] = err
            if j < end - start - 1:
                block[:, j + 1:] = (block[:, j + 1:]
                                    - err[:, None] * block_inv[j, j + 1:][None, :]).astype(_F32)
        if end < in_features:
            update = np.matmul(block_error, inv_hessian[start:end, end:]).astype(_F32)
            buffer[:, end:] = (buffer[:, end:] - update).astype(_F32)
    g_idx = (np.arange(in_features, dtype=np.int32).astype(_F32) / _F32(group)).astype(_F32)
    if activation_order:
        g_idx = g_idx[inv_perm]
        quantized = quantized[:, inv_perm]
    if scales:
        scale = np.concatenate(scales, axis=1)
        zero = np.concatenate(zeros, axis=1)
    else:  # no columns: the whole matrix's parameters
        scale, zero, _ = compute_scale_zero(weights)
    return quantized, scale, zero, g_idx


def damped_hessian(hessian, damping):
    """The Hessian made invertible as Keras's GPTQ does: a zero diagonal
    entry (a dead input) becomes 1, then `damping` times the diagonal's mean
    is added to the diagonal."""
    hessian = np.array(hessian, dtype=_F32)
    diag = np.diagonal(hessian).copy()
    diag = np.where(diag == 0, _F32(1), diag).astype(_F32)
    diag = (diag + _F32(damping) * _F32(np.mean(diag, dtype=_F32))).astype(_F32)
    np.fill_diagonal(hessian, diag)
    return hessian


class GPTQ:
    """The GPTQ state of one layer: the running Hessian of its inputs, then
    the quantization of its kernel.

    Args:
        kernel: the float kernel as a [rows, columns] matrix (rows: the
            input features; a 3-D EinsumDense kernel reshaped as Keras).
        config: a GPTQConfig (weight_bits, per_channel, symmetric,
            group_size, activation_order, hessian_damping).

    Raises:
        ValueError: a kernel that is not a matrix.
    """

    def __init__(self, kernel, config):
        kernel = np.asarray(kernel, dtype=_F32)
        if kernel.ndim != 2:
            raise ValueError(f"GPTQ needs the kernel as a [rows, columns] matrix, got shape "
                             f"{kernel.shape}.")
        self.kernel = kernel
        self.config = config
        self.rows, self.columns = kernel.shape
        self.hessian = np.zeros((self.rows, self.rows), dtype=_F32)
        self.num_samples = 0

    def update_hessian_with_batch(self, input_batch):
        """Fold a batch of layer inputs (rank >= 2, last axis the input
        features) into the running mean H = 2/N sum x x^T.

        Raises:
            ValueError: None, rank < 2, empty, or a feature size other than
                the kernel's rows.
        """
        if input_batch is None:
            raise ValueError("Input tensor cannot be None.")
        x = np.asarray(input_batch)
        if x.ndim < 2:
            raise ValueError(f"Input tensor must have rank >= 2 (got rank {x.ndim}).")
        if x.size == 0:
            raise ValueError("Input tensor cannot be empty.")
        x = x.reshape(-1, x.shape[-1]).astype(_F32)
        if x.shape[-1] != self.rows:
            raise ValueError(f"Hessian dimensions ({self.rows}) do not match input features "
                             f"({x.shape[-1]}).")
        new = x.shape[0]
        total = self.num_samples + new
        gram = np.matmul(x.T, x).astype(_F32)
        gram = ((gram + gram.T) / _F32(2)).astype(_F32)
        if self.num_samples > 0:
            self.hessian = (self.hessian * (_F32(self.num_samples) / _F32(total))).astype(_F32)
        self.hessian = (self.hessian + (_F32(2) / _F32(total)) * gram).astype(_F32)
        self.num_samples = total

    def quantize(self, blocksize=128):
        """Quantize the kernel with the accumulated Hessian.

        Returns:
            dict of NumPy arrays: "quantized" (int32 levels in [0, 2**bits-1],
            [columns, rows]: the transposed kernel), "scale" (float32
            [columns, n_groups]), "zero" (uint8 [columns, n_groups]),
            "g_idx" (float32 [rows]).
        """
        cfg = self.config
        hessian = damped_hessian(self.hessian, cfg.hessian_damping)
        inverse = np.linalg.inv(hessian).astype(_F32)

        def find_params(matrix):
            return compute_quantization_parameters(
                matrix, bits=cfg.weight_bits, symmetric=cfg.symmetric,
                per_channel=getattr(cfg, "per_channel", True), group_size=cfg.group_size)

        quantized, scale, zero, g_idx = gptq_quantize_matrix(
            self.kernel.T, inverse, blocksize=blocksize, group_size=cfg.group_size,
            activation_order=cfg.activation_order, order_metric=np.diagonal(hessian),
            compute_scale_zero=find_params)
        return {"quantized": quantized, "scale": scale, "zero": zero, "g_idx": g_idx}
