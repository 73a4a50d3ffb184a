"""Batches from a kerasx.utils.PyDataset, fetched ahead by threads or
processes when the dataset asks for workers (as Keras 3)."""
import collections
import itertools
import multiprocessing
import warnings
from concurrent import futures

from kerasx.random.seed_generator import global_seed_generator
from kerasx.trainers.data_adapters.data_adapter import DataAdapter

# The dataset of a worker process (sent once per pass: on_epoch_end may
# have changed it, e.g. reshuffled its index).
_WORKER_DATASET = None


def _init_worker(dataset):
    global _WORKER_DATASET
    _WORKER_DATASET = dataset


def _fetch_in_worker(index):
    return _WORKER_DATASET[index]


class PyDatasetAdapter(DataAdapter):
    """Reads `dataset[i]` for i in order (or a shuffled order per pass when
    `shuffle` and the dataset is finite). With `workers > 1`, or
    `use_multiprocessing` and `workers > 0`, up to `max_queue_size` batches are
    fetched ahead in a thread pool (or a process pool) and still yielded in
    order, so the results do not depend on the number of workers.
    """

    input_kind = "PyDataset"

    def __init__(self, dataset, shuffle=False, steps=None, class_weight=None,
                 steps_name="steps_per_epoch"):
        super().__init__(steps=steps, class_weight=class_weight)
        if dataset.num_batches is None and steps is None:
            raise ValueError(f"The PyDataset is infinite (num_batches is None): pass "
                             f"`{steps_name}` to say how many batches make an epoch.")
        self.dataset = dataset
        self.shuffle = shuffle
        self.workers = dataset.workers
        self.use_multiprocessing = dataset.use_multiprocessing
        self.max_queue_size = max(1, dataset.max_queue_size or 1)
        if self.num_batches is None and shuffle:
            warnings.warn("`shuffle=True` was passed, but will be ignored since the data "
                          "`x` was provided as an infinite PyDataset. The PyDataset is "
                          "expected to already be shuffled.", stacklevel=4)

    @property
    def num_batches(self):
        return self.dataset.num_batches

    @property
    def parallel(self):
        return self.workers > 1 or (self.workers > 0 and self.use_multiprocessing)

    def _indices(self):
        n = self.num_batches
        if n is None:
            return itertools.count()
        if self.shuffle:
            return iter(global_seed_generator().generator.permutation(n).tolist())
        return iter(range(n))

    def _new_pass(self):
        indices = self._indices()
        if not self.parallel:
            return (self.dataset[i] for i in indices)
        return self._parallel_pass(indices)

    def _parallel_pass(self, indices):
        if self.use_multiprocessing:
            context = multiprocessing.get_context()
            executor = futures.ProcessPoolExecutor(
                self.workers, mp_context=context, initializer=_init_worker,
                initargs=(self.dataset,))
            fetch = _fetch_in_worker
        else:
            executor = futures.ThreadPoolExecutor(self.workers,
                                                  thread_name_prefix="kerasx-pydataset")
            fetch = self.dataset.__getitem__
        pending = collections.deque()
        ahead = max(self.max_queue_size, self.workers)
        try:
            for index in itertools.islice(indices, ahead):
                pending.append(executor.submit(fetch, index))
            while pending:
                batch = pending.popleft().result()
                for index in itertools.islice(indices, 1):
                    pending.append(executor.submit(fetch, index))
                yield batch
        finally:
            for f in pending:
                f.cancel()
            executor.shutdown(wait=True, cancel_futures=True)

    def on_epoch_begin(self):
        self.dataset.on_epoch_begin()

    def on_epoch_end(self):
        self.dataset.on_epoch_end()
