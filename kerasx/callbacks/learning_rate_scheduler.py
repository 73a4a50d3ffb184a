"""LearningRateScheduler: set the optimizer's learning rate at each epoch."""
import numpy as np

from kerasx.callbacks.callback import Callback
from kerasx.callbacks.monitor_callback import to_float


def _optimizers(model):
    optimizer = model.optimizer
    inner = getattr(optimizer, "optimizers", None)
    if isinstance(inner, (list, tuple)):
        return [(opt, getattr(opt, "name", f"optimizer_{i}")) for i, opt in enumerate(inner)]
    return [(optimizer, None)]


class LearningRateScheduler(Callback):
    """At the start of each epoch, set the learning rate to
    `schedule(epoch, lr)` (or `schedule(epoch)`), as
    keras.callbacks.LearningRateScheduler. The rate is logged as
    "learning_rate" at the end of each epoch.

    Args:
        schedule: function of the 0-based epoch index and the current rate
            returning the new rate (a float).
        verbose: 1 prints each new rate.
    """

    def __init__(self, schedule, verbose=0):
        super().__init__()
        self.schedule = schedule
        self.verbose = verbose

    def _update_optimizer_lr(self, optimizer, epoch):
        if not hasattr(optimizer, "learning_rate"):
            raise ValueError('Optimizer must have a "learning_rate" attribute.')
        try:
            lr = self.schedule(epoch, to_float(optimizer.learning_rate))
        except TypeError:  # old style: schedule(epoch)
            lr = self.schedule(epoch)
        if not isinstance(lr, (float, np.floating)):
            raise ValueError("The output of the `schedule` function should be a float. "
                             f"Got: {lr}")
        optimizer.learning_rate = float(lr)
        return float(lr)

    def on_epoch_begin(self, epoch, logs=None):
        for optimizer, name in _optimizers(self.model):
            lr = self._update_optimizer_lr(optimizer, epoch)
            if self.verbose > 0:
                which = f"{name} learning rate" if name else "learning rate"
                print(f"\nEpoch {epoch + 1}: LearningRateScheduler setting {which} to {lr}.")

    def on_epoch_end(self, epoch, logs=None):
        if logs is None:
            return
        for optimizer, name in _optimizers(self.model):
            key = f"learning_rate_{name}" if name else "learning_rate"
            logs[key] = to_float(optimizer.learning_rate)
