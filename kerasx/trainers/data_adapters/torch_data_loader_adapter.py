"""Batches from torch.utils.data DataLoaders and Datasets, on every backend,
without importing torch: they are recognised by their class hierarchy; each
batch's tensors become NumPy arrays unless PyTorch is the selected backend
(then they are kept as they are)."""
import numpy as np

from kerasx.random.seed_generator import global_seed_generator
from kerasx.trainers.data_adapters import data_adapter_utils
from kerasx.trainers.data_adapters.data_adapter import DataAdapter


def _has_torch_base(x, names):
    return any(cls.__name__ in names and
               str(getattr(cls, "__module__", "")).startswith("torch.utils.data")
               for cls in type(x).__mro__)


def is_torch_data_loader(x):
    """True for a torch.utils.data.DataLoader (or a subclass)."""
    return _has_torch_base(x, ("DataLoader",))


def is_torch_dataset(x):
    """True for a torch.utils.data.Dataset / IterableDataset (not a DataLoader)."""
    return _has_torch_base(x, ("Dataset", "IterableDataset")) and \
        not is_torch_data_loader(x)


def _length(x):
    try:
        return len(x)
    except TypeError:  # an IterableDataset without __len__
        return None


class TorchDataLoaderAdapter(DataAdapter):
    """Reads a DataLoader: one pass per epoch (its own sampler shuffles), or
    `steps` batches per epoch continuing across epochs."""

    input_kind = "torch DataLoader"

    def __init__(self, loader, steps=None, class_weight=None):
        super().__init__(steps=steps, class_weight=class_weight)
        self.loader = loader
        self._num_batches = _length(loader)

    @property
    def num_batches(self):
        return self._num_batches

    def _new_pass(self):
        return iter(self.loader)


def _collate(items):
    """Stack per-sample items (arrays, tensors, numbers, or tuples / dicts of
    them) into one batch of NumPy arrays."""
    first = items[0]
    if isinstance(first, dict):
        return {k: _collate([item[k] for item in items]) for k in first}
    if isinstance(first, (list, tuple)):
        return tuple(_collate([item[i] for item in items]) for i in range(len(first)))
    return np.stack([np.asarray(data_adapter_utils.to_host(item)) for item in items])


class TorchDatasetAdapter(DataAdapter):
    """Batches a torch Dataset as a DataLoader with `batch_size` would: items
    (x, y) or (x, y, sample_weight) are stacked; a map-style dataset is
    shuffled per pass by kerasx's portable generator when `shuffle`, an
    iterable one is read in order."""

    input_kind = "torch Dataset"

    def __init__(self, dataset, batch_size=None, shuffle=False, steps=None,
                 class_weight=None):
        super().__init__(steps=steps, class_weight=class_weight)
        self.dataset = dataset
        self.batch_size = batch_size or 32
        self.shuffle = shuffle
        self.iterable = _has_torch_base(dataset, ("IterableDataset",))
        size = None if self.iterable else _length(dataset)
        if not self.iterable and size is None:
            raise ValueError("A map-style torch Dataset must define __len__ to be batched.")
        if size == 0:
            raise ValueError("The torch Dataset has 0 samples: there is no data.")
        self._size = size

    @property
    def num_batches(self):
        if self._size is None:
            return None
        return -(-self._size // self.batch_size)

    def _items(self):
        if self.iterable:
            return iter(self.dataset)
        order = (global_seed_generator().generator.permutation(self._size) if self.shuffle
                 else np.arange(self._size))
        return (self.dataset[int(i)] for i in order)

    def _new_pass(self):
        items = self._items()
        while True:
            chunk = [item for _, item in zip(range(self.batch_size), items)]
            if not chunk:
                return
            yield _collate(chunk)
