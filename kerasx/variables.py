"""The front end's variable: a thin object around the backend's native one
(DESIGN.md rule 3)."""

import numpy as np

from kerasx import config
from kerasx.backend import get_ops, native_types
from kerasx.backend.dtypes import standardize_dtype
from kerasx.backend.scopes import scoped_path
from kerasx.backend.state import STATE, setting
from kerasx.saving import load_guard


def writes_discarded():
    """Inside the block (in this thread), assignments to Variables are
    checked but not stored.

    A compiled step's first call runs the step once eagerly under this (and
    with the random generators' states restored afterwards) to learn which
    random draws it makes, without training twice.
    """
    return setting(writes_discarded=True)


def writes_enabled():
    """False inside `writes_discarded` (for code writing native variables
    directly, such as fused optimizer updates)."""
    return not STATE.writes_discarded


def writes_recorded():
    """True inside a StatelessScope (or a rematerialized call), where
    assignments are recorded by the scope: code writing native variables
    directly must then go through `Variable.assign` instead."""
    return STATE.stateless_scope is not None


class Variable:
    """A named, mutable tensor of a layer, optimizer or metric.

    Args:
        initializer: an initializer (callable taking shape and dtype), or an
            initial value (NumPy array, tensor or Python number).
        shape: needed when `initializer` is a callable.
        dtype: defaults to the value's dtype, or floatx for initializers.
        trainable: whether gradients update it.
        name: its name; `path` adds the owner's name ("dense/kernel").

    Raises:
        ValueError: when a callable initializer has no shape, or the value's
            shape differs from `shape`.
    """

    def __new__(cls, *args, **kwargs):
        # Under a backend with a variable_base (e.g. TensorFlow), the
        # variable is also of that class: the framework's own APIs accept it.
        return native_types.instantiate(cls, get_ops().variable_base())

    def __init__(self, initializer, shape=None, dtype=None, trainable=True, name=None,
                 constraint=None, regularizer=None):
        ops = get_ops()
        dtype = standardize_dtype(dtype)
        if not callable(initializer) and _in_user_stateless_scope():
            raise ValueError(_CREATED_IN_SCOPE)
        if callable(initializer):
            if shape is None:
                raise ValueError(f"Variable {name!r}: a callable initializer needs `shape`.")
            load_guard.check_variable(shape, dtype)  # no-op unless a file is loading
            value = initializer(tuple(shape), dtype=dtype or config.floatx())
        else:
            value = initializer
        if not ops.is_tensor(value):
            value = np.asarray(value)
        if dtype is None:
            # As Keras: float values take floatx; int and bool keep their dtype.
            value_dtype = ops.dtype(value) if ops.is_tensor(value) else value.dtype.name
            dtype = config.floatx() if value_dtype.startswith("float") else value_dtype
        native = ops.variable(value, dtype=dtype, trainable=trainable, name=name)
        if shape is not None and tuple(shape) != ops.shape(native):
            raise ValueError(f"Variable {name!r}: initial value has shape "
                             f"{ops.shape(native)}, expected {tuple(shape)}.")
        self._set_fields(native, name, trainable, constraint, regularizer)

    def _set_fields(self, native, name, trainable, constraint, regularizer):
        self._native = native
        self.name = name or "variable"
        self.path = scoped_path(self.name) if STATE.name_scope else self.name
        self.trainable = trainable
        self.constraint = constraint
        self.regularizer = regularizer

    @classmethod
    def from_native(cls, native, name=None, trainable=True):
        """A Variable sharing an existing native variable of the selected
        backend (e.g. a torch.nn.Module's parameter): writes through either
        are seen by both.

        Raises:
            TypeError: when `native` is not a tensor of the selected backend.
        """
        ops = get_ops()
        if not ops.is_tensor(native):
            raise TypeError(f"Variable.from_native expects a native variable of the "
                            f"'{ops.name}' backend, got {type(native).__name__}.")
        variable = cls.__new__(cls)
        variable._set_fields(native, name, trainable, None, None)
        return variable

    # -- reading ---------------------------------------------------------------
    @property
    def native(self):
        """The backend's own variable object."""
        return self._native

    #: Whether a layer computing in another float dtype (mixed precision)
    #: reads this variable cast to its compute dtype (Keras's `autocast`).
    autocast = True

    #: Whether an optimizer overwrites this variable with its gradient
    #: instead of updating it (float8 training's scales and amax histories,
    #: whose custom gradient is their next value), as in Keras.
    overwrite_with_gradient = False

    @property
    def value(self):
        """The current value, as a native tensor (differentiable); inside the
        call of a mixed-precision layer, a float variable is read in the
        layer's compute dtype (as Keras's AutocastScope)."""
        ops = get_ops()
        scope = STATE.stateless_scope
        value = None if scope is None else scope.get_current_value(self)
        if value is None:
            value = ops.variable_value(self._native)
        target = STATE.autocast_dtype
        if target is not None and self.autocast:
            dtype = ops.dtype(value)
            if dtype != target and dtype.startswith("float"):
                return ops.cast(value, target)
        return value

    @property
    def shape(self):
        return get_ops().shape(self._native)

    @property
    def dtype(self):
        return get_ops().dtype(get_ops().variable_value(self._native))

    @property
    def ndim(self):
        return len(self.shape)

    def numpy(self):
        """The current value as a NumPy array."""
        return get_ops().to_numpy(self.value)

    def __array__(self, dtype=None):
        out = np.asarray(self.numpy())  # an ndarray also for 0-d values (NumPy requires it)
        return out.astype(dtype) if dtype is not None else out

    def __float__(self):
        # `float(metric.result())` where a metric returns its Variable, as in Keras.
        return float(self.numpy())

    def __int__(self):
        return int(self.numpy())

    # -- writing ---------------------------------------------------------------
    def assign(self, value):
        """Set the value (same shape; cast to the variable's dtype).

        Raises:
            ValueError: when the shape differs.
        """
        ops = get_ops()
        if not ops.is_tensor(value):
            value = np.asarray(value)
        got = tuple(ops.shape(value)) if ops.is_tensor(value) else value.shape
        if got != self.shape:
            raise ValueError(f"Cannot assign a value of shape {got} to variable "
                             f"{self.path!r} of shape {self.shape}.")
        scope = STATE.stateless_scope
        if scope is not None:  # recorded, not applied (StatelessScope)
            scope.add_update((self, _as_tensor(value, self.dtype)))
        elif not STATE.writes_discarded:
            ops.assign(self._native, value)
        return self

    def assign_add(self, value):
        """Add `value` (cast to the variable's dtype) to the value."""
        if STATE.stateless_scope is not None:
            return self._record(get_ops().add, value)
        if not STATE.writes_discarded:
            get_ops().assign_add(self._native, _as_tensor(value, self.dtype))
        return self

    def assign_sub(self, value):
        """Subtract `value` (cast to the variable's dtype) from the value."""
        if STATE.stateless_scope is not None:
            return self._record(get_ops().subtract, value)
        if not STATE.writes_discarded:
            get_ops().assign_sub(self._native, _as_tensor(value, self.dtype))
        return self

    def _record(self, op, value):
        """Inside a StatelessScope: record `op(current value, value)`."""
        ops = get_ops()
        scope = STATE.stateless_scope
        current = scope.get_current_value(self)
        if current is None:
            current = ops.variable_value(self._native)
        scope.add_update((self, op(current, _as_tensor(value, self.dtype))))
        return self

    def __repr__(self):
        return (f"<Variable path={self.path}, shape={self.shape}, dtype={self.dtype}, "
                f"trainable={self.trainable}>")

    # -- arithmetic, so that user code can write `x * layer.w` ------------------
    def _binary(name, reflected=False):
        def method(self, other):
            from kerasx import ops as kops
            a, b = (other, self) if reflected else (self, other)
            return getattr(kops, name)(a, b)
        return method

    __add__, __radd__ = _binary("add"), _binary("add", True)
    __sub__, __rsub__ = _binary("subtract"), _binary("subtract", True)
    __mul__, __rmul__ = _binary("multiply"), _binary("multiply", True)
    __truediv__, __rtruediv__ = _binary("divide"), _binary("divide", True)
    __matmul__, __rmatmul__ = _binary("matmul"), _binary("matmul", True)
    __pow__ = _binary("power")
    del _binary

    def __neg__(self):
        return get_ops().negative(self.value)

    def __getitem__(self, index):
        return self.value[index]


_CREATED_IN_SCOPE = (
    "You are attempting to create a variable while in a stateless scope. This is "
    "disallowed. Make sure that all variables are created before you start using your "
    "layer/model objects.\n\nIn some cases, you might be seeing this error because you "
    "need to implement a `def build(self, input_shape)` method on your layer/model, "
    "which will create its variables.\n\nIn some other cases, you might be seeing this "
    "error because you are instantiating a `Variable` and assigning it to a layer "
    "without going through self.add_variable()/self.add_weight(). Always prefer using "
    "these methods (with a `shape` and `initializer` argument).")


def _in_user_stateless_scope():
    from kerasx.backend.stateless_scope import in_stateless_scope
    return in_stateless_scope()


def _as_tensor(value, dtype):
    ops = get_ops()
    if ops.is_tensor(value):
        return value if ops.dtype(value) == dtype else ops.cast(value, dtype)
    return ops.convert_to_tensor(np.asarray(value), dtype=dtype)
