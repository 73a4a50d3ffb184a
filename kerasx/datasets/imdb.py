"""IMDB movie review sentiment, as keras.datasets.imdb."""
import json

import numpy as np

from kerasx.datasets import _npz
from kerasx.utils.file_utils import get_file

ORIGIN_FOLDER = "https://storage.googleapis.com/tensorflow/tf-keras-datasets/"
FILE_HASH = "69664113be75683a8fe16e3ed0ab59fda8886cb3cd7ada244f7d9544e4676b9f"
WORD_INDEX_HASH = "bfafd718b763782e994055a2d397834f"


def load_data(path="imdb.npz", num_words=None, skip_top=0, maxlen=None, seed=113,
              start_char=1, oov_char=2, index_from=3, **kwargs):
    """Load the IMDB reviews: 25,000 training and 25,000 test reviews as
    lists of word indices (index i is the i-th most frequent word, offset by
    `index_from`), with labels 0 (negative) / 1 (positive).

    Args:
        path: file name in the Keras cache ($KERAS_HOME/datasets or
            ~/.keras/datasets; downloaded there when absent, Keras's file and
            hash).
        num_words: keep only the `num_words` most frequent words (larger
            indices become `oov_char`); None keeps all.
        skip_top: also replace the `skip_top` most frequent words.
        maxlen: drop the reviews of `maxlen` words or more.
        seed: the shuffle seed (Keras's shuffle: the same seed, the same order).
        start_char: index prepended to every review (None: none).
        oov_char: replacement for dropped words (None: drop them).
        index_from: offset added to every word index.

    Returns:
        `((x_train, y_train), (x_test, y_test))`; x are object arrays of lists.

    Raises:
        kerasx.utils.file_utils.DownloadError: when the file is not cached
            and cannot be downloaded; the message says where to copy it.
        ValueError: when `maxlen` keeps no review.
    """
    if kwargs:
        raise TypeError(f"Unrecognized keyword arguments: {sorted(kwargs)}.")
    path = get_file(fname=path, origin=ORIGIN_FOLDER + "imdb.npz", file_hash=FILE_HASH)
    arrays = _npz.load_npz(path)
    # One RandomState shuffles train then test (Keras's order).
    rng = np.random.RandomState(seed)
    order = np.arange(len(arrays["x_train"]))
    rng.shuffle(order)
    x_train, labels_train = arrays["x_train"][order], arrays["y_train"][order]
    order = np.arange(len(arrays["x_test"]))
    rng.shuffle(order)
    x_test, labels_test = arrays["x_test"][order], arrays["y_test"][order]
    return _finish(x_train, labels_train, x_test, labels_test, num_words, skip_top,
                   maxlen, start_char, oov_char, index_from)


def _finish(x_train, labels_train, x_test, labels_test, num_words, skip_top, maxlen,
            start_char, oov_char, index_from):
    x_train = _npz.index_words(x_train, start_char, index_from)
    x_test = _npz.index_words(x_test, start_char, index_from)
    if maxlen:
        x_train, labels_train = _npz.drop_long(maxlen, x_train, labels_train)
        x_test, labels_test = _npz.drop_long(maxlen, x_test, labels_test)
        if not x_train or not x_test:
            raise ValueError(f"After filtering for sequences shorter than maxlen={maxlen}, "
                             "no sequence was kept. Increase maxlen.")
    xs = _npz.limit_vocabulary(x_train + x_test, num_words, skip_top, oov_char)
    labels = np.concatenate([labels_train, labels_test])
    n = len(x_train)
    # np.array(..., dtype="object") as Keras: a 1D array of lists when the
    # lengths differ (always, in the real data).
    return (np.array(xs[:n], dtype="object"), labels[:n]), \
        (np.array(xs[n:], dtype="object"), labels[n:])


def get_word_index(path="imdb_word_index.json"):
    """{word: index} of the IMDB vocabulary (before the `index_from` offset).

    Raises:
        kerasx.utils.file_utils.DownloadError: when the file is not cached
            and cannot be downloaded.
    """
    path = get_file(fname=path, origin=ORIGIN_FOLDER + "imdb_word_index.json",
                    file_hash=WORD_INDEX_HASH)
    with open(path) as f:
        return json.load(f)
