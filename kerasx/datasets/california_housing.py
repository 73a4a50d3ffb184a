"""California housing prices, as keras.datasets.california_housing."""
import numpy as np

from kerasx.datasets import _npz
from kerasx.utils.file_utils import get_file

ORIGIN = ("https://storage.googleapis.com/tensorflow/tf-keras-datasets/"
          "california_housing.npz")
FILE_HASH = "1a2e3a52e0398de6463aebe6f4a8da34fb21fbb6b934cf88c3425e766f2a1a6f"


def load_data(version="large", path="california_housing.npz", test_split=0.2, seed=113):
    """Load the California housing data: 20,640 rows of 8 features, median
    house values as targets ("small": the first 600 rows), split after
    Keras's shuffle.

    Args:
        version: "large" (all rows) or "small" (the first 600).
        path: file name in the Keras cache (downloaded there when absent).
        test_split: the fraction kept for the test set, in [0, 1).
        seed: the shuffle seed.

    Returns:
        `((x_train, y_train), (x_test, y_test))`.

    Raises:
        ValueError: for `test_split` outside [0, 1) or an unknown `version`.
        kerasx.utils.file_utils.DownloadError: when the file is not cached
            and cannot be downloaded; the message says where to copy it.
    """
    _npz.check_test_split(test_split)
    if version not in ("small", "large"):
        raise ValueError("Argument `version` must be one of 'small', 'large'. "
                         f"Received: version={version}")
    path = get_file(path, origin=ORIGIN, file_hash=FILE_HASH)
    with np.load(path, allow_pickle=False) as f:
        x, y = f["x"], f["y"]
    if version == "small":
        x, y = x[:600], y[:600]
    return _npz.split_rows(*_npz.shuffled(seed, x, y), test_split)
