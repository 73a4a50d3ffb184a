"""Keras 3's generalized cross-entropy (Zhang & Sabuncu, 2018), robust to
noisy labels: the function and its Loss class."""
from kerasx.backend import get_ops
from kerasx.losses.losses import _FixedLoss
from kerasx.losses.loss import to_tensor


def categorical_generalized_cross_entropy(y_true, y_pred, q):
    """(1 - p ** q) / q, p the probability `y_pred` (batch, classes) gives to
    the integer label `y_true`: cross-entropy as q -> 0, MAE at q = 1."""
    ops = get_ops()
    y_pred = to_tensor(y_pred)
    labels = ops.cast(to_tensor(y_true), "int32")
    one_hot = ops.one_hot(labels, ops.shape(y_pred)[-1], dtype=ops.dtype(y_pred))
    p = ops.sum(ops.multiply(y_pred, one_hot), axis=-1)
    return ops.divide(ops.subtract(1.0, ops.power(p, float(q))), float(q))


class CategoricalGeneralizedCrossEntropy(_FixedLoss):
    """Generalized cross-entropy; see `categorical_generalized_cross_entropy`.

    Raises:
        ValueError: `q` is not in (0, 1).
    """

    # Targets are shaped unlike the predictions (kerasx.trainers.input_validation).
    _free_target_shape = True

    _config_keys = ("q",)

    def __init__(self, q=0.5, reduction="sum_over_batch_size",
                 name="categorical_generalized_cross_entropy", dtype=None):
        if not 0 < q < 1:
            raise ValueError(f"q must be in the interval (0, 1); received q={q!r}.")
        super().__init__(categorical_generalized_cross_entropy, name=name,
                         reduction=reduction, dtype=dtype, q=q)
        self.q = q


categorical_generalized_cross_entropy._free_target_shape = True
