"""MonitorCallback: the shared "is this value better?" logic of the callbacks
that watch a metric (EarlyStopping, ModelCheckpoint, ReduceLROnPlateau)."""
import operator
import warnings

import numpy as np

from kerasx.callbacks.callback import Callback

# Used in "auto" mode when the model's metrics do not say their direction.
_HIGHER_IS_BETTER = ("acc", "accuracy", "auc", "precision", "recall", "f1", "fbeta",
                     "iou", "r2", "r2_score", "top_k", "true_positives",
                     "true_negatives")
_LOWER_IS_BETTER = ("loss", "error", "crossentropy", "hinge", "mse", "mae", "mape",
                    "msle", "logcosh", "kl_divergence", "kld", "poisson", "huber",
                    "false_positives", "false_negatives")


def to_float(value):
    """A Python float from a float, NumPy value, tensor or variable."""
    if hasattr(value, "numpy"):
        value = value.numpy()
    return float(np.asarray(value))


def _iter_metrics(metrics):
    for metric in metrics or []:
        nested = getattr(metric, "metrics", None)
        if isinstance(nested, (list, tuple)) and nested is not metrics:
            yield from _iter_metrics(nested)
        yield metric


class MonitorCallback(Callback):
    """Base of callbacks watching `logs[monitor]`.

    Args:
        monitor: the logs key to watch ("val_loss").
        mode: "min", "max" or "auto" (the direction comes from the metric:
            losses decrease, accuracies increase).
        baseline: initial best value (None: the first value seen is the best).
        min_delta: smallest change that counts as an improvement.
    """

    def __init__(self, monitor="val_loss", mode="auto", baseline=None, min_delta=0):
        super().__init__()
        if mode not in ("auto", "min", "max"):
            warnings.warn(f"{type(self).__name__} mode '{mode}' is unknown, fallback to "
                          "auto mode.", stacklevel=3)
            mode = "auto"
        self.monitor = monitor
        self.mode = mode
        self.best = baseline
        self.min_delta = abs(min_delta)
        self.monitor_op = None

    def _direction_from_model(self, name):
        for metric in _iter_metrics(getattr(self.model, "metrics", None)):
            if getattr(metric, "name", None) == name:
                direction = getattr(metric, "_direction", None)
                if direction == "up":
                    return operator.gt
                if direction == "down":
                    return operator.lt
        return None

    def _set_monitor_op(self):
        if self.mode == "min":
            op = operator.lt
        elif self.mode == "max":
            op = operator.gt
        else:
            name = self.monitor[4:] if self.monitor.startswith("val_") else self.monitor
            op = operator.lt if name == "loss" or name.endswith("_loss") else None
            if op is None:
                op = self._direction_from_model(name)
            if op is None:
                lowered = name.lower()
                if any(key in lowered for key in _LOWER_IS_BETTER):
                    op = operator.lt
                elif any(key in lowered for key in _HIGHER_IS_BETTER):
                    op = operator.gt
            if op is None:
                raise ValueError(
                    f"{type(self).__name__} callback received monitor={self.monitor}, "
                    "but kerasx isn't able to automatically determine whether that "
                    "metric should be maximized or minimized. Pass `mode='max'` in "
                    "order to monitor based on the highest metric value, or pass "
                    "`mode='min'` in order to use the lowest value.")
        self.monitor_op = op
        if op is operator.lt:
            self.min_delta = -abs(self.min_delta)
        else:
            self.min_delta = abs(self.min_delta)

    def _is_improvement(self, value, reference):
        if reference is None:
            return True
        return bool(self.monitor_op(value - self.min_delta, reference))
