"""Symbolic calls of the quantization functions: called on KerasTensors
(`keras.Input`), a function becomes a node of the functional graph, as
Keras's quantizers are; on tensors it runs as it is."""
import functools

from kerasx import tree
from kerasx.engine.keras_tensor import KerasTensor


def symbolic_aware(fn):
    """`fn`, made to add a graph node when any argument is a KerasTensor."""

    @functools.wraps(fn)
    def wrapper(*args, **kwargs):
        leaves = tree.flatten((args, kwargs))
        if any(isinstance(v, KerasTensor) for v in leaves):
            from kerasx.layers.core.op_layer import symbolic_call
            return symbolic_call(fn.__name__, fn, args, kwargs)
        return fn(*args, **kwargs)

    return wrapper
