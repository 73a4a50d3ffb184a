"""CIFAR-100 small images, as keras.datasets.cifar100."""
import os

import numpy as np

from kerasx import config
from kerasx.datasets.cifar10 import load_batch
from kerasx.utils.file_utils import cache_dir_for, get_file

ORIGIN = "https://www.cs.toronto.edu/~kriz/cifar-100-python.tar.gz"
FILE_HASH = "85cd44d02ba6437773c5bbd22e183051d648de2e7d6b014e1ef29b855ba677a7"
DIRNAME = "cifar-100-python-target"


def _folder():
    datadir = cache_dir_for("datasets")
    # The folder Keras 3 extracts to, or the one older Keras versions left
    # beside cifar-100-python.tar.gz.
    for candidate in (os.path.join(datadir, DIRNAME, "cifar-100-python"),
                      os.path.join(datadir, "cifar-100-python")):
        if os.path.isfile(os.path.join(candidate, "test")):
            return candidate
    legacy = os.path.join(datadir, "cifar-100-python.tar.gz")
    if os.path.isfile(legacy):
        path = get_file(fname="cifar-100-python.tar.gz", origin=ORIGIN, extract=True,
                        file_hash=FILE_HASH)
    else:
        path = get_file(fname=DIRNAME, origin=ORIGIN, extract=True, file_hash=FILE_HASH)
    return os.path.join(path, "cifar-100-python")


def load_data(label_mode="fine"):
    """Load CIFAR-100: 50,000 training and 10,000 test 32x32 RGB uint8 images
    (channels last unless `image_data_format()` is "channels_first") with
    labels of shape (n, 1).

    Args:
        label_mode: "fine" (100 classes) or "coarse" (20 superclasses).

    Returns:
        `((x_train, y_train), (x_test, y_test))`.

    Raises:
        ValueError: for another `label_mode`.
        kerasx.utils.file_utils.DownloadError: when the archive is not cached
            and cannot be downloaded; the message says where to copy it.
    """
    if label_mode not in ("fine", "coarse"):
        raise ValueError('`label_mode` must be one of `"fine"`, `"coarse"`. '
                         f"Received: label_mode={label_mode}.")
    folder = _folder()
    key = f"{label_mode}_labels"
    x_train, y_train = load_batch(os.path.join(folder, "train"), label_key=key)
    x_test, y_test = load_batch(os.path.join(folder, "test"), label_key=key)
    y_train = np.reshape(y_train, (len(y_train), 1))
    y_test = np.reshape(y_test, (len(y_test), 1))
    if config.image_data_format() == "channels_last":
        x_train = x_train.transpose(0, 2, 3, 1)
        x_test = x_test.transpose(0, 2, 3, 1)
    return (x_train, y_train), (x_test, y_test)
