"""Reuters newswire topics, as keras.datasets.reuters."""
import json

import numpy as np

from kerasx.datasets import _npz
from kerasx.utils.file_utils import get_file

ORIGIN_FOLDER = "https://storage.googleapis.com/tensorflow/tf-keras-datasets/"
FILE_HASH = "d6586e694ee56d7a4e65172e12b3e987c03096cb01eab99753921ef915959916"
WORD_INDEX_HASH = "4d44cc38712099c9e383dc6e5f11a921"
LABEL_NAMES = (
    "cocoa", "grain", "veg-oil", "earn", "acq", "wheat", "copper", "housing",
    "money-supply", "coffee", "sugar", "trade", "reserves", "ship", "cotton", "carcass",
    "crude", "nat-gas", "cpi", "money-fx", "interest", "gnp", "meal-feed", "alum",
    "oilseed", "gold", "tin", "strategic-metal", "livestock", "retail", "ipi",
    "iron-steel", "rubber", "heat", "jobs", "lei", "bop", "zinc", "orange", "pet-chem",
    "dlr", "gas", "silver", "wpi", "hog", "lead")


def load_data(path="reuters.npz", num_words=None, skip_top=0, maxlen=None, test_split=0.2,
              seed=113, start_char=1, oov_char=2, index_from=3):
    """Load the Reuters newswires (11,228 lists of word indices, 46 topics),
    split into training and test sets after Keras's shuffle.

    Args:
        path: file name in the Keras cache (downloaded there when absent).
        num_words, skip_top, maxlen, seed, start_char, oov_char, index_from:
            as `kerasx.datasets.imdb.load_data`.
        test_split: the fraction of the shuffled data kept for the test set.

    Returns:
        `((x_train, y_train), (x_test, y_test))`.

    Raises:
        kerasx.utils.file_utils.DownloadError: when the file is not cached
            and cannot be downloaded; the message says where to copy it.
    """
    path = get_file(fname=path, origin=ORIGIN_FOLDER + "reuters.npz", file_hash=FILE_HASH)
    arrays = _npz.load_npz(path)
    xs, labels = _npz.shuffled(seed, arrays["x"], arrays["y"])
    xs = _npz.index_words(xs, start_char, index_from)
    if maxlen:
        xs, labels = _npz.drop_long(maxlen, xs, labels)
    xs = _npz.limit_vocabulary(xs, num_words, skip_top, oov_char)
    n = int(len(xs) * (1 - test_split))
    return (np.array(xs[:n], dtype="object"), np.array(labels[:n])), \
        (np.array(xs[n:], dtype="object"), np.array(labels[n:]))


def get_word_index(path="reuters_word_index.json"):
    """{word: index} of the Reuters vocabulary (before the `index_from` offset).

    Raises:
        kerasx.utils.file_utils.DownloadError: when the file is not cached
            and cannot be downloaded.
    """
    path = get_file(fname=path, origin=ORIGIN_FOLDER + "reuters_word_index.json",
                    file_hash=WORD_INDEX_HASH)
    with open(path) as f:
        return json.load(f)


def get_label_names():
    """The 46 topic names, indexed by label."""
    return LABEL_NAMES
