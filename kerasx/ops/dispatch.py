"""kerasx.ops functions generated from the contract's declared roles, with
their argument conversion and dtype promotion."""
import functools
import inspect

import numpy as np

from kerasx.backend import get_ops
from kerasx.backend.contract import Backend, contract_roles
from kerasx.engine.keras_tensor import KerasTensor

_RANK = {"bool": 0, "uint8": 1, "int8": 2, "int32": 3, "int64": 4, "float16": 5,
         "float32": 6, "float64": 7}


def result_type(*dtypes):
    """The dtype two or more operands are promoted to (bool < int < float;
    within a kind, the wider). int8 with uint8 gives int32 (Keras: int16,
    which kerasx's dtypes do not have)."""
    widest = max(dtypes, key=_RANK.__getitem__)
    if widest in ("int8", "uint8") and "int8" in dtypes and "uint8" in dtypes:
        return "int32"
    return widest


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


def _promote(args, kwargs, keywords):
    """Cast the tensor operands (positional, and keyword in `keywords`) to
    one dtype when they differ."""
    ops = get_ops()
    operands = args + [kwargs[k] for k in kwargs if k in keywords]
    dtypes = {ops.dtype(a) for a in operands if ops.is_tensor(a)}
    if len(dtypes) < 2:
        return args, kwargs
    target = result_type(*dtypes)

    def cast(a):
        return ops.cast(a, target) if ops.is_tensor(a) and ops.dtype(a) != target else a

    return ([cast(a) for a in args],
            {k: cast(v) if k in keywords else v for k, v in kwargs.items()})


def _make(name, role):
    """The kerasx.ops function of contract op `name`: converts the arguments
    its role declares as tensors (by position and keyword, worked out here
    once), promotes them if declared, and calls the backend."""
    contract_fn = getattr(Backend, name)
    params = list(inspect.signature(contract_fn).parameters)[1:]
    positions = tuple(i for i, p in enumerate(params) if p in role.tensors)
    keywords = frozenset(role.tensors)
    promote = role.promote

    def op(*args, **kwargs):
        if _any_symbolic(args, kwargs):
            return _symbolic(name, op, args, kwargs)
        args = list(args)
        count = len(args)
        for i in positions:
            if i < count:
                args[i] = _convert(args[i])
        for key in kwargs:
            if key in keywords:
                kwargs[key] = _convert(kwargs[key])
        if promote:
            args, kwargs = _promote(args, kwargs, keywords)
        return getattr(get_ops(), name)(*args, **kwargs)

    functools.update_wrapper(op, contract_fn)
    op.__qualname__ = name
    return op


def _holds_symbolic(value):
    return isinstance(value, KerasTensor) or (
        isinstance(value, (list, tuple)) and any(isinstance(v, KerasTensor) for v in value))


def _any_symbolic(args, kwargs):
    """Whether a call's arguments (or the lists among them) hold a KerasTensor:
    an op called while a functional model is built."""
    return (any(_holds_symbolic(a) for a in args)
            or any(_holds_symbolic(v) for v in kwargs.values()))


def _symbolic(name, fn, args, kwargs):
    from kerasx.layers.core.op_layer import symbolic_call

    return symbolic_call(name, fn, args, kwargs)


def symbolic_aware(name, fn):
    """`fn` (a kerasx.ops function written by hand) that, called on symbolic
    tensors, adds itself to the functional graph as the generated ones do."""
    @functools.wraps(fn)
    def op(*args, **kwargs):
        if _any_symbolic(args, kwargs):
            return _symbolic(name, op, args, kwargs)
        return fn(*args, **kwargs)

    return op


def _passthrough(name):
    def op(*args, **kwargs):
        return getattr(get_ops(), name)(*args, **kwargs)

    functools.update_wrapper(op, getattr(Backend, name))
    op.__qualname__ = name
    return op


def public_ops(submodule=""):
    """Map name -> OpRole of the contract operations that are Keras 3
    `keras.ops` functions (declared `public`), in declaration order: those
    at the top of `keras.ops`, or of its `submodule` ("image")."""
    return {name: role for name, role in contract_roles().items()
            if role.kind != "hook" and role.public and role.namespace == submodule}


def define_public_ops(namespace, submodule=""):
    """Fill `namespace` with one function per public contract operation of
    `submodule` not yet there (kerasx.ops.defaults defines those whose Keras
    defaults differ)."""
    for name, role in public_ops(submodule).items():
        if name not in namespace:
            namespace[name] = _make(name, role) if role.tensors else _passthrough(name)
