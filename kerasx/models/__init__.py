"""Models, as keras.models."""
from kerasx.models.cloning import clone_model
from kerasx.models.functional import Functional
from kerasx.models.json_io import model_from_json
from kerasx.models.model import Model
from kerasx.models.sequential import Sequential

from kerasx.saving import load_model, save_model
from kerasx.saving.registry import register_builtin

# Models are layers too: a nested model deserializes through the layer registry.
register_builtin("layer", [Functional, Sequential])

__all__ = ["Functional", "Model", "Sequential", "clone_model", "load_model",
           "model_from_json", "save_model"]
