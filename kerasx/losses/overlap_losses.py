"""Keras 3's overlap losses for segmentation: Dice and Tversky, the functions
and their Loss classes. Both reduce over `axis` (None: every axis, one value
for the whole batch)."""
from kerasx import config
from kerasx.backend import get_ops
from kerasx.losses.losses import _FixedLoss, _as_pair


def dice(y_true, y_pred, axis=None):
    """1 - 2 * sum(y_true * y_pred) / (sum(y_true) + sum(y_pred) + epsilon),
    the sums over `axis`."""
    ops = get_ops()
    y_true, y_pred = _as_pair(y_true, y_pred, squeeze=False)
    intersection = ops.sum(ops.multiply(y_true, y_pred), axis=axis)
    total = ops.add(ops.add(ops.sum(y_true, axis=axis), ops.sum(y_pred, axis=axis)),
                    config.epsilon())
    return ops.subtract(1.0, ops.divide(ops.multiply(intersection, 2.0), total))


def tversky(y_true, y_pred, alpha=0.5, beta=0.5, axis=None):
    """1 - TP / (TP + alpha * FP + beta * FN + epsilon), with TP =
    sum(y_true * y_pred), FP = sum(y_true * (1 - y_pred)) and FN =
    sum((1 - y_true) * y_pred) over `axis` (Keras's naming: its "false
    positives" weigh the true labels the prediction misses)."""
    ops = get_ops()
    y_true, y_pred = _as_pair(y_true, y_pred, squeeze=False)
    intersection = ops.sum(ops.multiply(y_true, y_pred), axis=axis)
    fp = ops.sum(ops.multiply(ops.subtract(1.0, y_pred), y_true), axis=axis)
    fn = ops.sum(ops.multiply(y_pred, ops.subtract(1.0, y_true)), axis=axis)
    denominator = ops.add(ops.add(intersection, ops.multiply(fp, alpha)),
                          ops.add(ops.multiply(fn, beta), config.epsilon()))
    return ops.subtract(1.0, ops.divide(intersection, denominator))


class Dice(_FixedLoss):
    """Dice loss; see `dice`."""

    _config_keys = ("axis",)

    def __init__(self, reduction="sum_over_batch_size", name="dice", axis=None,
                 dtype=None):
        super().__init__(dice, name=name, reduction=reduction, dtype=dtype, axis=axis)
        self.axis = axis


class Tversky(_FixedLoss):
    """Tversky loss; see `tversky`."""

    _config_keys = ("alpha", "beta", "axis")

    def __init__(self, alpha=0.5, beta=0.5, reduction="sum_over_batch_size",
                 name="tversky", axis=None, dtype=None):
        super().__init__(tversky, name=name, reduction=reduction, dtype=dtype,
                         alpha=alpha, beta=beta, axis=axis)
        self.alpha, self.beta, self.axis = alpha, beta, axis
