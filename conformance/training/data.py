"""The data: scikit-learn's 8x8 digits by default (shipped with kerasx,
offline), MNIST when asked for and available.

    load("digits")              # 1,437 training / 360 held-out 8x8 images
    load("mnist")               # the Keras cache (~/.keras/datasets/mnist.npz)
                                # or, from a checkout, ../shared/data/mnist (idx files)
    load("/path/mnist.npz")     # a given file, or a folder of idx files

Images are float64 in [0, 1] with a channel axis (N, H, W, 1); the worker
casts them to the run's dtype. Labels are int32.
"""
import os

import numpy as np

from ..paths import SHARED_MNIST


def keras_cache_mnist():
    """The path of mnist.npz in the Keras cache, or None."""
    home = os.environ.get("KERAS_HOME") or os.path.join(os.path.expanduser("~"), ".keras")
    path = os.path.join(home, "datasets", "mnist.npz")
    return path if os.path.isfile(path) else None


def find_mnist():
    """Where MNIST is on this machine (the Keras cache, then, from a checkout,
    ../shared/data/mnist), or None."""
    cached = keras_cache_mnist()
    if cached:
        return cached
    if SHARED_MNIST and os.path.isfile(os.path.join(SHARED_MNIST, "t10k-images-idx3-ubyte.gz")):
        return SHARED_MNIST
    return None


def _subset(x, y, n):
    return (x, y) if n is None else (x[:n], y[:n])


def load(data="digits", n_train=None, n_test=None):
    """The data set as a dict: name, x_train, y_train, x_test, y_test.

    Args:
        data: "digits", "mnist" (found in the Keras cache or
            ../shared/data/mnist), or the path of an mnist.npz file or of a
            folder of MNIST idx files.
        n_train, n_test: keep only the first n samples of each split.

    Raises:
        FileNotFoundError: for "mnist" when no copy is found, or a path that
            does not exist.
    """
    from kerasx.datasets import digits, mnist

    if data == "digits":
        (x, y), (xt, yt) = digits.load_data(test_split=0.2, seed=113)
        name = "digits"
        scale = 1.0  # already in [0, 1]
    else:
        path = data
        if data == "mnist":
            path = find_mnist()
            if path is None:
                beside = f" or the idx files in {SHARED_MNIST}" if SHARED_MNIST else ""
                raise FileNotFoundError(
                    "MNIST not found: put mnist.npz in ~/.keras/datasets (Keras's cache)"
                    f"{beside}, or pass --data PATH (an mnist.npz file or a folder of "
                    "MNIST idx files).")
        elif not os.path.exists(path):
            raise FileNotFoundError(f"No such data file or folder: {path!r}")
        (x, y), (xt, yt) = mnist.load_data(os.path.abspath(path))
        name = "mnist"
        scale = 255.0
    x, y = _subset(x, y, n_train)
    xt, yt = _subset(xt, yt, n_test)

    def images(a):
        a = np.asarray(a, dtype="float64") / scale
        return a[..., None] if a.ndim == 3 else a

    return {"name": name, "x_train": images(x), "y_train": np.asarray(y, "int32"),
            "x_test": images(xt), "y_test": np.asarray(yt, "int32")}
