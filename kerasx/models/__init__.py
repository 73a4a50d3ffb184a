"""Models, as keras.models."""
from kerasx.models.functional import Functional
from kerasx.models.model import Model
from kerasx.models.sequential import Sequential

__all__ = ["Functional", "Model", "Sequential"]
