"""Offline datasets for the corpus: a KERAS_HOME whose datasets/ folder holds
mnist.npz and fashion_mnist.npz, served by the `keras.datasets` loaders.

Keras 3 and kerasx both check the sha256 of a cached mnist.npz and download
again on a mismatch, so a file of our own in the cache is not enough: the
runner also puts `site/` on PYTHONPATH, whose sitecustomize makes the loaders
of both libraries read these files (see site/sitecustomize.py).

Both have MNIST's shapes and dtypes (60,000 / 10,000 28x28 uint8 images,
uint8 labels). MNIST comes from ../shared/data/mnist beside a checkout of the
repository when that folder holds the idx files (see `mnist_arrays`), else,
like Fashion-MNIST, from a deterministic generated set that a small model can
learn (one blurred random template per class plus noise).
"""
import hashlib
import os

import numpy as np

from ..paths import REPO, SHARED_MNIST  # noqa: F401  (REPO: None when installed)

SITE_DIR = os.path.join(os.path.dirname(os.path.abspath(__file__)), "site")
# Read by site/sitecustomize.py: the folder holding <name>.npz.
ENV_VAR = "KERASX_CORPUS_DATASETS"
DATASETS = ("mnist", "fashion_mnist")


def generated(seed, n_train=60000, n_test=10000, side=28, classes=10):
    """((x_train, y_train), (x_test, y_test)): uint8 images (n, side, side)
    of `classes` learnable classes, uint8 labels; the same for a given seed."""
    rng = np.random.Generator(np.random.PCG64(seed))
    templates = rng.random((classes, side, side))
    # A 3x3 box blur makes the templates smooth strokes rather than pixel noise.
    padded = np.pad(templates, ((0, 0), (1, 1), (1, 1)), mode="edge")
    templates = sum(padded[:, i:i + side, j:j + side] for i in range(3) for j in range(3)) / 9
    templates = (templates - templates.min()) / (templates.max() - templates.min())

    def split(n):
        labels = rng.integers(0, classes, n).astype("uint8")
        noise = rng.normal(0.0, 0.25, (n, side, side))
        images = np.clip(templates[labels] + noise, 0.0, 1.0) * 255
        return images.astype("uint8"), labels

    return split(n_train), split(n_test)


def mnist_arrays():
    """MNIST with the official shapes: from ../shared/data/mnist when its idx
    files are there, else generated.

    With only the test split there (10,000 images), the test set is those
    images and the training set is them repeated six times, so that programs
    written for MNIST's 60,000/10,000 split (`x_train[-10000:]` as a
    validation set, ...) run unchanged.
    """
    if SHARED_MNIST and os.path.isdir(SHARED_MNIST):
        from kerasx.datasets.mnist import load_idx_directory
        try:
            (x_train, y_train), (x_test, y_test) = load_idx_directory(SHARED_MNIST)
        except (FileNotFoundError, ValueError):
            pass
        else:
            if len(x_train) + len(x_test) == 10000:  # the folder held only t10k
                x_test = np.concatenate([x_train, x_test])
                y_test = np.concatenate([y_train, y_test])
                x_train, y_train = np.tile(x_test, (6, 1, 1)), np.tile(y_test, 6)
                return ((x_train, y_train), (x_test, y_test)), "shared/data/mnist (t10k, x6)"
            return ((x_train, y_train), (x_test, y_test)), "shared/data/mnist"
    return generated(seed=20), "generated"


def prepare(keras_home):
    """Write datasets/<name>.npz under `keras_home` (kept when already
    written from the same source) and return {name: source description}."""
    folder = os.path.join(keras_home, "datasets")
    os.makedirs(folder, exist_ok=True)
    sources = {}
    for name in DATASETS:
        if name == "mnist":
            arrays, source = mnist_arrays()
        else:
            arrays, source = generated(seed=21), "generated"
        (x_train, y_train), (x_test, y_test) = arrays
        path = os.path.join(folder, f"{name}.npz")
        stamp = path + ".source"
        digest = hashlib.sha256(x_test.tobytes()).hexdigest()[:16] + " " + source
        if not (os.path.isfile(path) and os.path.isfile(stamp)
                and open(stamp).read() == digest):
            np.savez(path + ".tmp.npz", x_train=x_train, y_train=y_train, x_test=x_test,
                     y_test=y_test)
            os.replace(path + ".tmp.npz", path)
            with open(stamp, "w") as f:
                f.write(digest)
        sources[name] = source
    return sources


def environment(keras_home):
    """The environment variables that serve the prepared datasets."""
    return {"KERAS_HOME": keras_home, ENV_VAR: os.path.join(keras_home, "datasets")}
