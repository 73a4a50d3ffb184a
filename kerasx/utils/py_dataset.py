"""PyDataset: a Python-defined dataset of batches, as keras.utils.PyDataset."""
import itertools
import warnings


class PyDataset:
    """Base class for datasets of batches.

    Subclasses implement `__getitem__(index)`, returning a batch
    (`(x,)`, `(x, y)` or `(x, y, sample_weight)`), and `__len__` (the number of
    batches per epoch), or the `num_batches` property (None: infinite).
    `on_epoch_begin` / `on_epoch_end` are called by the trainer around each
    epoch (shuffle there).

    Args:
        workers: number of workers fetching batches in parallel (with 1, and
            no multiprocessing, batches are read in the training thread).
        use_multiprocessing: fetch in worker processes instead of threads
            (the dataset is sent to them at the start of each pass, so it
            must be picklable where processes are spawned rather than forked).
        max_queue_size: number of batches fetched ahead.

    Batches reach the model in index order whatever the number of workers
    (kerasx.trainers.data_adapters.py_dataset_adapter), so results do not
    depend on them.
    """

    def __init__(self, workers=1, use_multiprocessing=False, max_queue_size=10):
        self._workers = workers
        self._use_multiprocessing = use_multiprocessing
        self._max_queue_size = max_queue_size

    def _warn_if_super_not_called(self):
        missing = False
        for attr, default in (("_workers", 1), ("_use_multiprocessing", False),
                              ("_max_queue_size", 10)):
            if not hasattr(self, attr):
                setattr(self, attr, default)
                missing = True
        if missing:
            warnings.warn("Your `PyDataset` class should call `super().__init__(**kwargs)` "
                          "in its constructor. `**kwargs` can include `workers`, "
                          "`use_multiprocessing`, `max_queue_size`. Do not pass these "
                          "arguments to `fit()`, as they will be ignored.", stacklevel=3)

    @property
    def workers(self):
        self._warn_if_super_not_called()
        return self._workers

    @workers.setter
    def workers(self, value):
        self._workers = value

    @property
    def use_multiprocessing(self):
        self._warn_if_super_not_called()
        return self._use_multiprocessing

    @use_multiprocessing.setter
    def use_multiprocessing(self, value):
        self._use_multiprocessing = value

    @property
    def max_queue_size(self):
        self._warn_if_super_not_called()
        return self._max_queue_size

    @max_queue_size.setter
    def max_queue_size(self, value):
        self._max_queue_size = value

    def __getitem__(self, index):
        """The batch at position `index`."""
        raise NotImplementedError(f"{type(self).__name__} must implement __getitem__.")

    @property
    def num_batches(self):
        """Batches per epoch, or None for an infinite dataset."""
        if hasattr(self, "__len__"):
            return len(self)
        raise NotImplementedError(
            "You need to implement the `num_batches` property:\n\n"
            "@property\ndef num_batches(self):\n  return ...")

    def __iter__(self):
        try:
            count = self.num_batches
        except NotImplementedError:
            count = None
        indices = range(count) if count is not None else itertools.count()
        for index in indices:
            yield self[index]

    def on_epoch_begin(self):
        """Called at the beginning of every epoch."""

    def on_epoch_end(self):
        """Called at the end of every epoch."""


# Keras 2 name.
Sequence = PyDataset
