"""SwapEMAWeights, as keras.callbacks.SwapEMAWeights."""
import numpy as np

from kerasx.callbacks.callback import Callback


class SwapEMAWeights(Callback):
    """Evaluate and predict with the optimizer's moving averages of the
    weights (`use_ema=True`), train with the raw weights.

    Before evaluation (and prediction) the model's trainable variables and the
    optimizer's averages are swapped; after it they are swapped back. With
    `swap_on_epoch`, the averages are also in the model between epochs (so
    that other callbacks, e.g. ModelCheckpoint, see them).

    Unlike Keras 3, whose `on_predict_end` never swaps back (the averages
    stay in the model after `predict`), kerasx restores the raw weights.

    Args:
        swap_on_epoch: also swap at each epoch's end (and back at the next
            epoch's start).

    Raises:
        ValueError: (when used) the optimizer was not created with
            `use_ema=True`.
    """

    def __init__(self, swap_on_epoch=False):
        super().__init__()
        self.swap_on_epoch = swap_on_epoch
        self._ema_weights_in_model = False

    def _optimizers(self):
        """The optimizers holding averages: the optimizer (inside a
        LossScaleOptimizer), or a MultiOptimizer's sub-optimizers with
        `use_ema=True`."""
        optimizer = self.model.optimizer
        optimizer = getattr(optimizer, "inner_optimizer", optimizer)  # LossScaleOptimizer
        subs = getattr(optimizer, "optimizers", None)
        if isinstance(subs, (list, tuple)):
            chosen = [opt for opt in subs if getattr(opt, "use_ema", False)]
            if not chosen:
                raise ValueError("SwapEMAWeights must be used when at least one inner "
                                 "optimizer has `use_ema=True` set. Received a "
                                 "MultiOptimizer with all inner optimizers having "
                                 "`use_ema=False`.")
        else:
            chosen = [optimizer]
        for opt in chosen:
            if not getattr(opt, "use_ema", False) or \
                    not hasattr(opt, "_model_variables_moving_average"):
                raise ValueError("SwapEMAWeights must be used when `use_ema=True` is set "
                                 "on the optimizer. Received: use_ema="
                                 f"{getattr(opt, 'use_ema', None)}")
        return chosen

    def _swap_variables(self):
        for optimizer in self._optimizers():
            for variable, average in zip(optimizer._trainable_variables,
                                         optimizer._model_variables_moving_average):
                raw = np.array(variable.numpy())
                variable.assign(average.value)
                average.assign(raw)

    def _finalize_ema_values(self):
        for optimizer in self._optimizers():
            for variable, average in zip(optimizer._trainable_variables,
                                         optimizer._model_variables_moving_average):
                average.assign(variable.value)

    def on_epoch_begin(self, epoch, logs=None):
        if self.swap_on_epoch and self._ema_weights_in_model:
            self._swap_variables()
            self._ema_weights_in_model = False

    def on_epoch_end(self, epoch, logs=None):
        if self.swap_on_epoch and not self._ema_weights_in_model:
            self._swap_variables()
            self._ema_weights_in_model = True
            # fit ends by writing the averages into the variables
            # (finalize_variable_values): they must be the averages again.
            if epoch == self.params["epochs"] - 1:
                self._finalize_ema_values()

    def on_test_begin(self, logs=None):
        if not self._ema_weights_in_model:
            self._swap_variables()
            self._ema_weights_in_model = True

    def on_test_end(self, logs=None):
        if self._ema_weights_in_model:
            self._swap_variables()
            self._ema_weights_in_model = False

    def on_predict_begin(self, logs=None):
        self.on_test_begin(logs)

    def on_predict_end(self, logs=None):
        self.on_test_end(logs)
