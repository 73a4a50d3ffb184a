"""Accuracy metrics, as keras.metrics: functions giving 1.0 / 0.0 per sample
(in floatx) and the MeanMetricWrapper classes that average them."""
from kerasx import config
from kerasx.backend import get_ops
from kerasx.losses.loss import squeeze_or_expand_to_same_rank, to_tensor
from kerasx.metrics.metric import MeanMetricWrapper


def _matches(a, b):
    ops = get_ops()
    return ops.cast(ops.equal(a, b), config.floatx())


def in_top_k(targets, predictions, k):
    """True where predictions[i, targets[i]] is among the k largest of row i;
    tied scores all count as in the top k (as tf.math.in_top_k)."""
    ops = get_ops()
    targets = ops.cast(targets, "int32")
    target_scores = ops.take_along_axis(predictions, ops.expand_dims(targets, -1),
                                        axis=-1)
    better = ops.sum(ops.cast(ops.greater(predictions, target_scores), "int32"),
                     axis=-1)
    return ops.less(better, int(k))


def accuracy(y_true, y_pred):
    """1.0 where y_true == y_pred."""
    y_pred = to_tensor(y_pred)
    y_true = to_tensor(y_true, get_ops().dtype(y_pred))
    y_true, y_pred = squeeze_or_expand_to_same_rank(y_true, y_pred)
    return _matches(y_true, y_pred)


def binary_accuracy(y_true, y_pred, threshold=0.5):
    """1.0 where y_true equals (y_pred > threshold)."""
    ops = get_ops()
    y_pred = to_tensor(y_pred)
    y_true = to_tensor(y_true)
    y_true, y_pred = squeeze_or_expand_to_same_rank(y_true, y_pred)
    threshold = ops.full((), float(threshold), ops.dtype(y_pred))
    y_pred = ops.cast(ops.greater(y_pred, threshold), ops.dtype(y_true))
    return _matches(y_true, y_pred)


def categorical_accuracy(y_true, y_pred):
    """1.0 where argmax(y_true) == argmax(y_pred) along the last axis."""
    ops = get_ops()
    y_pred = to_tensor(y_pred)
    dtype = ops.dtype(y_pred)
    y_true = ops.cast(ops.argmax(to_tensor(y_true), axis=-1), dtype)
    true_shape = ops.shape(y_true)
    reshape = ops.ndim(y_true) == ops.ndim(y_pred)
    if reshape:
        y_true = ops.squeeze(y_true, axis=-1)
    y_pred = ops.cast(ops.argmax(y_pred, axis=-1), dtype)
    matches = _matches(y_true, y_pred)
    return ops.reshape(matches, true_shape) if reshape else matches


def sparse_categorical_accuracy(y_true, y_pred):
    """1.0 where the integer label y_true == argmax(y_pred)."""
    ops = get_ops()
    y_pred = to_tensor(y_pred)
    dtype = ops.dtype(y_pred)
    y_true = to_tensor(y_true, dtype)
    true_shape = ops.shape(y_true)
    reshape = ops.ndim(y_true) == ops.ndim(y_pred) and true_shape[-1] == 1
    if reshape:
        y_true = ops.squeeze(y_true, axis=-1)
    y_pred = ops.cast(ops.argmax(y_pred, axis=-1), dtype)
    matches = _matches(y_true, y_pred)
    if reshape:
        matches = ops.reshape(matches, true_shape)
    if ops.ndim(matches) > 1 and ops.shape(matches)[-1] == 1:
        matches = ops.squeeze(matches, axis=-1)
    return matches


def _top_k_matches(labels, y_pred, k):
    ops = get_ops()
    label_shape = ops.shape(labels)
    if ops.ndim(y_pred) > 2:
        y_pred = ops.reshape(y_pred, (-1, ops.shape(y_pred)[-1]))
    if len(label_shape) > 1:
        labels = ops.reshape(labels, (-1,))
    matches = ops.cast(in_top_k(labels, y_pred, k), config.floatx())
    if len(label_shape) > 1:
        matches = ops.reshape(matches, label_shape)
    return matches


def top_k_categorical_accuracy(y_true, y_pred, k=5):
    """1.0 where the one-hot label's class is among the k top predictions."""
    ops = get_ops()
    y_pred = to_tensor(y_pred)
    y_true = to_tensor(y_true, ops.dtype(y_pred))
    return _top_k_matches(ops.argmax(y_true, axis=-1), y_pred, k)


def sparse_top_k_categorical_accuracy(y_true, y_pred, k=5, from_sorted_ids=False):
    """1.0 where the integer label is among the k top predictions (or, with
    from_sorted_ids, among the first k ids of y_pred)."""
    ops = get_ops()
    y_pred = to_tensor(y_pred)
    if from_sorted_ids:
        y_true = to_tensor(y_true, ops.dtype(y_pred))
        true_shape = ops.shape(y_true)
        if ops.ndim(y_pred) > 2:
            y_pred = ops.reshape(y_pred, (-1, ops.shape(y_pred)[-1]))
        y_true = ops.reshape(y_true, (-1,))
        first = ops.slice(y_pred, (0, 0), (-1, k))
        matches = ops.any(ops.equal(ops.expand_dims(y_true, 1), first), axis=1)
        matches = ops.cast(matches, config.floatx())
        return ops.reshape(matches, true_shape) if len(true_shape) > 1 else matches
    y_true = to_tensor(y_true, "int32")
    return _top_k_matches(y_true, y_pred, k)


class Accuracy(MeanMetricWrapper):
    """How often y_pred equals y_true."""

    def __init__(self, name="accuracy", dtype=None):
        super().__init__(fn=accuracy, name=name, dtype=dtype)

    def get_config(self):
        return {"name": self.name, "dtype": self.dtype}


class BinaryAccuracy(MeanMetricWrapper):
    """How often y_pred > threshold matches the binary label."""

    def __init__(self, name="binary_accuracy", dtype=None, threshold=0.5):
        super().__init__(fn=binary_accuracy, name=name, dtype=dtype,
                         threshold=threshold)
        self.threshold = threshold

    def get_config(self):
        return {"name": self.name, "dtype": self.dtype, "threshold": self.threshold}


class CategoricalAccuracy(MeanMetricWrapper):
    """How often argmax(y_pred) matches the one-hot label."""

    def __init__(self, name="categorical_accuracy", dtype=None):
        super().__init__(fn=categorical_accuracy, name=name, dtype=dtype)

    def get_config(self):
        return {"name": self.name, "dtype": self.dtype}


class SparseCategoricalAccuracy(MeanMetricWrapper):
    """How often argmax(y_pred) matches the integer label."""

    def __init__(self, name="sparse_categorical_accuracy", dtype=None):
        super().__init__(fn=sparse_categorical_accuracy, name=name, dtype=dtype)

    def get_config(self):
        return {"name": self.name, "dtype": self.dtype}


class TopKCategoricalAccuracy(MeanMetricWrapper):
    """How often the one-hot label is in the top `k` predictions."""

    def __init__(self, k=5, name="top_k_categorical_accuracy", dtype=None):
        super().__init__(fn=top_k_categorical_accuracy, name=name, dtype=dtype, k=k)
        self.k = k

    def get_config(self):
        return {"name": self.name, "dtype": self.dtype, "k": self.k}


class SparseTopKCategoricalAccuracy(MeanMetricWrapper):
    """How often the integer label is in the top `k` predictions."""

    def __init__(self, k=5, name="sparse_top_k_categorical_accuracy", dtype=None,
                 from_sorted_ids=False):
        super().__init__(fn=sparse_top_k_categorical_accuracy, name=name, dtype=dtype,
                         k=k, from_sorted_ids=from_sorted_ids)
        self.k = k
        self.from_sorted_ids = from_sorted_ids

    def get_config(self):
        config = {"name": self.name, "dtype": self.dtype, "k": self.k}
        if self.from_sorted_ids:
            config["from_sorted_ids"] = True
        return config
