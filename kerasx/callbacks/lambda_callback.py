"""LambdaCallback: a callback built from plain functions."""
from kerasx.callbacks.callback import Callback

_HOOKS = tuple(name for name in vars(Callback) if name.startswith("on_"))


class LambdaCallback(Callback):
    """Each keyword names a hook (on_epoch_begin, on_epoch_end,
    on_train_begin, on_train_end, on_train_batch_begin, on_train_batch_end,
    on_test_*, on_predict_*, on_batch_*) and gives the function to call, with
    the hook's arguments: `on_epoch_end=lambda epoch, logs: ...`,
    `on_train_begin=lambda logs: ...`. As keras.callbacks.LambdaCallback,
    other keywords become attributes.
    """

    def __init__(self, on_epoch_begin=None, on_epoch_end=None, on_train_begin=None,
                 on_train_end=None, on_train_batch_begin=None, on_train_batch_end=None,
                 **kwargs):
        super().__init__()
        hooks = dict(on_epoch_begin=on_epoch_begin, on_epoch_end=on_epoch_end,
                     on_train_begin=on_train_begin, on_train_end=on_train_end,
                     on_train_batch_begin=on_train_batch_begin,
                     on_train_batch_end=on_train_batch_end)
        for name in list(kwargs):
            if name in _HOOKS:
                hooks[name] = kwargs.pop(name)
        self.__dict__.update(kwargs)
        for name, function in hooks.items():
            if function is not None:
                if not callable(function):
                    raise TypeError(f"LambdaCallback: `{name}` must be callable; "
                                    f"received {function!r}.")
                setattr(self, name, function)
