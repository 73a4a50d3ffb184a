"""CIFAR-10 small images, as keras.datasets.cifar10."""
import os
import pickle

import numpy as np

from kerasx import config
from kerasx.utils.file_utils import cache_dir_for, get_file

ORIGIN = "https://www.cs.toronto.edu/~kriz/cifar-10-python.tar.gz"
FILE_HASH = "6d958be074577803d12ecdefd02955f39262c83c16fe9348329d7fe0b5c001ce"
DIRNAME = "cifar-10-batches-py-target"
_ALLOWED = {("numpy.core.multiarray", "_reconstruct"), ("numpy._core.multiarray", "_reconstruct"),
            ("numpy", "ndarray"), ("numpy", "dtype"), ("numpy.core.multiarray", "scalar"),
            ("numpy._core.multiarray", "scalar"), ("_codecs", "encode")}


class _RestrictedUnpickler(pickle.Unpickler):
    """Unpickles only plain data and NumPy arrays (no arbitrary code)."""

    def find_class(self, module, name):
        if (module, name) in _ALLOWED:
            return super().find_class(module, name)
        raise pickle.UnpicklingError(f"Refusing to load {module}.{name} from a CIFAR batch.")


def load_batch(fpath, label_key="labels"):
    """(data (n, 3, 32, 32) uint8, labels list) of one CIFAR pickle batch."""
    with open(fpath, "rb") as f:
        batch = _RestrictedUnpickler(f, encoding="bytes").load()
    batch = {(k.decode("utf8") if isinstance(k, bytes) else k): v for k, v in batch.items()}
    data = np.asarray(batch["data"], dtype="uint8")
    return data.reshape(data.shape[0], 3, 32, 32), batch[label_key]


def _batches_folder():
    datadir = cache_dir_for("datasets")
    # A folder Keras 3 extracted, or one older Keras versions left.
    for candidate in (os.path.join(datadir, DIRNAME, "cifar-10-batches-py"),
                      os.path.join(datadir, "cifar-10-batches-py")):
        if os.path.isfile(os.path.join(candidate, "test_batch")):
            return candidate
    path = get_file(fname=DIRNAME, origin=ORIGIN, extract=True, file_hash=FILE_HASH)
    return os.path.join(path, "cifar-10-batches-py")


def load_data():
    """Load CIFAR-10: 50,000 training and 10,000 test 32x32 RGB uint8 images
    (channels last unless `image_data_format()` is "channels_first"), uint8
    labels of shape (n, 1).

    Returns:
        `((x_train, y_train), (x_test, y_test))`.

    Raises:
        kerasx.utils.file_utils.DownloadError: when the archive is not cached
            and cannot be downloaded; the message says where to copy it.
    """
    folder = _batches_folder()
    x_train = np.empty((50000, 3, 32, 32), dtype="uint8")
    y_train = np.empty((50000,), dtype="uint8")
    for i in range(1, 6):
        data, labels = load_batch(os.path.join(folder, f"data_batch_{i}"))
        x_train[(i - 1) * 10000:i * 10000] = data
        y_train[(i - 1) * 10000:i * 10000] = labels
    x_test, y_test = load_batch(os.path.join(folder, "test_batch"))
    y_train = y_train.reshape(-1, 1)
    y_test = np.asarray(y_test, dtype="uint8").reshape(-1, 1)
    if config.image_data_format() == "channels_last":
        x_train = x_train.transpose(0, 2, 3, 1)
        x_test = x_test.transpose(0, 2, 3, 1)
    return (x_train, y_train), (x_test.astype(x_train.dtype), y_test)
