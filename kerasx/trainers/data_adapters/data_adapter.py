"""DataAdapter: the base class of the adapters, and the epoch logic they share.

An adapter turns one kind of input into batches `(x, y, sample_weight)` whose
leaves are NumPy arrays or tensors of the selected backend. The epoch logic
follows Keras 3's:

- without `steps`, every epoch is one pass over the data (a generator, which
  cannot be restarted, ends training once it is exhausted);
- with `steps`, an epoch takes `steps` batches and the next epoch continues
  where it stopped; when a finite dataset ends inside an epoch, a warning
  says so, the epoch ends early and the next one starts a new pass; when a
  generator ends, training stops after the epoch.
"""
import warnings

from kerasx import tree
from kerasx.trainers.data_adapters import data_adapter_utils

_RAN_OUT = ("Your input ran out of data; interrupting {what}. Make sure that your dataset "
            "or generator can generate at least `steps_per_epoch * epochs` batches. You "
            "may need to use the `.repeat()` function when building your dataset.")


class DataAdapter:
    """Base class: subclasses implement `_new_pass()` (an iterator over one
    pass of raw batches) and `num_batches` (batches per pass, or None when
    unknown or infinite); they may override `_standardize(raw)`.

    Args:
        steps: batches per epoch, or None for one pass.
        class_weight: {class: weight}, turned into per-batch sample weights.
    """

    restartable = True  # False for generators: one pass for the whole fit
    input_kind = "data"

    def __init__(self, steps=None, class_weight=None):
        self.steps = steps
        self.class_weight = class_weight
        self.exhausted = False
        self._iterator = None
        self._seen = 0

    @property
    def num_batches(self):
        return None

    def _new_pass(self):
        raise NotImplementedError

    def _standardize(self, raw):
        """(x, y, sample_weight) from what the data yields."""
        batch = data_adapter_utils.unpack_x_y_sample_weight(raw)
        return data_adapter_utils.batch_to_arrays(batch)

    def steps_per_epoch(self):
        """Batches per epoch (None when unknown: progress bars show no total)."""
        return self.steps if self.steps is not None else self.num_batches

    def batches(self):
        """One epoch of (x, y, sample_weight) batches."""
        if self.exhausted:
            return
        if self.steps is None:
            self._close_iterator()
            self._iterator = iterator = self._new_pass()
            for raw in iterator:
                yield self._with_class_weight(self._standardize(raw))
            self._iterator = None
            if not self.restartable:
                self.exhausted = True
            return
        for _ in range(self.steps):
            if self._iterator is None:
                self._iterator, self._seen = self._new_pass(), 0
            if self.num_batches is not None and self._seen >= self.num_batches:
                self._ran_out()
                break
            try:
                raw = next(self._iterator)
            except StopIteration:
                self._ran_out()
                break
            self._seen += 1
            yield self._with_class_weight(self._standardize(raw))
        if self.num_batches is not None and self._seen >= self.num_batches:
            self._close_iterator()

    def _ran_out(self):
        warnings.warn(_RAN_OUT.format(what="training" if not self.restartable
                                      else "this epoch"), stacklevel=4)
        self._close_iterator()
        if not self.restartable:
            self.exhausted = True

    def _close_iterator(self):
        close = getattr(self._iterator, "close", None)
        if close is not None and self.restartable:
            close()
        self._iterator = None

    def _with_class_weight(self, batch):
        leaves = [leaf for leaf in tree.flatten(batch[0]) if leaf is not None]
        if not leaves or data_adapter_utils.num_rows(leaves[0]) == 0:
            raise ValueError(f"A batch from the {self.input_kind} has 0 samples (x: "
                             f"{type(batch[0]).__name__}); every batch needs at least one.")
        if self.class_weight is None:
            return batch
        x, y, sample_weight = batch
        if sample_weight is not None:
            raise ValueError("You cannot specify `class_weight` and `sample_weight` at the "
                             "same time: the data already yields sample weights.")
        if y is None:
            raise ValueError("`class_weight` needs targets, but the data yields no `y`.")
        return x, y, data_adapter_utils.class_weight_to_sample_weight(y, self.class_weight)

    def on_epoch_begin(self):
        """Called by the training loop before each epoch."""

    def on_epoch_end(self):
        """Called by the training loop after each epoch."""

    def close(self):
        """Release what the adapter holds (worker pools, open iterators)."""
        self._close_iterator()
