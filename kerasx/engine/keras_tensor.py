"""KerasTensor: a symbolic tensor (shape and dtype, no values) that records
which layer call produced it, so that Model(inputs, outputs) can replay the
graph."""
from kerasx import tree
from kerasx.backend.dtypes import standardize_dtype
from kerasx.saving import load_guard


class KerasTensor:
    """The symbolic output of Input() or of a layer called on KerasTensors.

    Attributes:
        shape: tuple with None for unknown dimensions (the batch).
        dtype: canonical dtype name.
        history: (layer, node_index, tensor_index) of the call that made it.
    """

    def __init__(self, shape, dtype="float32", name=None, history=None):
        self.shape = tuple(None if d is None else int(d) for d in shape)
        load_guard.check_tensor(self.shape)  # no-op unless a file is loading
        self.dtype = standardize_dtype(dtype)
        self.name = name
        self.history = history

    @property
    def ndim(self):
        return len(self.shape)

    def __repr__(self):
        return f"<KerasTensor shape={self.shape}, dtype={self.dtype}, name={self.name}>"

    def __array__(self, dtype=None):
        raise TypeError(
            "A symbolic KerasTensor has no values: it only describes the inputs of "
            "a functional model. Call the model on NumPy arrays or tensors instead.")

    def __bool__(self):
        raise TypeError("A symbolic KerasTensor cannot be used as a Python bool.")

    # Arithmetic on symbolic tensors becomes a layer call, as in Keras.
    def _op(name, reflected=False):
        def method(self, other):
            from kerasx.layers.core.lambda_layer import SymbolicOp
            return SymbolicOp(name, other, reflected)(self)
        return method

    __add__, __radd__ = _op("add"), _op("add", True)
    __sub__, __rsub__ = _op("subtract"), _op("subtract", True)
    __mul__, __rmul__ = _op("multiply"), _op("multiply", True)
    __truediv__, __rtruediv__ = _op("divide"), _op("divide", True)
    del _op


def is_symbolic(value):
    """True when `value` (or anything nested in it) is a KerasTensor."""
    if isinstance(value, KerasTensor):
        return True
    return any(isinstance(v, KerasTensor) for v in tree.flatten(value))
