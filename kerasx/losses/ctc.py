"""Keras 3's CTC loss: the function and its Loss class, over
keras.ops.ctc_loss (kerasx/backend/contract_ctc.py)."""
from kerasx.backend import get_ops
from kerasx.losses.loss import Loss, to_tensor


def ctc(y_true, y_pred):
    """Per-sample CTC loss of int labels `y_true` (batch, max_length), 0
    being both the blank and the padding, and logits `y_pred` (batch, time,
    classes), every time step used.

    Raises:
        ValueError: the ranks are not 2 and 3.
    """
    ops = get_ops()
    y_true, y_pred = to_tensor(y_true), to_tensor(y_pred)
    if ops.ndim(y_true) != 2:
        raise ValueError("Targets `y_true` are expected to be a tensor of shape "
                         "`(batch_size, max_length)` in integer format. Received: "
                         f"y_true.shape={ops.shape(y_true)}")
    if ops.ndim(y_pred) != 3:
        raise ValueError("Logits `y_pred` are expected to be a tensor of shape "
                         "`(batch_size, max_length, num_classes)`. Received: "
                         f"y_pred.shape={ops.shape(y_pred)}")
    batch, steps = ops.shape(y_pred)[:2]
    output_length = ops.full((batch,), steps, "int32")
    label_length = ops.sum(ops.cast(ops.not_equal(y_true, 0.0), "int32"), axis=-1)
    return ops.ctc_loss(y_true, y_pred, label_length, output_length, mask_index=0)


class CTC(Loss):
    """CTC loss; see `ctc`."""

    # Targets are shaped unlike the predictions (kerasx.trainers.input_validation).
    _free_target_shape = True

    def __init__(self, reduction="sum_over_batch_size", name="ctc", dtype=None):
        super().__init__(name=name, reduction=reduction, dtype=dtype)

    def call(self, y_true, y_pred):
        """The per-sample CTC losses."""
        return ctc(y_true, y_pred)


ctc._free_target_shape = True
