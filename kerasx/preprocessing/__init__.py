"""keras.preprocessing: the sequence utilities Keras 3 keeps under this name."""
from kerasx.preprocessing import sequence

__all__ = ["sequence"]
