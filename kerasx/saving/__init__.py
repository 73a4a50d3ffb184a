"""Serialization of kerasx objects and models (keras.saving).

`save_model` / `load_model` read and write Keras 3's `.keras` archives;
saving is atomic and loading never runs code from the file
(kerasx/saving/saving_api.py). Every rejected file raises `LoadingError`.
"""
from kerasx.saving.errors import LoadingError, SavingError
from kerasx.saving.file_editor import KerasFileEditor
from kerasx.saving.registry import (get_registered_name, get_registered_object,
                                    register_keras_serializable)
from kerasx.saving.serialization import (CustomObjectScope, custom_object_scope,
                                         deserialize_keras_object, get_custom_objects,
                                         serialize_keras_object)


def save_model(model, filepath, overwrite=True, zipped=True, **kwargs):
    """Save `model` as a `.keras` file (as `model.save`)."""
    from kerasx.saving import saving_api
    saving_api.save_model(model, filepath, overwrite=overwrite, zipped=zipped, **kwargs)


def load_model(filepath, custom_objects=None, compile=True, safe_mode=True):
    """Load a `.keras` file written by kerasx or Keras 3 (see saving_api.load_model)."""
    from kerasx.saving import saving_api
    return saving_api.load_model(filepath, custom_objects=custom_objects, compile=compile,
                                 safe_mode=safe_mode)


def save_weights(model, filepath, overwrite=True, **kwargs):
    """Save `model`'s weights to a `.weights.h5` file (as `model.save_weights`).

    Raises:
        ValueError: for a filename not ending in `.weights.h5`, or a model
            that is not built.
    """
    from kerasx.saving import saving_api
    if kwargs:
        raise TypeError(f"save_weights got unexpected arguments: {sorted(kwargs)}.")
    saving_api.save_weights(model, filepath, overwrite=overwrite)


def load_weights(model, filepath, skip_mismatch=False, **kwargs):
    """Load weights from a `.weights.h5` or `.keras` file into `model` (as
    `model.load_weights`)."""
    from kerasx.saving import saving_api
    saving_api.load_weights(model, filepath, skip_mismatch=skip_mismatch, **kwargs)


__all__ = ["CustomObjectScope", "KerasFileEditor", "LoadingError", "SavingError", "custom_object_scope",
           "deserialize_keras_object", "get_custom_objects", "get_registered_name",
           "get_registered_object", "load_model", "load_weights",
           "register_keras_serializable", "save_model", "save_weights",
           "serialize_keras_object"]
