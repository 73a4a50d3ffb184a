"""Keras 3's F-scores: FBetaScore and F1Score, from true positives, false
positives and false negatives accumulated per class (or over all, "micro")."""
from kerasx import config
from kerasx.backend import get_ops
from kerasx.losses.loss import to_tensor
from kerasx.metrics.metric import Metric


class FBetaScore(Metric):
    """F-beta score, (1 + beta^2) * precision * recall / (beta^2 * precision +
    recall), of 2-D multi-class or multi-label predictions.

    Args:
        average: None (one score per class), "micro" (counts pooled over the
            classes), "macro" (mean of the class scores) or "weighted" (mean
            weighted by each class's true count).
        beta: a float > 0.
        threshold: predictions above it count as positive; None: the largest
            prediction of each row (if not ~0).

    Raises:
        ValueError: for an unknown `average`, a `beta` that is not a float
            > 0, or a `threshold` that is not a float in (0, 1].
    """

    def __init__(self, average=None, beta=1.0, threshold=None, name="fbeta_score",
                 dtype=None):
        super().__init__(name=name, dtype=dtype)
        if average not in (None, "micro", "macro", "weighted"):
            raise ValueError("Invalid `average` argument value. Expected one of: "
                             "{None, 'micro', 'macro', 'weighted'}. "
                             f"Received: average={average}")
        if not isinstance(beta, float):
            raise ValueError("Invalid `beta` argument value. It should be a Python "
                             f"float. Received: beta={beta} of type '{type(beta)}'")
        if beta <= 0.0:
            raise ValueError(f"Invalid `beta` argument value. It should be > 0. "
                             f"Received: beta={beta}")
        if threshold is not None:
            if not isinstance(threshold, float):
                raise ValueError("Invalid `threshold` argument value. It should be a "
                                 f"Python float. Received: threshold={threshold} of "
                                 f"type '{type(threshold)}'")
            if threshold > 1.0 or threshold <= 0.0:
                raise ValueError("Invalid `threshold` argument value. It should "
                                 "verify 0 < threshold <= 1. Received: "
                                 f"threshold={threshold}")
        self.average, self.beta, self.threshold = average, beta, threshold
        self.axis = None if average == "micro" else 0
        self._built = False

    def _build(self, true_shape, pred_shape):
        if len(pred_shape) != 2 or len(true_shape) != 2:
            raise ValueError("FBetaScore expects 2D inputs with shape (batch_size, "
                             f"output_dim). Received input shapes: y_pred.shape="
                             f"{pred_shape} and y_true.shape={true_shape}.")
        shape = () if self.average == "micro" else (pred_shape[-1],)
        for attr in ("true_positives", "false_positives", "false_negatives",
                     "intermediate_weights"):
            setattr(self, attr, self.add_variable(shape, name=attr, dtype=self.dtype))
        self._built = True

    def update_state(self, y_true, y_pred, sample_weight=None):
        """Add this batch's (weighted) counts."""
        ops = get_ops()
        y_true = to_tensor(y_true, self.dtype)
        y_pred = to_tensor(y_pred, self.dtype)
        if not self._built:
            self._build(ops.shape(y_true), ops.shape(y_pred))
        if self.threshold is None:
            top = ops.max(y_pred, axis=-1, keepdims=True)
            positive = ops.logical_and(ops.greater_equal(y_pred, top),
                                       ops.greater(ops.abs(y_pred), 1e-9))
        else:
            positive = ops.greater(y_pred, self.threshold)
        y_pred = ops.cast(positive, self.dtype)
        weight = None
        if sample_weight is not None:
            weight = ops.expand_dims(to_tensor(sample_weight, self.dtype), 1)

        def total(values):
            if weight is not None:
                values = ops.multiply(values, weight)
            return ops.sum(values, axis=self.axis)

        missed = ops.subtract(1.0, y_pred)
        self.true_positives.assign_add(total(ops.multiply(y_pred, y_true)))
        self.false_positives.assign_add(total(ops.multiply(y_pred, ops.subtract(1.0, y_true))))
        self.false_negatives.assign_add(total(ops.multiply(missed, y_true)))
        self.intermediate_weights.assign_add(total(y_true))

    def result(self):
        """The score: per class, or averaged as `average` says."""
        ops = get_ops()
        eps = config.epsilon()
        tp = self.true_positives.value
        precision = ops.divide(tp, ops.add(ops.add(tp, self.false_positives.value), eps))
        recall = ops.divide(tp, ops.add(ops.add(tp, self.false_negatives.value), eps))
        beta2 = self.beta ** 2
        score = ops.divide(ops.multiply(precision, recall),
                           ops.add(ops.add(ops.multiply(precision, beta2), recall), eps))
        score = ops.multiply(score, 1.0 + beta2)
        if self.average == "weighted":
            weights = self.intermediate_weights.value
            weights = ops.divide(weights, ops.add(ops.sum(weights), eps))
            return ops.sum(ops.multiply(score, weights))
        if self.average is not None:
            return ops.mean(score)
        return score

    def get_config(self):
        return {**super().get_config(), "average": self.average, "beta": self.beta,
                "threshold": self.threshold}


class F1Score(FBetaScore):
    """F1 score: FBetaScore with beta = 1."""

    def __init__(self, average=None, threshold=None, name="f1_score", dtype=None):
        super().__init__(average=average, beta=1.0, threshold=threshold, name=name,
                         dtype=dtype)

    def get_config(self):
        config = super().get_config()
        del config["beta"]
        return config
