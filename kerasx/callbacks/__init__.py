"""Callbacks, as keras.callbacks."""
from kerasx.callbacks.callback import Callback
from kerasx.callbacks.callback_list import CallbackList
from kerasx.callbacks.history import History

__all__ = ["Callback", "CallbackList", "History"]
