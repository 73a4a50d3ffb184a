"""Batches from a tf.data.Dataset, on every backend (as Keras 3), without
importing TensorFlow: the dataset is recognised by its class and read with
its own iterator; each batch's tensors become NumPy arrays unless TensorFlow
is the selected backend (then they are kept as they are)."""
from kerasx.trainers.data_adapters.data_adapter import DataAdapter

_DATASET_CLASSES = ("DatasetV2", "DistributedDataset", "DistributedDatasetsFromFunction")

# tf.data's cardinality codes.
_INFINITE, _UNKNOWN = -1, -2


def is_tf_dataset(x):
    """True for a tf.data.Dataset (any subclass), found through the class
    hierarchy's names and modules."""
    return any(cls.__name__ in _DATASET_CLASSES and
               str(getattr(cls, "__module__", "")).startswith("tensorflow.")
               for cls in type(x).__mro__)


class TFDatasetAdapter(DataAdapter):
    """Reads a (batched) tf.data.Dataset: one pass per epoch, or `steps`
    batches per epoch continuing across epochs (infinite datasets, `repeat()`).

    Raises:
        ValueError: for an infinite dataset without `steps`.
    """

    input_kind = "tf.data.Dataset"

    def __init__(self, dataset, steps=None, class_weight=None, steps_name="steps_per_epoch"):
        super().__init__(steps=steps, class_weight=class_weight)
        self.dataset = dataset
        cardinality = int(dataset.cardinality())
        self._num_batches = cardinality if cardinality >= 0 else None
        if cardinality == _INFINITE and steps is None:
            raise ValueError(f"The tf.data.Dataset is infinite (built with repeat()): pass "
                             f"`{steps_name}` to say how many batches make an epoch.")

    @property
    def num_batches(self):
        return self._num_batches

    def _new_pass(self):
        return iter(self.dataset)
