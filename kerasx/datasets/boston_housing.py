"""Boston housing prices, as keras.datasets.boston_housing."""
import numpy as np

from kerasx.datasets import _npz
from kerasx.utils.file_utils import get_file

ORIGIN = "https://storage.googleapis.com/tensorflow/tf-keras-datasets/boston_housing.npz"
FILE_HASH = "f553886a1f8d56431e820c5b82552d9d95cfcb96d1e678153f8839538947dff5"


def load_data(path="boston_housing.npz", test_split=0.2, seed=113):
    """Load the Boston housing data: 506 rows of 13 features, targets in
    thousands of dollars, split after Keras's shuffle.

    Args:
        path: file name in the Keras cache (downloaded there when absent).
        test_split: the fraction kept for the test set, in [0, 1).
        seed: the shuffle seed.

    Returns:
        `((x_train, y_train), (x_test, y_test))`.

    Raises:
        ValueError: for `test_split` outside [0, 1).
        kerasx.utils.file_utils.DownloadError: when the file is not cached
            and cannot be downloaded; the message says where to copy it.
    """
    _npz.check_test_split(test_split)
    path = get_file(path, origin=ORIGIN, file_hash=FILE_HASH)
    with np.load(path, allow_pickle=False) as f:
        x, y = f["x"], f["y"]
    return _npz.split_rows(*_npz.shuffled(seed, x, y), test_split)
