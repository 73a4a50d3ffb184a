"""Keras 3's R2Score: the coefficient of determination of 2-D regression
outputs, per output column, from running sums."""
import warnings

from kerasx.backend import get_ops
from kerasx.losses.loss import squeeze_or_expand_to_same_rank, to_tensor
from kerasx.metrics.metric import Metric
from kerasx.random import host_draws


class R2Score(Metric):
    """1 - residual sum of squares / total sum of squares, per output column,
    then aggregated.

    Args:
        class_aggregation: None (one score per column), "uniform_average" or
            "variance_weighted_average".
        num_regressors: for the adjusted R2 (0: plain R2).

    Raises:
        ValueError: an unknown aggregation or num_regressors < 0.
    """

    def __init__(self, class_aggregation="uniform_average", num_regressors=0,
                 name="r2_score", dtype=None):
        super().__init__(name=name, dtype=dtype)
        valid = (None, "uniform_average", "variance_weighted_average")
        if class_aggregation not in valid:
            raise ValueError("Invalid value for argument `class_aggregation`. Expected "
                             f"one of {valid}. Received: "
                             f"class_aggregation={class_aggregation}")
        if num_regressors < 0:
            raise ValueError("Invalid value for argument `num_regressors`. Expected a "
                             f"value >= 0. Received: num_regressors={num_regressors}")
        self.class_aggregation = class_aggregation
        self.num_regressors = num_regressors
        self.num_samples = self.add_variable((), name="num_samples")
        self._built = False

    def _build(self, true_shape, pred_shape):
        if len(pred_shape) != 2 or len(true_shape) != 2:
            raise ValueError("R2Score expects 2D inputs with shape (batch_size, "
                             f"output_dim). Received input shapes: y_pred.shape="
                             f"{pred_shape} and y_true.shape={true_shape}.")
        columns = pred_shape[-1]
        self.squared_sum = self.add_variable((columns,), name="squared_sum")
        self.sum = self.add_variable((columns,), name="sum")
        self.total_mse = self.add_variable((columns,), name="residual")
        self.count = self.add_variable((columns,), name="count")
        self._built = True

    def update_state(self, y_true, y_pred, sample_weight=None):
        """Add this batch's (weighted) sums."""
        ops = get_ops()
        y_true = to_tensor(y_true, self.dtype)
        y_pred = to_tensor(y_pred, self.dtype)
        y_true, y_pred = squeeze_or_expand_to_same_rank(y_true, y_pred)
        if not self._built:
            self._build(ops.shape(y_true), ops.shape(y_pred))
        weight = to_tensor(1.0 if sample_weight is None else sample_weight, self.dtype)
        if ops.ndim(weight) == 1:
            weight = ops.expand_dims(weight, 1)
        weight = ops.broadcast_to(weight, ops.shape(y_true))
        weighted = ops.multiply(y_true, weight)
        self.sum.assign_add(ops.sum(weighted, axis=0))
        self.squared_sum.assign_add(ops.sum(ops.multiply(y_true, weighted), axis=0))
        residual = ops.multiply(ops.square(ops.subtract(y_true, y_pred)), weight)
        self.total_mse.assign_add(ops.sum(residual, axis=0))
        self.count.assign_add(ops.sum(weight, axis=0))
        size = 1
        for d in ops.shape(y_true):
            size *= d
        self.num_samples.assign_add(float(size))

    def result(self):
        """The (adjusted) R2 score, aggregated as `class_aggregation` says."""
        ops = get_ops()
        total_sum = self.sum.value
        mean = ops.divide(total_sum, self.count.value)
        total = ops.subtract(self.squared_sum.value, ops.multiply(total_sum, mean))
        raw = ops.subtract(1.0, ops.divide(self.total_mse.value, total))
        # A constant column (total 0) scores 0, as Keras (its inf becomes 0).
        infinite = ops.equal(ops.abs(raw), float("inf"))
        raw = ops.where(infinite, ops.zeros_like(raw), raw)
        if self.class_aggregation == "uniform_average":
            score = ops.mean(raw)
        elif self.class_aggregation == "variance_weighted_average":
            score = ops.divide(ops.sum(ops.multiply(total, raw)), ops.sum(total))
        else:
            score = raw
        if self.num_regressors:
            score = self._adjusted(score)
        return score

    def _adjusted(self, score):
        """The adjusted R2, 1 - (1 - R2)(n - 1) / (n - p - 1); the plain R2
        (with Keras's warning, when eager) where n - 1 <= p."""
        ops = get_ops()
        n = self.num_samples.value
        p = float(self.num_regressors)
        if not host_draws.tracing():
            samples = float(ops.to_numpy(n))
            if p > samples - 1:
                warnings.warn("More independent predictors than datapoints in adjusted "
                              "R2 score. Falling back to standard R2 score.", stacklevel=3)
            elif p == samples - 1:
                warnings.warn("Division by zero in Adjusted R2 score. Falling back to "
                              "standard R2 score.", stacklevel=3)
        valid = ops.greater(ops.subtract(n, 1.0), p)
        denominator = ops.where(valid, ops.subtract(n, p + 1.0), ops.ones_like(n))
        adjusted = ops.subtract(1.0, ops.divide(ops.multiply(ops.subtract(1.0, score),
                                                             ops.subtract(n, 1.0)),
                                                denominator))
        return ops.where(valid, adjusted, score)

    def get_config(self):
        return {**super().get_config(), "class_aggregation": self.class_aggregation,
                "num_regressors": self.num_regressors}
