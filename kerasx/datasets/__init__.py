"""Datasets, as keras.datasets, plus `digits` (scikit-learn's 8x8 handwritten
digits, shipped inside kerasx: no download)."""
from kerasx.datasets import cifar10, digits, fashion_mnist, mnist

__all__ = ["cifar10", "digits", "fashion_mnist", "mnist"]
