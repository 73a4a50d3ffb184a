"""split_dataset (keras.utils.split_dataset) for in-memory data."""
import random

import numpy as np

from kerasx import tree
from kerasx.utils.batched_dataset import BatchedDataset


def split_sizes(left_size, right_size, total):
    """(left, right) sample counts from ints (counts) or floats (fractions),
    as Keras computes them.

    Raises:
        TypeError, ValueError: for sizes of another type or out of range.
    """
    for name, size in (("left_size", left_size), ("right_size", right_size)):
        if size is not None and type(size) not in (int, float):
            raise TypeError(f"Invalid `{name}` Type. Expected: int or float or None, "
                            f"Received: type({name})={type(size)}.")
    if left_size == 0 and right_size == 0:
        raise ValueError("Both `left_size` and `right_size` are zero. At least one of the "
                         "split sizes must be non-zero.")
    for name, size in (("left_size", left_size), ("right_size", right_size)):
        if (type(size) is int and (size <= 0 or size >= total)) or (
                type(size) is float and (size <= 0 or size >= 1)):
            raise ValueError(f"`{name}` should be either a positive integer smaller than "
                             f"{total}, or a float within the range `[0, 1]`. Received: "
                             f"{name}={size}")
    if type(left_size) is float and type(right_size) is float and left_size + right_size > 1:
        raise ValueError("The sum of `left_size` and `right_size` is greater than 1. It "
                         "must be less than or equal to 1.")
    left = round(left_size * total) if type(left_size) is float else left_size
    right = round(right_size * total) if type(right_size) is float else right_size
    if left is None:
        left = total - right
    elif right is None:
        right = total - left
    if left + right > total:
        raise ValueError("The sum of `left_size` and `right_size` should be smaller than "
                         f"the {total}. Received: left_size + right_size = {left + right}"
                         f"and total_length = {total}")
    for size, side in ((left, "left"), (right, "right")):
        if size == 0:
            raise ValueError(f"With `dataset` of length={total}, `left_size`={left} and "
                             f"`right_size`={right}. Resulting {side} side dataset split "
                             "will be empty. Adjust any of the aforementioned parameters")
    return int(left), int(right)


def split_dataset(dataset, left_size=None, right_size=None, shuffle=False, seed=None):
    """Split a dataset in two, as keras.utils.split_dataset.

    Args:
        dataset: an array, a tuple/list/dict of arrays with one first axis
            (e.g. `(x, y)`), or a kerasx BatchedDataset (re-batched alike).
        left_size, right_size: an int (samples) or a float (fraction); at
            least one.
        shuffle: shuffle the samples first (Python's `random` seeded with
            `seed`, as Keras: the same seed gives Keras's split).
        seed: the shuffle seed.

    Returns:
        `(left, right)`: for arrays, the same structure of NumPy arrays
        (ready for `fit(x, y)`; Keras returns unbatched tf.data.Datasets of
        the same samples); for a BatchedDataset, two BatchedDatasets.

    Raises:
        TypeError: for another kind of dataset or size.
        ValueError: for sizes that leave a side empty or exceed the data.
    """
    if right_size is None and left_size is None:
        raise ValueError("At least one of the `left_size` or `right_size` must be "
                         "specified. Received: left_size=None and right_size=None")
    batch_size = None
    if isinstance(dataset, BatchedDataset):
        batch_size = dataset.batch_size
        items = list(dataset)
        join = np.stack if batch_size is None else np.concatenate
        structure = tree.map_structure(lambda *parts: join(parts), *items)
    elif isinstance(dataset, (np.ndarray, list, tuple, dict)) or hasattr(dataset, "__array__"):
        structure = dataset
    else:
        raise TypeError("The `dataset` argument must be an array, a list/tuple/dict of "
                        "arrays or a kerasx BatchedDataset. Received: dataset of type "
                        f"{type(dataset).__name__}")
    if isinstance(structure, list) and structure and not hasattr(structure[0], "__len__"):
        structure = np.asarray(structure)  # a list of scalars is one array
    leaves = [np.asarray(leaf) for leaf in tree.flatten(structure)]
    total = len(leaves[0])
    if any(len(leaf) != total for leaf in leaves):
        raise ValueError("All arrays of `dataset` must have the same length; received "
                         f"lengths {[len(leaf) for leaf in leaves]}.")
    order = list(range(total))
    if shuffle:
        if seed is None:
            seed = random.randint(0, int(1e6))
        random.seed(seed)
        random.shuffle(order)
    left, right = split_sizes(left_size, right_size, total)
    order = np.asarray(order)
    parts = []
    for indices in (order[:left], order[-right:]):
        part = tree.pack_sequence_as(structure, [leaf[indices] for leaf in leaves])
        if isinstance(part, list):
            part = tuple(part)
        if batch_size is not None:
            part = _rebatch(part, batch_size)
        parts.append(part)
    return tuple(parts)


def _rebatch(structure, batch_size):
    first = tree.flatten(structure)[0]
    return BatchedDataset(lambda i: tree.map_structure(lambda a: a[i], structure),
                          len(first), batch_size)
