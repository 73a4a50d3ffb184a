"""MNIST handwritten digits, as keras.datasets.mnist."""
import os

import numpy as np

from kerasx.datasets._idx import read_idx
from kerasx.utils.file_utils import get_file

ORIGIN = "https://storage.googleapis.com/tensorflow/tf-keras-datasets/mnist.npz"
FILE_HASH = "731c5ac602752760c8e48fbffcf8c3b850d9dc2a2aedcf2cc48468fc17b673d1"
IDX_FILES = {"x_train": "train-images-idx3-ubyte", "y_train": "train-labels-idx1-ubyte",
             "x_test": "t10k-images-idx3-ubyte", "y_test": "t10k-labels-idx1-ubyte"}
# When a folder holds only the test split (10,000 images), its first
# TEST_ONLY_TRAIN_SIZE images are returned as the training set and the rest
# as the test set.
TEST_ONLY_TRAIN_SIZE = 8000


def _find_idx(directory, stem):
    for name in (stem + ".gz", stem, stem.replace("-idx", ".idx") + ".gz",
                 stem.replace("-idx", ".idx")):
        path = os.path.join(directory, name)
        if os.path.isfile(path):
            return path
    return None


def load_idx_directory(directory):
    """((x_train, y_train), (x_test, y_test)) from the idx files of a folder.

    With all four files (train-images-idx3-ubyte[.gz], ...), the official
    60,000/10,000 split. With only the test split (t10k-*), its first 8,000
    images are the training set and the last 2,000 the test set.

    Raises:
        FileNotFoundError: when the folder lacks the t10k files.
    """
    paths = {key: _find_idx(directory, stem) for key, stem in IDX_FILES.items()}
    if paths["x_test"] is None or paths["y_test"] is None:
        raise FileNotFoundError(
            f"{directory} holds no MNIST idx files: expected {IDX_FILES['x_test']}.gz and "
            f"{IDX_FILES['y_test']}.gz (and optionally the train-* files).")
    x_test, y_test = read_idx(paths["x_test"]), read_idx(paths["y_test"])
    if paths["x_train"] and paths["y_train"]:
        x_train, y_train = read_idx(paths["x_train"]), read_idx(paths["y_train"])
    else:
        n = TEST_ONLY_TRAIN_SIZE
        x_train, y_train = x_test[:n], y_test[:n]
        x_test, y_test = x_test[n:], y_test[n:]
    return (np.ascontiguousarray(x_train), np.ascontiguousarray(y_train)), \
        (np.ascontiguousarray(x_test), np.ascontiguousarray(y_test))


def load_data(path="mnist.npz"):
    """Load MNIST: 60,000 training and 10,000 test 28x28 uint8 images with
    uint8 labels 0-9.

    Args:
        path: file name in the Keras cache ($KERAS_HOME/datasets, else
            ~/.keras/datasets; downloaded there when absent, the same file
            and hash as Keras), or the path of an existing .npz file, or a
            folder holding the idx files (`train-images-idx3-ubyte.gz`, ...,
            `t10k-labels-idx1-ubyte.gz`; see `load_idx_directory`).

    Returns:
        `((x_train, y_train), (x_test, y_test))`.

    Raises:
        kerasx.utils.file_utils.DownloadError: when the file is not cached
            and cannot be downloaded; the message says where to copy it.
    """
    path = os.fspath(path)
    if os.path.isdir(path):
        return load_idx_directory(path)
    if not os.path.isfile(path):
        path = get_file(fname=path, origin=ORIGIN, file_hash=FILE_HASH)
    with np.load(path, allow_pickle=False) as f:
        return (f["x_train"], f["y_train"]), (f["x_test"], f["y_test"])
