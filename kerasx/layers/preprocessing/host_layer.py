"""HostLayer: the base of the preprocessing layers that work on the host
with NumPy (lookups, hashing, text), and the shared encoding helpers.

Strings have no tensor type on PyTorch or MXNet, and vocabulary lookups are
table operations no backend contract needs, so these layers take NumPy
arrays, Python lists or eager tensors, compute on the host (exactly, with
the same result on every backend) and return a backend tensor. Keras 3 does
the same work with TensorFlow ops on the CPU.

Not supported: calling them inside `tf.data.Dataset.map` or inside a step
that TensorFlow compiles (both trace the function, and these layers read
values on the host); apply them to NumPy data or batches, in a PyDataset, or
compile the model with run_eagerly=True. PyTorch and MXNet models holding
them run as they are (their compiled steps fall back to eager Python).
"""
import numpy as np

from kerasx.backend import get_ops
from kerasx.engine.keras_tensor import is_symbolic
from kerasx.layers.layer import Layer
from kerasx.layers.preprocessing.encoding import encoded_shape  # noqa: F401 (re-export)

ENCODING_MODES = ("int", "one_hot", "multi_hot", "count")


def _decode(value, encoding="utf-8"):
    return value.decode(encoding) if isinstance(value, bytes) else value


def to_host(inputs, encoding="utf-8", layer=None):
    """A NumPy array of `inputs` (an array, list, scalar or eager tensor);
    byte strings become str.

    A tensor whose values cannot be read (a symbolic tensor of a step the
    framework is compiling) raises the framework's error, unchanged (a
    plugin may catch it to run the step eagerly), with a note saying what
    to do.
    """
    ops = get_ops()
    if ops.is_tensor(inputs):
        try:
            inputs = ops.to_numpy(inputs)
        except Exception as exc:  # each framework raises its own type here
            name = type(layer).__name__ if layer is not None else "This layer"
            exc.add_note(f"{name} computes on the host and cannot read the values of a "
                         "tensor inside a compiled step. Compile the model with "
                         "run_eagerly=True, or apply the layer to the data before the "
                         "model (to NumPy batches or in a PyDataset).")
            raise
    elif hasattr(inputs, "numpy") and not isinstance(inputs, np.ndarray):
        inputs = inputs.numpy()  # a tensor of another framework (tf.data batches)
    array = np.asarray(inputs)
    if array.dtype.kind == "S" or (array.dtype == object and array.size and any(
            isinstance(v, bytes) for v in array.flat)):
        array = np.vectorize(lambda v: _decode(v, encoding), otypes=[object])(array)
    if array.dtype == object:
        flat = list(array.flat)
        if flat and all(isinstance(v, str) for v in flat):
            array = array.astype(str)
    return array


def is_string_array(array):
    """True for a NumPy array of str."""
    return array.dtype.kind == "U" or (array.dtype == object and array.size > 0
                                       and isinstance(next(iter(array.flat)), str))


def encode(indices, output_mode, depth, dtype, count_weights=None):
    """`indices` (an int NumPy array) encoded as Keras's preprocessing layers
    encode: "int" as is; "one_hot" adds an axis of size `depth` (a trailing
    axis of size 1 is replaced); "multi_hot" and "count" reduce the last axis
    to `depth` bins (a rank-1 input is one sample). Indices outside
    [0, depth) give no bin (as TensorFlow's one_hot/bincount).

    Raises:
        ValueError: for an input of rank above 2 in a non-"int" mode.
    """
    indices = np.asarray(indices)
    if output_mode == "int":
        return indices.astype(dtype)
    if indices.ndim == 0:
        indices = indices[None]
    if indices.ndim > 2:
        raise ValueError("When output_mode is not `'int'`, maximum supported output "
                         f"rank is 2. Received output_mode {output_mode} and input "
                         f"shape {indices.shape}, which would result in output rank "
                         f"{indices.ndim}.")
    valid = (indices >= 0) & (indices < depth)
    if output_mode == "one_hot":
        if indices.ndim == 2 and indices.shape[-1] == 1:
            indices, valid = indices[:, 0], valid[:, 0]
        out = (indices[..., None] == np.arange(depth)) & valid[..., None]
        return out.astype(dtype)
    rows = indices.reshape(-1, indices.shape[-1]) if indices.ndim == 2 else indices[None]
    row_valid = valid.reshape(rows.shape)
    out = np.zeros((rows.shape[0], depth), dtype="float64")
    weights = np.ones(rows.shape) if count_weights is None else \
        np.asarray(count_weights, dtype="float64").reshape(rows.shape)
    row_ids = np.broadcast_to(np.arange(rows.shape[0])[:, None], rows.shape)
    np.add.at(out, (row_ids[row_valid], rows[row_valid]), weights[row_valid])
    if output_mode == "multi_hot":
        out = (out > 0).astype("float64")
    elif output_mode != "count":
        raise ValueError(f"Unknown output_mode {output_mode!r}.")
    if indices.ndim == 1:
        out = out[0]
    return out.astype(dtype)


def listify(value):
    """Arrays and tensors as (nested) lists, for configs."""
    if value is None:
        return None
    ops = get_ops()
    if ops.is_tensor(value):
        value = ops.to_numpy(value)
    if isinstance(value, np.ndarray):
        return value.tolist()
    if isinstance(value, tuple):
        return list(value)
    return value


class HostLayer(Layer):
    """A layer whose `call` receives a NumPy array (strings decoded) and
    returns a backend tensor or a NumPy array of strings. Symbolic calls
    (the functional API) use `compute_output_shape` and `output_dtype`."""

    #: The dtype of the output tensor (a subclass sets it per mode).
    output_dtype = "int64"

    def __call__(self, *args, **kwargs):
        if is_symbolic(args) or is_symbolic(kwargs):
            return super().__call__(*args, **kwargs)
        args = list(args)
        if args:
            args[0] = to_host(args[0], getattr(self, "encoding", "utf-8"), self)
            first = args[0]
        else:
            kwargs["inputs"] = first = to_host(kwargs["inputs"],
                                               getattr(self, "encoding", "utf-8"), self)
        kwargs.pop("training", None)
        kwargs.pop("mask", None)
        if not self.built:
            self.build(first.shape)
            self.built = True
        return self.call(*args, **kwargs)

    def compute_output_spec(self, *args, **kwargs):
        from kerasx.engine.keras_tensor import KerasTensor
        first = args[0] if args else kwargs["inputs"]
        return KerasTensor(self.compute_output_shape(first.shape), self.output_dtype)

    def to_tensor(self, array, dtype=None):
        """`array` as a backend tensor of `dtype` (default `output_dtype`)."""
        return get_ops().convert_to_tensor(np.asarray(array), dtype=dtype or
                                           self.output_dtype)
