"""History: records the logs of every epoch; fit() returns it."""
from kerasx.callbacks.callback import Callback


class History(Callback):
    """`history.history` maps each metric name to its per-epoch values;
    `history.epoch` lists the epoch indices."""

    def __init__(self):
        super().__init__()
        self.history = {}
        self.epoch = []

    def on_train_begin(self, logs=None):
        self.epoch = []

    def on_epoch_end(self, epoch, logs=None):
        self.epoch.append(epoch)
        for key, value in (logs or {}).items():
            self.history.setdefault(key, []).append(value)
        self.model.history = self
