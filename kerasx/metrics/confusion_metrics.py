"""Confusion-matrix metrics, as keras.metrics: TruePositives ... FalseNegatives,
Precision, Recall and AUC.

The counts at each threshold follow Keras 3: a prediction is positive when it
is strictly greater than the threshold; labels are positive when non-zero.
With evenly spaced thresholds (AUC's default) predictions are clipped to
[0, 1] and counted by bucket, ceil(p * (T - 1)) - 1, exactly as Keras's fast
path does, so that values on a threshold fall on the same side.
"""
import enum

import numpy as np

from kerasx import config
from kerasx.backend import get_ops
from kerasx.losses.loss import divide_no_nan, squeeze_or_expand_to_same_rank, to_tensor
from kerasx.metrics.metric import Metric

NEG_INF = -1e10


class ConfusionMatrix(enum.Enum):
    TRUE_POSITIVES = "tp"
    FALSE_POSITIVES = "fp"
    TRUE_NEGATIVES = "tn"
    FALSE_NEGATIVES = "fn"


def _to_list(x):
    return list(x) if isinstance(x, (list, tuple, np.ndarray)) else [x]


def parse_init_thresholds(thresholds, default_threshold=0.5):
    """The thresholds as a list; each must lie in [0, 1].

    Raises:
        ValueError: for a threshold outside [0, 1] or None.
    """
    if thresholds is not None:
        invalid = [t for t in _to_list(thresholds) if t is None or t < 0 or t > 1]
        if invalid:
            raise ValueError(f"Threshold values must be in [0, 1]. Received: {invalid}")
    return _to_list(default_threshold if thresholds is None else thresholds)


def is_evenly_distributed_thresholds(thresholds):
    """True when the thresholds are i / (T - 1), i = 0 .. T - 1 (T >= 3),
    within epsilon."""
    count = len(thresholds)
    if count < 3:
        return False
    even = np.arange(count, dtype=np.float32) / (count - 1)
    return bool(np.allclose(thresholds, even, atol=config.epsilon()))


def _filter_top_k(x, k):
    """x with everything but the k largest entries of the last axis set to -1e10."""
    ops = get_ops()
    _, indices = ops.top_k(x, k)
    mask = ops.sum(ops.one_hot(indices, ops.shape(x)[-1], dtype=ops.dtype(x)), axis=-2)
    return ops.add(ops.multiply(x, mask), ops.multiply(ops.subtract(1.0, mask), NEG_INF))


def _select_class(x, class_id):
    ops = get_ops()
    index = ops.convert_to_tensor(np.array([class_id], dtype="int32"))
    return ops.take(x, index, axis=ops.ndim(x) - 1)


def update_confusion_matrix_variables(variables_to_update, y_true, y_pred, thresholds,
                                      top_k=None, class_id=None, sample_weight=None,
                                      multi_label=False, label_weights=None,
                                      thresholds_distributed_evenly=False):
    """Add the (weighted) counts of this batch at each threshold to the
    Variables in `variables_to_update` ({ConfusionMatrix: Variable}).

    Variables have shape (T,), or (T, num_labels) with multi_label.

    Raises:
        ValueError: for unknown keys, label_weights with multi_label, or
            class_id with 1-D predictions.
    """
    if multi_label and label_weights is not None:
        raise ValueError("`label_weights` for multilabel data should be handled "
                         "outside of `update_confusion_matrix_variables` when "
                         "`multi_label` is True.")
    if not variables_to_update:
        return
    invalid = [key for key in variables_to_update if not isinstance(key, ConfusionMatrix)]
    if invalid:
        raise ValueError(f"Invalid keys: {invalid}. Valid variable key options are: "
                         f"{list(ConfusionMatrix)}")
    ops = get_ops()
    dtype = next(iter(variables_to_update.values())).dtype
    y_true = to_tensor(y_true, dtype)
    y_pred = to_tensor(y_pred, dtype)
    thresholds = [float(t) for t in thresholds]
    num_thresholds = len(thresholds)
    y_pred, y_true = squeeze_or_expand_to_same_rank(y_pred, y_true)
    if sample_weight is not None:
        sample_weight = ops.expand_dims(to_tensor(sample_weight, dtype), -1)
        _, sample_weight = squeeze_or_expand_to_same_rank(y_true, sample_weight,
                                                          expand_rank_1=False)
    if top_k is not None:
        y_pred = _filter_top_k(y_pred, top_k)
    if class_id is not None:
        if ops.ndim(y_pred) == 1:
            raise ValueError("When class_id is provided, y_pred must be a 2D array "
                             "with shape (num_samples, num_classes), found shape: "
                             f"{ops.shape(y_pred)}")
        y_true = _select_class(y_true, class_id)
        y_pred = _select_class(y_pred, class_id)

    pred_shape = ops.shape(y_pred)
    weights = None
    if sample_weight is not None:
        weights = ops.broadcast_to(sample_weight, pred_shape)
    if label_weights is not None:
        lw = ops.broadcast_to(ops.expand_dims(to_tensor(label_weights, dtype), 0),
                              pred_shape)
        weights = lw if weights is None else ops.multiply(weights, lw)
    label_is_pos = ops.not_equal(y_true, 0.0)
    if not multi_label:
        y_pred = ops.reshape(y_pred, (-1,))
        label_is_pos = ops.reshape(label_is_pos, (-1,))
        if weights is not None:
            weights = ops.reshape(weights, (-1,))
    true_labels = ops.cast(label_is_pos, dtype)
    if weights is not None:
        true_labels = ops.multiply(true_labels, weights)
        false_labels = ops.multiply(ops.cast(ops.logical_not(label_is_pos), dtype),
                                    weights)
    else:
        false_labels = ops.cast(ops.logical_not(label_is_pos), dtype)

    # pred_is_pos[..., j]: whether each prediction counts as positive at
    # threshold j; shape (M, T) or (N, L, T).
    threshold_axis = ops.ndim(y_pred)
    if thresholds_distributed_evenly:
        with_epsilon = thresholds[0] < 0.0 or thresholds[-1] > 1.0
        clipped = ops.clip(y_pred, 0.0, 1.0)
        buckets = ops.subtract(ops.ceil(ops.multiply(clipped, float(num_thresholds - 1))),
                               1.0)
        if with_epsilon:
            buckets = ops.relu(buckets)
        steps = ops.cast(ops.arange(0, num_thresholds, dtype="int32"), dtype)
        pred_is_pos = ops.greater_equal(ops.expand_dims(buckets, threshold_axis), steps)
    else:
        thresh = ops.convert_to_tensor(np.asarray(thresholds), dtype)
        pred_is_pos = ops.greater(ops.expand_dims(y_pred, threshold_axis), thresh)
    pos = ops.cast(pred_is_pos, dtype)

    def count(labels, positive):
        # Sum over the samples axis (0); the threshold axis goes first.
        hits = pos if positive else ops.subtract(1.0, pos)
        total = ops.sum(ops.multiply(ops.expand_dims(labels, threshold_axis), hits),
                        axis=0)
        return ops.transpose(total) if multi_label else total

    updates = {
        ConfusionMatrix.TRUE_POSITIVES: lambda: count(true_labels, True),
        ConfusionMatrix.FALSE_POSITIVES: lambda: count(false_labels, True),
        ConfusionMatrix.TRUE_NEGATIVES: lambda: count(false_labels, False),
        ConfusionMatrix.FALSE_NEGATIVES: lambda: count(true_labels, False),
    }
    for key, variable in variables_to_update.items():
        variable.assign_add(updates[key]())


class _ConfusionMatrixConditionCount(Metric):
    """The weighted count of one confusion-matrix condition per threshold."""

    _condition = None

    def __init__(self, thresholds=None, name=None, dtype=None):
        super().__init__(name=name, dtype=dtype)
        self.init_thresholds = thresholds
        self.thresholds = parse_init_thresholds(thresholds, default_threshold=0.5)
        self._thresholds_distributed_evenly = is_evenly_distributed_thresholds(
            self.thresholds)
        self.accumulator = self.add_variable(shape=(len(self.thresholds),),
                                             initializer="zeros", name="accumulator")

    def update_state(self, y_true, y_pred, sample_weight=None):
        update_confusion_matrix_variables(
            {self._condition: self.accumulator}, y_true, y_pred,
            thresholds=self.thresholds,
            thresholds_distributed_evenly=self._thresholds_distributed_evenly,
            sample_weight=sample_weight)

    def result(self):
        value = self.accumulator.value
        return get_ops().reshape(value, ()) if len(self.thresholds) == 1 else value

    def get_config(self):
        return {**super().get_config(), "thresholds": self.init_thresholds}


class TruePositives(_ConfusionMatrixConditionCount):
    """Weighted count of true positives."""
    _condition = ConfusionMatrix.TRUE_POSITIVES


class FalsePositives(_ConfusionMatrixConditionCount):
    """Weighted count of false positives."""
    _condition = ConfusionMatrix.FALSE_POSITIVES


class TrueNegatives(_ConfusionMatrixConditionCount):
    """Weighted count of true negatives."""
    _condition = ConfusionMatrix.TRUE_NEGATIVES


class FalseNegatives(_ConfusionMatrixConditionCount):
    """Weighted count of false negatives."""
    _condition = ConfusionMatrix.FALSE_NEGATIVES


class _PrecisionRecall(Metric):
    """Shared by Precision and Recall: tp and one other count per threshold."""

    _other = None      # ConfusionMatrix key of the second count
    _other_name = None

    def __init__(self, thresholds=None, top_k=None, class_id=None, name=None,
                 dtype=None):
        super().__init__(name=name, dtype=dtype)
        self.init_thresholds = thresholds
        self.top_k = top_k
        self.class_id = class_id
        default = 0.5 if top_k is None else NEG_INF
        self.thresholds = parse_init_thresholds(thresholds, default_threshold=default)
        self._thresholds_distributed_evenly = is_evenly_distributed_thresholds(
            self.thresholds)
        shape = (len(self.thresholds),)
        self.true_positives = self.add_variable(shape=shape, initializer="zeros",
                                                name="true_positives")
        setattr(self, self._other_name, self.add_variable(
            shape=shape, initializer="zeros", name=self._other_name))

    def update_state(self, y_true, y_pred, sample_weight=None):
        update_confusion_matrix_variables(
            {ConfusionMatrix.TRUE_POSITIVES: self.true_positives,
             self._other: getattr(self, self._other_name)},
            y_true, y_pred, thresholds=self.thresholds,
            thresholds_distributed_evenly=self._thresholds_distributed_evenly,
            top_k=self.top_k, class_id=self.class_id, sample_weight=sample_weight)

    def result(self):
        ops = get_ops()
        tp = self.true_positives.value
        value = divide_no_nan(tp, ops.add(tp, getattr(self, self._other_name).value))
        return ops.reshape(value, ()) if len(self.thresholds) == 1 else value

    def get_config(self):
        return {**super().get_config(), "thresholds": self.init_thresholds,
                "top_k": self.top_k, "class_id": self.class_id}


class Precision(_PrecisionRecall):
    """tp / (tp + fp) at each threshold (optionally among the top_k
    predictions, or for one class_id)."""
    _other = ConfusionMatrix.FALSE_POSITIVES
    _other_name = "false_positives"


class Recall(_PrecisionRecall):
    """tp / (tp + fn) at each threshold (optionally among the top_k
    predictions, or for one class_id)."""
    _other = ConfusionMatrix.FALSE_NEGATIVES
    _other_name = "false_negatives"


_CURVES = {"roc": "ROC", "pr": "PR", "prgain": "PRGAIN"}
_SUMMATIONS = ("interpolation", "majoring", "minoring")


class AUC(Metric):
    """Area under the ROC or PR curve, by a Riemann sum over `num_thresholds`
    thresholds (as keras.metrics.AUC).

    Args:
        num_thresholds: number of thresholds (> 1), evenly spaced in [0, 1]
            unless `thresholds` is given.
        curve: "ROC" (default), "PR" or "PRGAIN".
        summation_method: "interpolation" (default; for PR, the Davis &
            Goadrich interpolation), "majoring" or "minoring".
        thresholds: explicit thresholds in [0, 1] (0 - eps and 1 + eps are added).
        multi_label: one curve per label, averaged (weighted by label_weights).
        num_labels: with multi_label, builds the state up front.
        label_weights: per-label weights.
        from_logits: apply a sigmoid to y_pred first.
    """

    def __init__(self, num_thresholds=200, curve="ROC", summation_method="interpolation",
                 name=None, dtype=None, thresholds=None, multi_label=False,
                 num_labels=None, label_weights=None, from_logits=False):
        curve_key = str(curve).lower()
        if curve_key not in _CURVES:
            raise ValueError(f'Invalid AUC curve value: "{curve}". Expected values '
                             'are ["PR", "ROC", "PRGAIN"]')
        if str(summation_method).lower() not in _SUMMATIONS:
            raise ValueError("Invalid AUC summation method value: "
                             f'"{summation_method}". Expected values are '
                             '["interpolation", "majoring", "minoring"]')
        self._init_from_thresholds = thresholds is not None
        if thresholds is not None:
            self.num_thresholds = len(thresholds) + 2
            thresholds = sorted(float(t) for t in thresholds)
            self._thresholds_distributed_evenly = is_evenly_distributed_thresholds(
                np.array([0.0] + thresholds + [1.0]))
        else:
            if num_thresholds <= 1:
                raise ValueError("Argument `num_thresholds` must be an integer > 1. "
                                 f"Received: num_thresholds={num_thresholds}")
            self.num_thresholds = num_thresholds
            thresholds = [(i + 1) * 1.0 / (num_thresholds - 1)
                          for i in range(num_thresholds - 2)]
            self._thresholds_distributed_evenly = True
        eps = config.epsilon()
        self._thresholds = np.array([0.0 - eps] + thresholds + [1.0 + eps])
        self.curve = _CURVES[curve_key]
        self.summation_method = str(summation_method).lower()
        super().__init__(name=name, dtype=dtype)
        self.multi_label = multi_label
        self.num_labels = num_labels
        self.label_weights = (None if label_weights is None
                              else [float(w) for w in _to_list(label_weights)])
        self._from_logits = from_logits
        self._built = False
        if multi_label:
            if num_labels:
                self._build((None, num_labels))
        else:
            if num_labels:
                raise ValueError("`num_labels` is needed only when `multi_label` is "
                                 "True.")
            self._build(None)

    @property
    def thresholds(self):
        return list(self._thresholds)

    def _build(self, shape):
        if self.multi_label:
            if len(shape) != 2:
                raise ValueError("`y_pred` must have rank 2 when `multi_label=True`. "
                                 f"Found rank {len(shape)}. Full shape received for "
                                 f"`y_pred`: {shape}")
            self._num_labels = shape[1]
            variable_shape = (self.num_thresholds, self._num_labels)
        else:
            variable_shape = (self.num_thresholds,)
        for attr in ("true_positives", "false_positives", "true_negatives",
                     "false_negatives"):
            setattr(self, attr, self.add_variable(shape=variable_shape,
                                                  initializer="zeros", name=attr))
        self._built = True

    def update_state(self, y_true, y_pred, sample_weight=None):
        ops = get_ops()
        y_pred = to_tensor(y_pred)
        if not self._built:
            self._build(ops.shape(y_pred))
        if self._from_logits:
            y_pred = ops.sigmoid(y_pred)
        update_confusion_matrix_variables(
            {ConfusionMatrix.TRUE_POSITIVES: self.true_positives,
             ConfusionMatrix.TRUE_NEGATIVES: self.true_negatives,
             ConfusionMatrix.FALSE_POSITIVES: self.false_positives,
             ConfusionMatrix.FALSE_NEGATIVES: self.false_negatives},
            y_true, y_pred, self._thresholds,
            thresholds_distributed_evenly=self._thresholds_distributed_evenly,
            sample_weight=sample_weight, multi_label=self.multi_label,
            label_weights=None if self.multi_label else self.label_weights)

    # -- helpers over the threshold axis (axis 0) ---------------------------
    def _head(self, x):
        """x[:T - 1]."""
        ops = get_ops()
        rank = ops.ndim(x)
        return ops.slice(x, (0,) * rank, (self.num_thresholds - 1,) + (-1,) * (rank - 1))

    def _tail(self, x):
        """x[1:]."""
        ops = get_ops()
        rank = ops.ndim(x)
        return ops.slice(x, (1,) + (0,) * (rank - 1),
                         (self.num_thresholds - 1,) + (-1,) * (rank - 1))

    def _aggregate(self, terms):
        ops = get_ops()
        if not self.multi_label:
            return ops.sum(terms)
        by_label = ops.sum(terms, axis=0)
        if self.label_weights is None:
            return ops.mean(by_label)
        weights = ops.convert_to_tensor(np.asarray(self.label_weights), ops.dtype(terms))
        return divide_no_nan(ops.sum(ops.multiply(by_label, weights)), ops.sum(weights))

    def interpolate_pr_auc(self):
        """PR AUC by the interpolation of Davis & Goadrich (2006), as Keras."""
        ops = get_ops()
        tp = self.true_positives.value
        fp = self.false_positives.value
        fn = self.false_negatives.value
        dtp = ops.subtract(self._head(tp), self._tail(tp))
        p = ops.add(tp, fp)
        p_head, p_tail = self._head(p), self._tail(p)
        dp = ops.subtract(p_head, p_tail)
        prec_slope = divide_no_nan(dtp, ops.maximum(dp, 0.0))
        intercept = ops.subtract(self._tail(tp), ops.multiply(prec_slope, p_tail))
        both_positive = ops.logical_and(ops.greater(p_head, 0.0), ops.greater(p_tail, 0.0))
        safe_p_ratio = ops.where(both_positive,
                                 divide_no_nan(p_head, ops.maximum(p_tail, 0.0)),
                                 ops.ones_like(p_tail))
        increment = divide_no_nan(
            ops.multiply(prec_slope, ops.add(dtp, ops.multiply(intercept,
                                                               ops.log(safe_p_ratio)))),
            ops.maximum(ops.add(self._tail(tp), self._tail(fn)), 0.0))
        return self._aggregate(increment)

    def result(self):
        ops = get_ops()
        if self.curve == "PR" and self.summation_method == "interpolation":
            return self.interpolate_pr_auc()
        tp = self.true_positives.value
        fp = self.false_positives.value
        tn = self.true_negatives.value
        fn = self.false_negatives.value
        recall = divide_no_nan(tp, ops.add(tp, fn))
        if self.curve == "ROC":
            x, y = divide_no_nan(fp, ops.add(fp, tn)), recall
        elif self.curve == "PR":
            x, y = recall, divide_no_nan(tp, ops.add(tp, fp))
        else:  # PRGAIN
            scaling = divide_no_nan(ops.add(tp, fn), ops.add(tn, fp))
            recall_gain = ops.subtract(1.0, ops.multiply(scaling, divide_no_nan(fn, tp)))
            precision_gain = ops.subtract(1.0, ops.multiply(scaling,
                                                            divide_no_nan(fp, tp)))
            no_tp = ops.equal(tp, 0.0)
            recall_gain = ops.maximum(ops.where(no_tp, ops.zeros_like(tp), recall_gain),
                                      0.0)
            precision_gain = ops.where(no_tp, ops.ones_like(tp), precision_gain)
            x, y = recall_gain, precision_gain
        if self.summation_method == "interpolation":
            heights = ops.divide(ops.add(self._head(y), self._tail(y)), 2.0)
        elif self.summation_method == "minoring":
            heights = ops.minimum(self._head(y), self._tail(y))
        else:
            heights = ops.maximum(self._head(y), self._tail(y))
        terms = ops.multiply(ops.subtract(self._head(x), self._tail(x)), heights)
        return self._aggregate(terms)

    def reset_state(self):
        if self._built:
            super().reset_state()

    def get_config(self):
        config = {**super().get_config(), "num_thresholds": self.num_thresholds,
                  "curve": self.curve, "summation_method": self.summation_method,
                  "multi_label": self.multi_label, "num_labels": self.num_labels,
                  "label_weights": self.label_weights, "from_logits": self._from_logits}
        if self._init_from_thresholds:
            config["thresholds"] = self.thresholds[1:-1]
        return config
