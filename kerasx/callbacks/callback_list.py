"""CallbackList: dispatches each hook to every callback, adding History (and
the progress bar when verbose) as Keras does."""
from kerasx.callbacks.callback import Callback
from kerasx.callbacks.history import History

_HOOKS = [name for name in vars(Callback) if name.startswith("on_")]
# Hooks whose first argument is an epoch or batch index.
_INDEXED = {name: "batch" in name or "epoch" in name for name in _HOOKS}


class CallbackList:
    def __init__(self, callbacks=None, add_history=False, add_progbar=False, model=None,
                 **params):
        self.callbacks = list(callbacks or [])
        for cb in self.callbacks:
            if not isinstance(cb, Callback):
                raise TypeError(f"Callbacks must be kerasx.callbacks.Callback instances; "
                                f"received {cb!r}.")
        if add_progbar and not any(type(cb).__name__ == "ProgbarLogger"
                                   for cb in self.callbacks):
            from kerasx.callbacks.progbar_logger import ProgbarLogger
            self.callbacks.insert(0, ProgbarLogger())
        self.history = None
        if add_history:
            self.history = next((cb for cb in self.callbacks if isinstance(cb, History)),
                                None)
            if self.history is None:
                self.history = History()
                self.callbacks.append(self.history)
        for cb in self.callbacks:
            # Callbacks that save their siblings' state (BackupAndRestore).
            if hasattr(cb, "set_callback_list"):
                cb.set_callback_list(self)
        if model is not None:
            self.set_model(model)
        self.set_params(params)

    def set_model(self, model):
        for cb in self.callbacks:
            cb.set_model(model)

    def set_params(self, params):
        for cb in self.callbacks:
            cb.set_params(params)

    def __iter__(self):
        return iter(self.callbacks)


def _dispatch(hook):
    # As Keras 3, every callback receives a dict: {} where the loop has no
    # logs, else a fresh copy with the names sorted (Keras's order).
    def method(self, *args, logs=None):
        if len(args) == 2 or (len(args) == 1 and not _INDEXED[hook]):
            *args, logs = args
        logs = {} if logs is None else {key: logs[key] for key in sorted(logs)}
        for cb in self.callbacks:
            getattr(cb, hook)(*args, logs=logs)
    method.__name__ = hook
    method.__doc__ = f"Call `{hook}` on every callback with a dict of logs."
    return method


for _hook in _HOOKS:
    setattr(CallbackList, _hook, _dispatch(_hook))
