"""Batches of in-memory data: NumPy arrays, tensors of any framework, pandas
objects, and lists / tuples / dicts of them. Shuffling draws from kerasx's
portable generator, so one seed gives the same batch order on every
backend."""
import math
import numbers

import numpy as np

from kerasx import tree
from kerasx.random.seed_generator import global_seed_generator
from kerasx.trainers.data_adapters import data_adapter_utils
from kerasx.trainers.data_adapters.data_adapter import DataAdapter


def _is_array_like(value):
    """An array or a tensor of any framework (duck typed: shape and dtype)."""
    if isinstance(value, np.ndarray):
        return True
    if isinstance(value, (str, bytes)) or np.isscalar(value):
        return False
    if hasattr(value, "shape") and hasattr(value, "to_numpy"):
        return True  # pandas DataFrame / Series
    return hasattr(value, "shape") and hasattr(value, "dtype") and \
        (hasattr(value, "__array__") or hasattr(value, "numpy") or
         hasattr(value, "asnumpy"))


def can_convert_arrays(arrays):
    """True when every leaf of the nest is None or array-like (Python scalars
    and nested Python lists are not: Keras 3 refuses them too)."""
    leaves = tree.flatten(arrays)
    return any(leaf is not None for leaf in leaves) and all(
        leaf is None or _is_array_like(leaf) for leaf in leaves)


def describe_non_array(parts):
    """A sentence naming the first of `parts` ((name, nest) pairs) holding a
    leaf that is not an array or tensor, or None when there is none."""
    for name, part in parts:
        bad = next((leaf for leaf in tree.flatten(part)
                    if leaf is not None and not _is_array_like(leaf)), None)
        if bad is None:
            continue
        message = (f"`{name}` contains a {type(bad).__name__} ({str(bad)[:40]}) where an "
                   "array or tensor was expected.")
        if isinstance(part, (list, tuple)) and isinstance(bad, (numbers.Number, np.generic)):
            message += (" Nested Python lists are not accepted as data: convert them with "
                        "np.asarray(...) first (a list is read as several inputs, one "
                        "array each).")
        return message
    return None


class ArrayDataAdapter(DataAdapter):
    """Slices (x, y, sample_weight) into batches, shuffled per pass when asked.

    Args:
        shuffle: True (shuffle samples), "batch" (shuffle whole batches) or
            False.

    Raises:
        ValueError: for empty data or arrays with different numbers of samples.
    """

    input_kind = "arrays"

    def __init__(self, x, y=None, sample_weight=None, batch_size=None, shuffle=False,
                 steps=None, class_weight=None):
        super().__init__(steps=steps)
        to_host = data_adapter_utils.to_host
        self.x, self.y, self.sample_weight = (tree.map_structure(to_host, x),
                                              tree.map_structure(to_host, y),
                                              tree.map_structure(to_host, sample_weight))
        if class_weight is not None:
            if self.sample_weight is not None:
                raise ValueError("You cannot specify `class_weight` and `sample_weight` at "
                                 "the same time.")
            if self.y is None:
                raise ValueError("`class_weight` needs targets `y`.")
            self.sample_weight = data_adapter_utils.class_weight_to_sample_weight(
                self.y, class_weight)
        sizes = {name: [a.shape[0] if a.ndim else 1 for a in tree.flatten(part)
                        if a is not None]
                 for name, part in (("x", self.x), ("y", self.y),
                                    ("sample_weight", self.sample_weight))}
        flat = [n for values in sizes.values() for n in values]
        if not flat:
            raise ValueError("No data given: pass `x` (and `y`) as arrays.")
        if len(set(flat)) > 1:
            detail = "\n".join(f"  {name} sizes: {', '.join(map(str, v))}"
                               for name, v in sizes.items() if v)
            raise ValueError("Data cardinality is ambiguous: make sure all arrays contain "
                             f"the same number of samples.\n{detail}")
        self.num_samples = flat[0]
        if self.num_samples == 0:
            raise ValueError("The data has 0 samples: there is nothing to train on, evaluate "
                             "or predict. Received x with shapes "
                             f"{[a.shape for a in tree.flatten(self.x) if a is not None]}.")
        self.batch_size = batch_size or 32
        self.shuffle = shuffle

    @property
    def num_batches(self):
        return math.ceil(self.num_samples / self.batch_size)

    def _new_pass(self):
        order = None
        if self.shuffle == "batch":
            batch_order = global_seed_generator().generator.permutation(self.num_batches)
            order = np.concatenate([np.arange(b * self.batch_size,
                                              min((b + 1) * self.batch_size, self.num_samples))
                                    for b in batch_order])
        elif self.shuffle:
            order = global_seed_generator().generator.permutation(self.num_samples)
        return self._slices(order)

    def _slices(self, order):
        for step in range(self.num_batches):
            lo = step * self.batch_size
            hi = min(lo + self.batch_size, self.num_samples)
            index = order[lo:hi] if order is not None else slice(lo, hi)

            def take(a, index=index):
                return None if a is None else a[index]

            yield (tree.map_structure(take, self.x), tree.map_structure(take, self.y),
                   tree.map_structure(take, self.sample_weight))

    def _standardize(self, raw):
        return raw  # already (x, y, sample_weight) of NumPy arrays


def single_batch(x, y=None, sample_weight=None, class_weight=None):
    """(x, y, sample_weight) for train_on_batch / test_on_batch /
    predict_on_batch: foreign tensors become NumPy arrays, the selected
    backend's tensors are kept.

    Raises:
        ValueError: for data that is not arrays or tensors, an empty batch,
            or class_weight together with sample_weight.
    """
    parts = (("x", x), ("y", y), ("sample_weight", sample_weight))
    if not can_convert_arrays((x, y, sample_weight)) or x is None:
        problem = describe_non_array(parts) or "`x` is None."
        raise ValueError(f"A batch must be arrays or tensors (or lists / dicts of them). "
                         f"{problem}")
    batch = data_adapter_utils.batch_to_arrays((x, y, sample_weight))
    if data_adapter_utils.num_rows(tree.flatten(batch[0])[0]) == 0:
        raise ValueError("The batch has 0 samples.")
    if class_weight is not None:
        if batch[2] is not None:
            raise ValueError("You cannot specify `class_weight` and `sample_weight` at the "
                             "same time.")
        batch = (batch[0], batch[1],
                 data_adapter_utils.class_weight_to_sample_weight(batch[1], class_weight))
    return batch
