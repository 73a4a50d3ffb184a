"""Datasets, as keras.datasets, plus `digits` (scikit-learn's 8x8 handwritten
digits, shipped inside kerasx: no download)."""
from kerasx.datasets import (boston_housing, california_housing, cifar10, cifar100, digits,
                             fashion_mnist, imdb, mnist, reuters)

__all__ = ["boston_housing", "california_housing", "cifar10", "cifar100", "digits",
           "fashion_mnist", "imdb", "mnist", "reuters"]
