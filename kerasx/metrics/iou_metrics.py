"""Keras 3's intersection-over-union metrics (IoU, MeanIoU, BinaryIoU,
OneHotIoU, OneHotMeanIoU), from a confusion matrix accumulated over the
batches."""
from kerasx import config
from kerasx.backend import get_ops
from kerasx.losses.loss import to_tensor
from kerasx.metrics.metric import Metric


def _standardize(dtype):
    # Keras counts in "int" (int64) by default; float weights are truncated.
    return "int64" if dtype in (None, "int") else dtype


class _IoUBase(Metric):
    """A (num_classes, num_classes) confusion matrix of class ids (rows:
    true, columns: predicted), entries out of range or of `ignore_class` left
    out."""

    def __init__(self, num_classes, name=None, dtype=None, ignore_class=None,
                 sparse_y_true=True, sparse_y_pred=True, axis=-1):
        super().__init__(name=name, dtype=_standardize(dtype))
        self.num_classes = num_classes
        self.ignore_class = ignore_class
        self.sparse_y_true, self.sparse_y_pred = sparse_y_true, sparse_y_pred
        self.axis = axis
        self.total_cm = self.add_variable((num_classes, num_classes),
                                          name="total_confusion_matrix", dtype=self.dtype)

    def update_state(self, y_true, y_pred, sample_weight=None):
        """Add this batch's (weighted) confusion matrix."""
        ops = get_ops()
        y_true, y_pred = to_tensor(y_true), to_tensor(y_pred)
        if not self.sparse_y_true:
            y_true = ops.argmax(y_true, axis=self.axis)
        if not self.sparse_y_pred:
            y_pred = ops.argmax(y_pred, axis=self.axis)
        y_true = ops.reshape(ops.cast(y_true, self.dtype), (-1,))
        y_pred = ops.reshape(ops.cast(y_pred, self.dtype), (-1,))
        weight = to_tensor(1 if sample_weight is None else sample_weight)
        weight = ops.cast(ops.cast(weight, self.dtype), "float64")
        weight = ops.broadcast_to(ops.reshape(weight, (-1,)) if ops.ndim(weight) else weight,
                                  ops.shape(y_true))
        n = self.num_classes
        valid = ops.logical_and(
            ops.logical_and(ops.greater_equal(y_true, 0), ops.less(y_true, n)),
            ops.logical_and(ops.greater_equal(y_pred, 0), ops.less(y_pred, n)))
        if self.ignore_class is not None:
            valid = ops.logical_and(valid, ops.not_equal(y_true, self.ignore_class))
        weight = ops.where(valid, weight, ops.zeros_like(weight))
        # Out-of-range ids give zero one-hot rows; counted in float64 (exact).
        true_hot = ops.one_hot(ops.cast(y_true, "int32"), n, dtype="float64")
        pred_hot = ops.one_hot(ops.cast(y_pred, "int32"), n, dtype="float64")
        counts = ops.matmul(ops.transpose(ops.multiply(true_hot, ops.expand_dims(weight, 1))),
                            pred_hot)
        self.total_cm.assign_add(ops.cast(counts, self.dtype))


class IoU(_IoUBase):
    """The mean IoU, TP / (TP + FP + FN), over `target_class_ids` (classes
    never seen are left out of the mean).

    Raises:
        ValueError: a target class id >= num_classes.
    """

    def __init__(self, num_classes, target_class_ids, name=None, dtype=None,
                 ignore_class=None, sparse_y_true=True, sparse_y_pred=True, axis=-1):
        super().__init__(name=name, num_classes=num_classes, ignore_class=ignore_class,
                         sparse_y_true=sparse_y_true, sparse_y_pred=sparse_y_pred,
                         axis=axis, dtype=dtype)
        if max(target_class_ids) >= num_classes:
            raise ValueError(f"Target class id {max(target_class_ids)} is out of range, "
                             f"which is [0, {num_classes}).")
        self.target_class_ids = list(target_class_ids)

    def result(self):
        """The mean IoU over the target classes, float32."""
        ops = get_ops()
        cm = ops.cast(self.total_cm.value, "float32")
        n = self.num_classes
        eye = ops.convert_to_tensor([[float(i == j) for j in range(n)] for i in range(n)],
                                    "float32")
        true_positives = ops.sum(ops.multiply(cm, eye), axis=1)
        denominator = ops.subtract(ops.add(ops.sum(cm, axis=0), ops.sum(cm, axis=1)),
                                   true_positives)
        ids = ops.convert_to_tensor(self.target_class_ids, "int32")
        true_positives = ops.take(true_positives, ids)
        denominator = ops.take(denominator, ids)
        valid = ops.greater(denominator, 1e-9)
        eps = config.epsilon()
        iou = ops.where(valid, ops.divide(true_positives, ops.add(denominator, eps)),
                        ops.zeros_like(denominator))
        return ops.divide(ops.sum(iou, axis=self.axis),
                          ops.add(ops.sum(ops.cast(valid, "float32")), eps))

    def get_config(self):
        return {**super().get_config(), "num_classes": self.num_classes,
                "target_class_ids": self.target_class_ids,
                "ignore_class": self.ignore_class, "sparse_y_true": self.sparse_y_true,
                "sparse_y_pred": self.sparse_y_pred, "axis": self.axis}


class BinaryIoU(IoU):
    """IoU of binary labels, predictions >= `threshold` counting as 1."""

    def __init__(self, target_class_ids=(0, 1), threshold=0.5, name=None, dtype=None):
        super().__init__(num_classes=2, target_class_ids=target_class_ids, name=name,
                         dtype=dtype)
        self.threshold = threshold

    def update_state(self, y_true, y_pred, sample_weight=None):
        """Threshold the predictions, then add the batch's confusion matrix."""
        ops = get_ops()
        y_pred = ops.greater_equal(to_tensor(y_pred, "float32"), self.threshold)
        return super().update_state(ops.cast(to_tensor(y_true), self.dtype),
                                    ops.cast(y_pred, self.dtype), sample_weight)

    def get_config(self):
        return {"target_class_ids": self.target_class_ids, "threshold": self.threshold,
                "name": self.name, "dtype": self.dtype}


class MeanIoU(IoU):
    """The IoU averaged over all `num_classes` classes."""

    def __init__(self, num_classes, name=None, dtype=None, ignore_class=None,
                 sparse_y_true=True, sparse_y_pred=True, axis=-1):
        super().__init__(name=name, num_classes=num_classes,
                         target_class_ids=list(range(num_classes)), axis=axis, dtype=dtype,
                         ignore_class=ignore_class, sparse_y_true=sparse_y_true,
                         sparse_y_pred=sparse_y_pred)

    def get_config(self):
        return {"num_classes": self.num_classes, "name": self.name, "dtype": self.dtype,
                "ignore_class": self.ignore_class, "sparse_y_true": self.sparse_y_true,
                "sparse_y_pred": self.sparse_y_pred, "axis": self.axis}


class OneHotIoU(IoU):
    """IoU with one-hot labels (and, unless sparse_y_pred, per-class scores)."""

    def __init__(self, num_classes, target_class_ids, name=None, dtype=None,
                 ignore_class=None, sparse_y_pred=False, axis=-1):
        super().__init__(num_classes=num_classes, target_class_ids=target_class_ids,
                         name=name, dtype=dtype, ignore_class=ignore_class,
                         sparse_y_true=False, sparse_y_pred=sparse_y_pred, axis=axis)

    def get_config(self):
        return {"num_classes": self.num_classes, "target_class_ids": self.target_class_ids,
                "name": self.name, "dtype": self.dtype, "ignore_class": self.ignore_class,
                "sparse_y_pred": self.sparse_y_pred, "axis": self.axis}


class OneHotMeanIoU(MeanIoU):
    """MeanIoU with one-hot labels (and, unless sparse_y_pred, per-class scores)."""

    def __init__(self, num_classes, name=None, dtype=None, ignore_class=None,
                 sparse_y_pred=False, axis=-1):
        super().__init__(num_classes=num_classes, axis=axis, name=name, dtype=dtype,
                         ignore_class=ignore_class, sparse_y_true=False,
                         sparse_y_pred=sparse_y_pred)

    def get_config(self):
        return {"num_classes": self.num_classes, "name": self.name, "dtype": self.dtype,
                "ignore_class": self.ignore_class, "sparse_y_pred": self.sparse_y_pred,
                "axis": self.axis}
