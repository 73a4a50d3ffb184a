"""Utilities, as keras.utils."""
from kerasx.utils.file_utils import get_file
from kerasx.utils.numerical_utils import normalize, to_categorical
from kerasx.utils.progbar import Progbar
from kerasx.utils.py_dataset import PyDataset, Sequence
from kerasx.utils.rng_utils import set_random_seed
from kerasx.utils.summary_utils import print_summary

__all__ = ["Progbar", "PyDataset", "Sequence", "get_file", "normalize", "print_summary",
           "set_random_seed", "to_categorical"]
