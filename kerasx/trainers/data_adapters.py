"""Turn what fit/evaluate/predict accept into batches of NumPy arrays.

Accepted: NumPy arrays (or lists/dicts of them, or anything np.asarray takes),
Python generators yielding (x,), (x, y) or (x, y, sample_weight) tuples, and
kerasx.utils.PyDataset. Shuffling draws from kerasx's portable generator, so
one seed gives the same batch order on every backend.
"""
import math
import types
import warnings

import numpy as np

from kerasx.engine import tree
from kerasx.random.seed_generator import global_seed_generator


def unpack_x_y_sample_weight(data):
    """(x, y, sample_weight) from a batch given as x or a tuple of 1 to 3.

    Raises:
        ValueError: for a tuple of another length.
    """
    if isinstance(data, list):
        data = tuple(data)
    if not isinstance(data, tuple):
        return data, None, None
    if len(data) == 1:
        return data[0], None, None
    if len(data) == 2:
        return data[0], data[1], None
    if len(data) == 3:
        return data
    raise ValueError("Data is expected to be in format `x`, `(x,)`, `(x, y)`, or "
                     f"`(x, y, sample_weight)`, found a tuple of {len(data)} elements.")


def _as_arrays(structure):
    def convert(v):
        if v is None:
            return None
        if hasattr(v, "numpy") and not isinstance(v, np.ndarray):
            v = v.numpy()
        arr = np.asarray(v)
        if arr.dtype == object or arr.dtype.kind in "USV":
            raise ValueError(f"Data of dtype {arr.dtype} cannot be fed to a model; "
                             "expected numeric arrays.")
        return arr
    return tree.map_structure(convert, structure)


class ArrayDataAdapter:
    """Batches of in-memory arrays, shuffled per epoch when asked."""

    def __init__(self, x, y=None, sample_weight=None, batch_size=None, shuffle=False,
                 steps=None):
        self.x, self.y, self.sample_weight = (_as_arrays(x), _as_arrays(y),
                                              _as_arrays(sample_weight))
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
        self.batch_size = batch_size or 32
        self.shuffle = shuffle
        self.num_batches = max(1, math.ceil(self.num_samples / self.batch_size))
        self.steps = steps

    def steps_per_epoch(self):
        return self.steps if self.steps is not None else self.num_batches

    def batches(self):
        """One epoch of (x, y, sample_weight) batches."""
        if self.shuffle:
            order = global_seed_generator().generator.permutation(self.num_samples)
        else:
            order = None
        steps = self.steps_per_epoch()
        if steps > self.num_batches:
            warnings.warn(f"Your input ran out of data: {self.num_batches} batches per "
                          f"epoch, but steps={steps} were requested.", stacklevel=3)
        for step in range(min(steps, self.num_batches)):
            lo, hi = step * self.batch_size, min((step + 1) * self.batch_size,
                                                 self.num_samples)
            index = order[lo:hi] if order is not None else slice(lo, hi)

            def take(a, index=index):
                return None if a is None else a[index]

            yield (tree.map_structure(take, self.x), tree.map_structure(take, self.y),
                   tree.map_structure(take, self.sample_weight))

    def on_epoch_end(self):
        pass


class GeneratorDataAdapter:
    """Batches pulled from a Python generator (or any iterator)."""

    def __init__(self, generator, steps=None):
        self.iterator = iter(generator)
        self.steps = steps
        self.exhausted = False

    def steps_per_epoch(self):
        return self.steps

    def batches(self):
        count = 0
        while self.steps is None or count < self.steps:
            try:
                data = next(self.iterator)
            except StopIteration:
                self.exhausted = True
                if self.steps is not None:
                    warnings.warn("Your input ran out of data; interrupting training. Make "
                                  "sure the generator can produce steps_per_epoch * epochs "
                                  "batches.", stacklevel=3)
                return
            yield tuple(_as_arrays(part) for part in unpack_x_y_sample_weight(data))
            count += 1

    def on_epoch_end(self):
        pass


class PyDatasetAdapter:
    """Batches from a kerasx.utils.PyDataset (indexable, with a length)."""

    def __init__(self, dataset, shuffle=False, steps=None):
        self.dataset = dataset
        self.shuffle = shuffle
        self.steps = steps

    def steps_per_epoch(self):
        return self.steps if self.steps is not None else len(self.dataset)

    def batches(self):
        n = len(self.dataset)
        order = (global_seed_generator().generator.permutation(n) if self.shuffle
                 else range(n))
        for step, index in enumerate(order):
            if self.steps is not None and step >= self.steps:
                return
            yield tuple(_as_arrays(part)
                        for part in unpack_x_y_sample_weight(self.dataset[int(index)]))

    def on_epoch_end(self):
        if hasattr(self.dataset, "on_epoch_end"):
            self.dataset.on_epoch_end()


def get_data_adapter(x, y=None, sample_weight=None, batch_size=None, shuffle=False,
                     steps=None):
    """The adapter for `x`.

    Raises:
        ValueError: when `y` or `sample_weight` is given with a generator or
            PyDataset (they carry their own targets).
    """
    from kerasx.utils.py_dataset import PyDataset

    if isinstance(x, PyDataset):
        _no_targets(y, sample_weight, "a PyDataset")
        return PyDatasetAdapter(x, shuffle=shuffle, steps=steps)
    if isinstance(x, types.GeneratorType) or (hasattr(x, "__next__") and
                                               not isinstance(x, np.ndarray)):
        _no_targets(y, sample_weight, "a generator")
        return GeneratorDataAdapter(x, steps=steps)
    return ArrayDataAdapter(x, y, sample_weight, batch_size=batch_size, shuffle=shuffle,
                            steps=steps)


def _no_targets(y, sample_weight, what):
    if y is not None or sample_weight is not None:
        raise ValueError(f"When x is {what}, it must yield the targets and sample weights "
                         "itself: do not pass `y` or `sample_weight`.")


def train_validation_split(arrays, validation_split):
    """Split arrays into (train, validation), the validation part being the
    last `validation_split` fraction, before any shuffling (as Keras).

    Raises:
        ValueError: if the split leaves either part empty.
    """
    flat = [a for a in tree.flatten(arrays) if a is not None]
    n = np.asarray(flat[0]).shape[0]
    split_at = int(math.floor(n * (1.0 - validation_split)))
    if split_at == 0 or split_at == n:
        raise ValueError(f"validation_split={validation_split} leaves no training or no "
                         f"validation samples out of {n}.")

    def part(lo, hi):
        return tree.map_structure(lambda a: None if a is None else np.asarray(a)[lo:hi],
                                  arrays)

    return part(0, split_at), part(split_at, n)


def class_weight_to_sample_weight(y, class_weight):
    """Per-sample weights from a {class: weight} mapping and the targets.

    Raises:
        ValueError: for several outputs, or a class without a weight.
    """
    y = np.asarray(y)
    if y.ndim > 1 and y.shape[-1] > 1:
        classes = np.argmax(y, axis=-1)
    else:
        classes = np.round(y.reshape(y.shape[0], -1)[:, 0]).astype(int)
    missing = sorted(set(np.unique(classes)) - set(class_weight))
    if missing:
        raise ValueError(f"class_weight has no weight for classes {missing}; it must map "
                         "every class index that appears in y.")
    return np.array([class_weight[c] for c in classes], dtype="float32")
