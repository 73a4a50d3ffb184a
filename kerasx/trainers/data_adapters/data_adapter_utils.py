"""Helpers shared by the data adapters: unpacking batches, turning foreign
tensors into NumPy arrays, argument checks, class weights and the
validation split."""
import math
import numbers

import numpy as np

from kerasx.backend import get_ops
from kerasx import tree


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


def foreign_to_numpy(value):
    """`value` as a NumPy array, unless it is a tensor of the selected backend
    (kept as it is, a compiled step takes it directly).

    Tensors of the other frameworks are recognised by duck typing, so kerasx
    never imports them: torch (`detach`/`cpu`/`numpy`), MXNet (`asnumpy`),
    TensorFlow and JAX (`numpy` / `__array__`), pandas (`to_numpy`).

    Raises:
        ValueError: for non-numeric data (strings, objects, ragged lists).
    """
    if value is None:
        return None
    ops = get_ops()
    if ops.is_tensor(value):
        return value
    if isinstance(value, np.ndarray):
        arr = value
    elif hasattr(value, "detach") and hasattr(value, "cpu") and hasattr(value, "numpy"):
        arr = value.detach().cpu().numpy()
    elif hasattr(value, "asnumpy"):
        arr = value.asnumpy()
    elif hasattr(value, "numpy") and callable(value.numpy):
        arr = value.numpy()
    elif hasattr(value, "to_numpy"):
        arr = value.to_numpy()
    else:
        try:
            arr = np.asarray(value)
        except ValueError as e:  # ragged nested lists
            raise ValueError(f"Data of type {type(value).__name__} cannot be converted "
                             f"to a numeric array: {e}") from None
    arr = np.asarray(arr)
    if arr.dtype == object or arr.dtype.kind in "USV":
        raise ValueError(f"Data of dtype {arr.dtype} (from a {type(value).__name__}) "
                         "cannot be fed to a model; expected numeric arrays or tensors.")
    return arr


def to_host(value):
    """A NumPy array of `value`, whatever framework it comes from."""
    if value is None:
        return None
    ops = get_ops()
    if ops.is_tensor(value):
        return np.asarray(ops.to_numpy(value))
    return foreign_to_numpy(value)


def batch_to_arrays(batch):
    """(x, y, sample_weight) of one batch with every leaf converted by
    foreign_to_numpy."""
    return tuple(tree.map_structure(foreign_to_numpy, part) for part in batch)


def num_rows(value):
    """The batch dimension of an array or tensor."""
    ops = get_ops()
    shape = ops.shape(value) if ops.is_tensor(value) else np.shape(value)
    return int(shape[0]) if len(shape) else 1


def check_batch_size(batch_size):
    """None (Keras's default applies) or a positive int.

    Raises:
        ValueError: for zero, a negative number or a non-integer.
    """
    if batch_size is None:
        return None
    if isinstance(batch_size, bool) or not isinstance(batch_size, numbers.Integral) \
            or batch_size < 1:
        raise ValueError("`batch_size` must be a positive integer (or None for the default "
                         f"of 32), but received batch_size={batch_size!r}.")
    return int(batch_size)


def check_steps(steps, name):
    """None or a positive int, for steps_per_epoch / validation_steps / steps.

    Raises:
        ValueError: for zero, a negative number or a non-integer.
    """
    if steps is None:
        return None
    if isinstance(steps, bool) or not isinstance(steps, numbers.Integral) or steps < 1:
        raise ValueError(f"`{name}` must be a positive integer (or None to go through the "
                         f"data once per epoch), but received {name}={steps!r}.")
    return int(steps)


def check_validation_split(validation_split):
    """Raise ValueError unless 0 <= validation_split < 1."""
    if isinstance(validation_split, bool) or \
            not isinstance(validation_split, numbers.Real) or \
            not 0.0 <= float(validation_split) < 1.0:
        raise ValueError("`validation_split` must be a float in [0, 1): the fraction of "
                         "the training data set aside for validation. Received "
                         f"validation_split={validation_split!r}.")


def train_validation_split(arrays, validation_split):
    """Split arrays into (train, validation), the validation part being the
    last `validation_split` fraction, before any shuffling (as Keras).

    Raises:
        ValueError: for a split outside [0, 1), or one that leaves either part
            empty.
    """
    check_validation_split(validation_split)
    arrays = tree.map_structure(to_host, arrays)
    flat = [a for a in tree.flatten(arrays) if a is not None]
    n = flat[0].shape[0]
    split_at = int(math.floor(n * (1.0 - validation_split)))
    if split_at == 0 or split_at == n:
        raise ValueError(f"Training data contains {n} samples, which is not sufficient to "
                         "split it into a validation and training set as specified by "
                         f"`validation_split={validation_split}`. Either provide more data, "
                         "or a different value for the `validation_split` argument.")

    def part(lo, hi):
        return tree.map_structure(lambda a: None if a is None else a[lo:hi], arrays)

    return part(0, split_at), part(split_at, n)


def class_weight_to_sample_weight(y, class_weight):
    """Per-sample weights from a {class: weight} mapping and the targets, as
    Keras: the class is argmax of one-hot targets, else the rounded label;
    a class missing from the mapping weighs 1.

    Raises:
        ValueError: for several outputs, or a class_weight that is not a dict.
    """
    if not isinstance(class_weight, dict):
        raise ValueError("`class_weight` must be a dict mapping class indices to weights; "
                         f"received {type(class_weight).__name__}.")
    if isinstance(y, (list, tuple, dict)):
        if len(tree.flatten(y)) > 1:
            raise ValueError("`class_weight` is only supported for models with a single "
                             "output; use `sample_weight` (one array per output).")
        y = tree.flatten(y)[0]
    y = to_host(y)
    if y.ndim > 1 and y.shape[-1] > 1:
        classes = np.argmax(y, axis=-1)
    else:
        classes = np.round(y.reshape(y.shape[0], -1)[:, 0]).astype(int)
    table = {int(k): float(v) for k, v in class_weight.items()}
    return np.array([table.get(int(c), 1.0) for c in classes.reshape(-1)], dtype="float32")
