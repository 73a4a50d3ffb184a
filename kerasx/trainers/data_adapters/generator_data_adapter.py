"""Batches pulled from a Python generator or any other iterator."""
from kerasx.trainers.data_adapters.data_adapter import DataAdapter


def is_generator_or_iterator(x):
    """True for generators and iterators (objects with __next__ and __iter__)."""
    return hasattr(x, "__next__") and hasattr(x, "__iter__")


class GeneratorDataAdapter(DataAdapter):
    """Reads batches `x`, `(x,)`, `(x, y)` or `(x, y, sample_weight)` (each
    part an array, a tensor or a nest of them) from a generator.

    A generator cannot be restarted: without `steps` the first epoch reads it
    to the end and training stops there; with `steps`, epochs continue where
    the previous one stopped, and training stops when it runs out.
    """

    restartable = False
    input_kind = "generator"

    def __init__(self, generator, steps=None, class_weight=None):
        super().__init__(steps=steps, class_weight=class_weight)
        self._generator = iter(generator)

    def _new_pass(self):
        return self._generator
