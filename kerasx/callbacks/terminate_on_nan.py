"""TerminateOnNaN: stop training when the loss becomes NaN or infinite."""
import numpy as np

from kerasx.callbacks.callback import Callback


class TerminateOnNaN(Callback):
    """Set `model.stop_training` (or raise, with `raise_error=True`) when a
    batch's loss is NaN or Inf, as keras.callbacks.TerminateOnNaN."""

    def __init__(self, raise_error=False):
        super().__init__()
        self.raise_error = raise_error

    def on_batch_end(self, batch, logs=None):
        loss = (logs or {}).get("loss")
        if loss is None:
            return
        if np.isnan(loss) or np.isinf(loss):
            if self.raise_error:
                raise RuntimeError(f"NaN or Inf loss encountered at batch {batch}. Loss "
                                   f"value: {loss}. Terminating training immediately.")
            print(f"Batch {batch}: Invalid loss, terminating training")
            self.model.stop_training = True
