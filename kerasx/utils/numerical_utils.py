"""to_categorical and normalize, as keras.utils."""
import numpy as np


def _tensor_ops(x):
    """The backend ops when `x` is a native tensor or Variable, else None."""
    from kerasx.backend import get_ops
    from kerasx.variables import Variable

    ops = get_ops()
    return ops if isinstance(x, Variable) or ops.is_tensor(x) else None


def to_categorical(x, num_classes=None):
    """One-hot encode class indices, as keras.utils.to_categorical.

    Args:
        x: array-like of int class indices; a trailing axis of size 1 is
            dropped ((n, 1) gives (n, num_classes)).
        num_classes: number of classes; default `max(x) + 1`.

    Returns:
        A float64 NumPy array of shape `x.shape + (num_classes,)` (a float32
        tensor of the backend when `x` is a tensor).
    """
    ops = _tensor_ops(x)
    if ops is not None:
        from kerasx.ops.dispatch import convert_to_numpy

        result = to_categorical(convert_to_numpy(x), num_classes)
        return ops.convert_to_tensor(result.astype("float32"), dtype="float32")
    x = np.array(x, dtype="int64")
    shape = x.shape
    if len(shape) > 1 and shape[-1] == 1:
        shape = shape[:-1]
    x = x.reshape(-1)
    if not num_classes:
        num_classes = int(np.max(x)) + 1 if x.size else 0
    categorical = np.zeros((x.shape[0], num_classes))
    categorical[np.arange(x.shape[0]), x] = 1
    return categorical.reshape(tuple(shape) + (num_classes,))


def normalize(x, axis=-1, order=2):
    """Scale `x` to unit `order`-norm along `axis` (zero vectors are left
    unchanged), as keras.utils.normalize."""
    ops = _tensor_ops(x)
    if ops is not None:
        from kerasx.ops.dispatch import convert_to_numpy

        values = convert_to_numpy(x)
        result = normalize(values, axis=axis, order=order)
        return ops.convert_to_tensor(result, dtype=str(values.dtype))
    x = np.asarray(x)
    norm = np.atleast_1d(np.linalg.norm(x, order, axis))
    norm[norm == 0] = 1
    axis = axis or -1
    return x / np.expand_dims(norm, axis)
