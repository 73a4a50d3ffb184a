"""Argument conversion and dtype promotion for kerasx.ops."""
import functools
import inspect

import numpy as np

from kerasx.backend import get_ops
from kerasx.backend.contract import Backend, contract_kernels, contract_ops

_RANK = {"bool": 0, "int32": 1, "int64": 2, "float16": 3, "float32": 4, "float64": 5}


def result_type(*dtypes):
    """The dtype two or more operands are promoted to (bool < int < float;
    within a kind, the wider)."""
    return max(dtypes, key=_RANK.__getitem__)


def convert_to_tensor(x, dtype=None):
    """`x` as a native tensor of the selected backend (Variables give their
    value; NumPy arrays keep their dtype; Python floats become float32)."""
    from kerasx.variables import Variable

    ops = get_ops()
    if isinstance(x, Variable):
        x = x.value
        return x if dtype is None else ops.cast(x, dtype)
    if ops.is_tensor(x):
        return x if dtype is None or ops.dtype(x) == dtype else ops.cast(x, dtype)
    return ops.convert_to_tensor(x, dtype=dtype)


def convert_to_numpy(x):
    """`x` (tensor, Variable, array or scalar) as a NumPy array."""
    ops = get_ops()
    if isinstance(x, np.ndarray):
        return x
    return ops.to_numpy(convert_to_tensor(x))


def _is_scalar(x):
    return isinstance(x, (int, float, bool)) and not isinstance(x, np.ndarray)


def _convert(x):
    if _is_scalar(x) or x is None:
        return x
    if isinstance(x, (list, tuple)) and x and not _is_scalar(x[0]):
        return [_convert(v) for v in x]
    return convert_to_tensor(x)


def _promote(args):
    """Cast tensor operands to one dtype when they differ."""
    ops = get_ops()
    tensors = [a for a in args if ops.is_tensor(a)]
    if len(tensors) < 2:
        return args
    dtypes = {ops.dtype(t) for t in tensors}
    if len(dtypes) == 1:
        return args
    target = result_type(*dtypes)
    return [ops.cast(a, target) if ops.is_tensor(a) and ops.dtype(a) != target else a
            for a in args]


# Operations whose first positional arguments are operands to promote together.
_PROMOTED = {"add", "subtract", "multiply", "divide", "power", "maximum", "minimum",
             "equal", "not_equal", "less", "less_equal", "greater", "greater_equal",
             "matmul"}
# Operations that take Python/shape arguments only, or are not array functions.
_RAW = {"zeros", "ones", "full", "arange", "variable", "variable_value", "assign",
        "assign_add", "assign_sub", "value_and_grad", "list_devices", "device_scope",
        "device", "shape", "dtype", "ndim", "is_tensor", "to_numpy", "convert_to_tensor"}


def _make(name):
    contract_fn = getattr(Backend, name)
    params = list(inspect.signature(contract_fn).parameters)[1:]
    tensor_params = [p for p in params if p not in (
        "axis", "axes", "keepdims", "dtype", "shape", "repeats", "pad_width", "k",
        "num_classes", "strides", "padding", "data_format", "dilation_rate",
        "pool_size", "output_padding", "start_indices", "indices_or_sections",
        "from_logits", "rate", "approximate", "alpha", "negative_slope", "sorted",
        "epsilon", "constant_values", "x_min", "x_max")]
    promote = name in _PROMOTED

    def op(*args, **kwargs):
        ops = get_ops()
        args = list(args)
        for i, value in enumerate(args):
            if i < len(params) and params[i] in tensor_params:
                args[i] = _convert(value)
        for key in kwargs:
            if key in tensor_params:
                kwargs[key] = _convert(kwargs[key])
        if promote:
            args = _promote(args)
        return getattr(ops, name)(*args, **kwargs)

    functools.update_wrapper(op, contract_fn)
    op.__qualname__ = name
    return op


def _passthrough(name):
    def op(*args, **kwargs):
        return getattr(get_ops(), name)(*args, **kwargs)

    functools.update_wrapper(op, getattr(Backend, name))
    op.__qualname__ = name
    return op


def _define_all(namespace):
    """Fill `namespace` with one function per contract operation not yet there
    (native kernels are internal: their public operations call them)."""
    kernels = contract_kernels()
    for name in contract_ops():
        if name in namespace or name in kernels:
            continue
        namespace[name] = _passthrough(name) if name in _RAW else _make(name)
