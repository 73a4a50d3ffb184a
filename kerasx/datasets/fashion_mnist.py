"""Fashion-MNIST (Zalando's clothing images), as keras.datasets.fashion_mnist."""
import os

from kerasx.datasets._idx import read_idx
from kerasx.utils.file_utils import get_file

BASE = "https://storage.googleapis.com/tensorflow/tf-keras-datasets/"
FILES = ["train-labels-idx1-ubyte.gz", "train-images-idx3-ubyte.gz",
         "t10k-labels-idx1-ubyte.gz", "t10k-images-idx3-ubyte.gz"]


def load_data():
    """Load Fashion-MNIST: 60,000 training and 10,000 test 28x28 uint8
    images, uint8 labels 0-9. The four idx files are cached in
    $KERAS_HOME/datasets/fashion-mnist (else ~/.keras/datasets/fashion-mnist),
    where Keras keeps them.

    Returns:
        `((x_train, y_train), (x_test, y_test))`.

    Raises:
        kerasx.utils.file_utils.DownloadError: when a file is not cached and
            cannot be downloaded; the message says where to copy it.
    """
    subdir = os.path.join("datasets", "fashion-mnist")
    paths = [get_file(name, origin=BASE + name, cache_subdir=subdir) for name in FILES]
    y_train, x_train, y_test, x_test = (read_idx(p) for p in paths)
    return (x_train, y_train), (x_test, y_test)
