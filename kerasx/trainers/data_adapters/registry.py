"""get_data_adapter: picks the adapter for what fit/evaluate/predict received.

Adapters are tried in registration order; each entry is a predicate on `x`
and a factory. Third parties add their own input types with
`register_data_adapter` (kerasx recognises the frameworks' pipelines by duck
typing and never imports them).
"""
import warnings

from kerasx.trainers.data_adapters import array_data_adapter, data_adapter_utils
from kerasx.trainers.data_adapters.array_data_adapter import ArrayDataAdapter
from kerasx.trainers.data_adapters.data_adapter import DataAdapter
from kerasx.trainers.data_adapters.generator_data_adapter import (
    GeneratorDataAdapter, is_generator_or_iterator)
from kerasx.trainers.data_adapters.py_dataset_adapter import PyDatasetAdapter
from kerasx.trainers.data_adapters.tf_dataset_adapter import TFDatasetAdapter, is_tf_dataset
from kerasx.trainers.data_adapters.torch_data_loader_adapter import (
    TorchDataLoaderAdapter, TorchDatasetAdapter, is_torch_data_loader, is_torch_dataset)

ACCEPTED = ("NumPy arrays or tensors (or lists, tuples and dicts of them), "
            "tf.data.Dataset, torch.utils.data.DataLoader or Dataset, "
            "keras.utils.PyDataset, and Python generators or iterators")


def _is_py_dataset(x):
    from kerasx.utils.py_dataset import PyDataset

    return isinstance(x, PyDataset)


def _self_contained(name, build):
    """A factory for inputs that carry their own targets and weights."""
    def factory(x, y, sample_weight, batch_size, shuffle, steps, class_weight, steps_name):
        for arg, value, what in (("y", y, "the targets"),
                                 ("sample_weight", sample_weight, "the sample weights")):
            if value is not None:
                raise ValueError(f"When providing `x` as a {name}, `{arg}` should not be "
                                 f"passed. Instead, {what} should be included as part of "
                                 f"the {name}.")
        return build(x, batch_size=batch_size, shuffle=shuffle, steps=steps,
                     class_weight=class_weight, steps_name=steps_name)
    return factory


def _ignore_shuffle(name, shuffle):
    if shuffle and shuffle != "batch":
        warnings.warn(f"`shuffle=True` was passed, but will be ignored since the data `x` "
                      f"was provided as a {name}, which is expected to be shuffled "
                      "already.", stacklevel=6)


def _tf(x, batch_size, shuffle, steps, class_weight, steps_name):
    _ignore_shuffle("tf.data.Dataset", shuffle)
    return TFDatasetAdapter(x, steps=steps, class_weight=class_weight, steps_name=steps_name)


def _loader(x, batch_size, shuffle, steps, class_weight, steps_name):
    _ignore_shuffle("torch DataLoader", shuffle)
    return TorchDataLoaderAdapter(x, steps=steps, class_weight=class_weight)


def _torch_dataset(x, batch_size, shuffle, steps, class_weight, steps_name):
    return TorchDatasetAdapter(x, batch_size=batch_size, shuffle=shuffle, steps=steps,
                               class_weight=class_weight)


def _py_dataset(x, batch_size, shuffle, steps, class_weight, steps_name):
    return PyDatasetAdapter(x, shuffle=shuffle, steps=steps, class_weight=class_weight,
                            steps_name=steps_name)


def _generator(x, batch_size, shuffle, steps, class_weight, steps_name):
    return GeneratorDataAdapter(x, steps=steps, class_weight=class_weight)


_REGISTRY = [
    (is_tf_dataset, _self_contained("tf.data.Dataset", _tf)),
    (is_torch_data_loader, _self_contained("torch DataLoader", _loader)),
    (is_torch_dataset, _self_contained("torch Dataset", _torch_dataset)),
    (_is_py_dataset, _self_contained("PyDataset", _py_dataset)),
    (is_generator_or_iterator, _self_contained("generator", _generator)),
]


def register_data_adapter(predicate, factory, first=True):
    """Accept a new kind of input in fit/evaluate/predict.

    Args:
        predicate: `predicate(x)` is True for the inputs the adapter reads.
        factory: `factory(x, y, sample_weight, batch_size, shuffle, steps,
            class_weight, steps_name)` returning a DataAdapter.
        first: try it before the built-in adapters.
    """
    entry = (predicate, factory)
    if first:
        _REGISTRY.insert(0, entry)
    else:
        _REGISTRY.append(entry)


def get_data_adapter(x, y=None, sample_weight=None, batch_size=None, shuffle=False,
                     steps=None, class_weight=None, steps_name="steps"):
    """The adapter for `x` (with its targets and weights when they are arrays).

    Raises:
        ValueError: for a type no adapter reads (the message names the type
            received and the types accepted), for `y` / `sample_weight`
            given with data that carries its own, for a batch_size or steps
            that is not a positive integer, and for empty data.
    """
    batch_size = data_adapter_utils.check_batch_size(batch_size)
    steps = data_adapter_utils.check_steps(steps, steps_name)
    steps = _capped_steps(steps)
    if isinstance(x, DataAdapter):
        return x
    for predicate, factory in _REGISTRY:
        if predicate(x):
            return factory(x, y, sample_weight, batch_size, shuffle, steps, class_weight,
                           steps_name)
    if array_data_adapter.can_convert_arrays((x, y, sample_weight)):
        return ArrayDataAdapter(x, y, sample_weight, batch_size=batch_size, shuffle=shuffle,
                                steps=steps, class_weight=class_weight)
    if x is None:
        raise ValueError(f"No data given: `x` is None. Pass {ACCEPTED}.")
    problem = array_data_adapter.describe_non_array(
        (("x", x), ("y", y), ("sample_weight", sample_weight)))
    raise ValueError(f"Unrecognized data type: x of type {type(x).__module__}."
                     f"{type(x).__qualname__}. " + (problem + " " if problem else "") +
                     f"Accepted: {ACCEPTED}.")


def _capped_steps(steps):
    """`steps`, at most config.max_steps_per_epoch() (a debugging cap of
    every fit, evaluate and predict loop, as Keras's EpochIterator)."""
    from kerasx import config
    cap = config.max_steps_per_epoch()
    if cap and (not steps or cap < steps):
        warnings.warn(f"Limiting steps_per_epoch to {cap}")
        return cap
    return steps
