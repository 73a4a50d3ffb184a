from kerasx.layers.reshaping.flatten import Flatten

__all__ = ["Flatten"]
