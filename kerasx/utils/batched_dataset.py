"""BatchedDataset: the PyDataset kerasx's *_dataset_from_* utilities return
where Keras 3 returns a tf.data.Dataset (kerasx's front end does not use
TensorFlow). Batches are built on demand from one function per sample and
hold NumPy arrays; iterate it, index it, or pass it to `fit`."""
import numpy as np

from kerasx import tree
from kerasx.utils.py_dataset import PyDataset


class BatchedDataset(PyDataset):
    """Samples `sample(i)` for i in range(num_samples), stacked into batches
    of `batch_size` (the last one smaller); with batch_size None each item is
    one sample.

    With padded=True samples of different shapes are zero-padded at the end
    of each axis to the batch's largest, as tf.data's padded_batch.

    Attributes:
        class_names: set by the directory utilities (the label names), else None.
    """

    def __init__(self, sample, num_samples, batch_size, class_names=None, padded=False,
                 **kwargs):
        super().__init__(**kwargs)
        self._sample = sample
        self.num_samples = int(num_samples)
        self.batch_size = batch_size
        self.class_names = class_names
        self.padded = padded

    def __len__(self):
        if self.batch_size is None:
            return self.num_samples
        return -(-self.num_samples // self.batch_size)

    def __getitem__(self, index):
        if index < 0:
            index += len(self)
        if not 0 <= index < len(self):
            raise IndexError(f"Batch index {index} out of range for a dataset of "
                             f"{len(self)} batches.")
        if self.batch_size is None:
            return self._sample(index)
        start = index * self.batch_size
        samples = [self._sample(i) for i in range(start, min(start + self.batch_size,
                                                              self.num_samples))]
        return tree.map_structure(_pad_and_stack if self.padded else
                                  (lambda *leaves: np.stack(leaves)), *samples)

    def __iter__(self):
        for i in range(len(self)):
            yield self[i]


def _pad_and_stack(*leaves):
    """Arrays zero-padded at the end of each axis to the largest, stacked."""
    leaves = [np.asarray(leaf) for leaf in leaves]
    if leaves[0].ndim == 0:
        return np.stack(leaves)
    shape = np.max([leaf.shape for leaf in leaves], axis=0)
    return np.stack([np.pad(leaf, [(0, int(n) - d) for n, d in zip(shape, leaf.shape)])
                     for leaf in leaves])
