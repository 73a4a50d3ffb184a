"""The handwritten digits of scikit-learn (UCI ML "Optical Recognition of
Handwritten Digits", test part): 1,797 8x8 images, shipped inside kerasx so
that it needs no download. kerasx's default small dataset."""
import os

import numpy as np

_DATA = os.path.join(os.path.dirname(os.path.abspath(__file__)), "data", "digits.npz")


def _load_raw():
    """(images (1797, 8, 8) uint8 in 0..16, labels (1797,) uint8)."""
    if os.path.isfile(_DATA):
        with np.load(_DATA, allow_pickle=False) as f:
            return f["images"], f["labels"]
    try:
        from sklearn.datasets import load_digits
    except ImportError as e:  # pragma: no cover - the file ships with kerasx
        raise FileNotFoundError(
            f"kerasx's copy of the digits data ({_DATA}) is missing and scikit-learn "
            "is not installed to provide it: reinstall kerasx or `pip install "
            "scikit-learn`.") from e
    bunch = load_digits()
    return bunch.images.astype("uint8"), bunch.target.astype("uint8")


def load_data(test_split=0.2, seed=113):
    """Load the 8x8 digits, shuffled and split.

    Args:
        test_split: fraction of the 1,797 samples kept for the test set.
        seed: seed of the shuffle (NumPy PCG64, so the split is the same
            everywhere); None keeps the original order.

    Returns:
        `((x_train, y_train), (x_test, y_test))`: images float32 in [0, 1] of
        shape (n, 8, 8) (pixel values 0-16 divided by 16), labels uint8 0-9.

    Raises:
        ValueError: when `test_split` is not in [0, 1).
    """
    if not 0 <= test_split < 1:
        raise ValueError(f"`test_split` must be in [0, 1); received {test_split!r}.")
    images, labels = _load_raw()
    x = images.astype("float32") / np.float32(16.0)
    y = labels.astype("uint8")
    if seed is not None:
        order = np.random.Generator(np.random.PCG64(int(seed))).permutation(len(x))
        x, y = x[order], y[order]
    n_train = int(len(x) * (1 - test_split))
    return (x[:n_train], y[:n_train]), (x[n_train:], y[n_train:])
