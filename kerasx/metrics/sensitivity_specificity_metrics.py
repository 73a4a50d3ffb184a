"""Keras 3's metrics that read one rate where another meets a constraint,
from confusion counts at evenly spaced thresholds: SensitivityAtSpecificity,
SpecificityAtSensitivity, PrecisionAtRecall and RecallAtPrecision."""
from kerasx.backend import get_ops
from kerasx.losses.loss import divide_no_nan
from kerasx.metrics.confusion_metrics import (ConfusionMatrix,
                                              update_confusion_matrix_variables)
from kerasx.metrics.metric import Metric


class SensitivitySpecificityBase(Metric):
    """Confusion counts at `num_thresholds` thresholds (0, evenly spaced, 1;
    0.5 alone when num_thresholds is 1), for one `class_id` or all entries;
    subclasses read the best `dependent` rate where `constrained` >= value.

    Raises:
        ValueError: num_thresholds < 1.
    """

    def __init__(self, value, num_thresholds=200, class_id=None, name=None, dtype=None):
        super().__init__(name=name, dtype=dtype)
        if num_thresholds <= 0:
            raise ValueError("Argument `num_thresholds` must be an integer > 0. "
                             f"Received: num_thresholds={num_thresholds}")
        self.value = value
        self.class_id = class_id
        if num_thresholds == 1:
            self.thresholds = [0.5]
            self._thresholds_distributed_evenly = False
        else:
            inner = [(i + 1) * 1.0 / (num_thresholds - 1) for i in range(num_thresholds - 2)]
            self.thresholds = [0.0] + inner + [1.0]
            self._thresholds_distributed_evenly = True
        count = len(self.thresholds)
        self.true_positives = self.add_variable((count,), name="true_positives")
        self.false_positives = self.add_variable((count,), name="false_positives")
        self.true_negatives = self.add_variable((count,), name="true_negatives")
        self.false_negatives = self.add_variable((count,), name="false_negatives")

    def update_state(self, y_true, y_pred, sample_weight=None):
        """Add this batch's weighted counts at each threshold."""
        update_confusion_matrix_variables(
            {ConfusionMatrix.TRUE_POSITIVES: self.true_positives,
             ConfusionMatrix.TRUE_NEGATIVES: self.true_negatives,
             ConfusionMatrix.FALSE_POSITIVES: self.false_positives,
             ConfusionMatrix.FALSE_NEGATIVES: self.false_negatives},
            y_true, y_pred, thresholds=self.thresholds,
            thresholds_distributed_evenly=self._thresholds_distributed_evenly,
            class_id=self.class_id, sample_weight=sample_weight)

    def _rates(self):
        ops = get_ops()
        tp, fp = self.true_positives.value, self.false_positives.value
        tn, fn = self.true_negatives.value, self.false_negatives.value
        return {"recall": divide_no_nan(tp, ops.add(tp, fn)),
                "specificity": divide_no_nan(tn, ops.add(tn, fp)),
                "precision": divide_no_nan(tp, ops.add(tp, fp))}

    def _best(self, constrained, dependent):
        """max of `dependent` where `constrained` >= value, 0 if nowhere."""
        ops = get_ops()
        rates = self._rates()
        feasible = ops.greater_equal(rates[constrained], float(self.value))
        return ops.max(ops.where(feasible, rates[dependent],
                                 ops.zeros_like(rates[dependent])))

    def get_config(self):
        return {**super().get_config(), "class_id": self.class_id}


def _check_rate(name, value):
    if value < 0 or value > 1:
        raise ValueError(f"Argument `{name}` must be in the range [0, 1]. "
                         f"Received: {name}={value}")


class SensitivityAtSpecificity(SensitivitySpecificityBase):
    """The best sensitivity (recall) where the specificity is >= `specificity`."""

    def __init__(self, specificity, num_thresholds=200, class_id=None, name=None,
                 dtype=None):
        _check_rate("specificity", specificity)
        self.specificity, self.num_thresholds = specificity, num_thresholds
        super().__init__(specificity, num_thresholds, class_id, name, dtype)

    def result(self):
        return self._best("specificity", "recall")

    def get_config(self):
        return {**super().get_config(), "num_thresholds": self.num_thresholds,
                "specificity": self.specificity}


class SpecificityAtSensitivity(SensitivitySpecificityBase):
    """The best specificity where the sensitivity is >= `sensitivity`."""

    def __init__(self, sensitivity, num_thresholds=200, class_id=None, name=None,
                 dtype=None):
        _check_rate("sensitivity", sensitivity)
        self.sensitivity, self.num_thresholds = sensitivity, num_thresholds
        super().__init__(sensitivity, num_thresholds, class_id, name, dtype)

    def result(self):
        return self._best("recall", "specificity")

    def get_config(self):
        return {**super().get_config(), "num_thresholds": self.num_thresholds,
                "sensitivity": self.sensitivity}


class PrecisionAtRecall(SensitivitySpecificityBase):
    """The best precision where the recall is >= `recall`."""

    def __init__(self, recall, num_thresholds=200, class_id=None, name=None, dtype=None):
        _check_rate("recall", recall)
        self.recall, self.num_thresholds = recall, num_thresholds
        super().__init__(recall, num_thresholds, class_id, name, dtype)

    def result(self):
        return self._best("recall", "precision")

    def get_config(self):
        return {**super().get_config(), "num_thresholds": self.num_thresholds,
                "recall": self.recall}


class RecallAtPrecision(SensitivitySpecificityBase):
    """The best recall where the precision is >= `precision`."""

    def __init__(self, precision, num_thresholds=200, class_id=None, name=None,
                 dtype=None):
        _check_rate("precision", precision)
        self.precision, self.num_thresholds = precision, num_thresholds
        super().__init__(precision, num_thresholds, class_id, name, dtype)

    def result(self):
        return self._best("precision", "recall")

    def get_config(self):
        return {**super().get_config(), "num_thresholds": self.num_thresholds,
                "precision": self.precision}
