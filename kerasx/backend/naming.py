"""Automatic names ("dense", "dense_1", ...) and keras.backend.get_uid, on one
counter, as Keras 3's keras/src/utils/naming.py.

Layers, losses, metrics and optimizers all draw their default names here, so
`keras.backend.clear_session()` (`reset_uids`) restarts them all. The counter
is process-wide and locked: layers made in two threads at once still get
distinct names (Keras 3 keeps one counter per thread, so two threads there
both make a "dense").
"""
import collections
import re
import threading

_LOCK = threading.Lock()
_COUNTS = collections.defaultdict(int)


def to_snake_case(name):
    """Keras's snake case of a class name: Conv2D -> conv2d,
    MaxPooling2D -> max_pooling2d, BatchNormalization -> batch_normalization."""
    name = re.sub(r"\W+", "", name)
    name = re.sub(r"(.)([A-Z][a-z]+)", r"\1_\2", name)
    return re.sub(r"([a-z])([A-Z])", r"\1_\2", name).lower()


def uniquify(name):
    """`name` the first time, then `name_1`, `name_2`, ... (a `get_uid` of the
    same prefix counts as a use)."""
    with _LOCK:
        count = _COUNTS[name]
        _COUNTS[name] = count + 1
    return name if count == 0 else f"{name}_{count}"


def auto_name(class_name):
    """The default name of an object of class `class_name`: its snake case,
    made unique (`Dense` -> "dense", "dense_1", ...)."""
    return uniquify(to_snake_case(class_name))


def get_uid(prefix=""):
    """1, 2, 3, ... per prefix, as keras.backend.get_uid."""
    with _LOCK:
        _COUNTS[prefix] += 1
        return _COUNTS[prefix]


def reset_uids():
    """Start every name and uid again (keras.backend.clear_session)."""
    with _LOCK:
        _COUNTS.clear()
