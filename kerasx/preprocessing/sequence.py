"""keras.preprocessing.sequence."""
from kerasx.utils.sequence_utils import pad_sequences

__all__ = ["pad_sequences"]
