"""Serialization of kerasx objects (keras.saving)."""
from kerasx.saving.registry import (get_registered_name, get_registered_object,
                                    register_keras_serializable)

__all__ = ["get_registered_name", "get_registered_object", "register_keras_serializable"]
