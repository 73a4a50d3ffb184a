"""Offline image data for the examples: MNIST when available (the Keras cache,
or ../shared/data/mnist next to the repository), else scikit-learn's digits
upsampled to 16x16, which ships with kerasx. KERASX_EXAMPLE_DATA=digits forces
the digits (the tests use it)."""
import os

import numpy as np

SHARED_MNIST = os.path.join(os.path.dirname(__file__), "..", "..", "shared", "data", "mnist")


def load_images(limit=None):
    """((x_train, y_train), (x_test, y_test), name): images (n, h, w, 1) in [0, 1]."""
    from kerasx.datasets import digits, mnist

    try:
        if os.environ.get("KERASX_EXAMPLE_DATA") == "digits":
            raise LookupError("digits requested")
        (x_train, y_train), (x_test, y_test) = mnist.load_data()
        name = "mnist"
    except Exception:  # offline without the Keras cache
        if os.path.isdir(SHARED_MNIST) and os.environ.get("KERASX_EXAMPLE_DATA") != "digits":
            (x_train, y_train), (x_test, y_test) = mnist.load_data(path=SHARED_MNIST)
            name = "mnist (../shared, test split)"
        else:
            (x_train, y_train), (x_test, y_test) = digits.load_data()
            # 8x8 -> 16x16 so the convnet's two valid conv/pool stages fit.
            x_train, x_test = (np.kron(x, np.ones((1, 2, 2))) for x in (x_train, x_test))
            name = "digits (16x16)"
    x_train = x_train.astype("float32")
    x_test = x_test.astype("float32")
    if x_train.max() > 1.0:
        x_train /= 255.0
        x_test /= 255.0
    if limit:
        x_train, y_train = x_train[:limit], y_train[:limit]
        x_test, y_test = x_test[:limit], y_test[:limit]
    return (x_train[..., None], y_train.astype("int32")), \
        (x_test[..., None], y_test.astype("int32")), name
