from kerasx.layers.preprocessing.normalization import Normalization
from kerasx.layers.preprocessing.rescaling import Rescaling

__all__ = ["Normalization", "Rescaling"]
