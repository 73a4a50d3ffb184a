"""InputSpec: the rank and sizes a layer accepts, checked before each call."""
from kerasx.backend import get_ops
from kerasx import tree
from kerasx.engine.keras_tensor import KerasTensor


class InputSpec:
    """Constraints on a layer's input.

    Args:
        ndim: exact rank; min_ndim: smallest rank;
        axes: {axis: size} that must hold.
    """

    def __init__(self, ndim=None, min_ndim=None, max_ndim=None, axes=None, dtype=None):
        self.ndim, self.min_ndim, self.max_ndim = ndim, min_ndim, max_ndim
        self.axes = dict(axes or {})
        self.dtype = dtype


def _shape(x):
    if isinstance(x, KerasTensor):
        return x.shape
    return tuple(get_ops().shape(x))


def check_input_spec(layer, inputs):
    """Raise ValueError naming the layer, the expectation and the received
    shape when `inputs` violate `layer.input_spec`."""
    spec = layer.input_spec
    if spec is None or inputs is None:
        return
    specs = spec if isinstance(spec, (list, tuple)) else [spec]
    flat = tree.flatten(inputs)
    for index, (s, x) in enumerate(zip(specs, flat)):
        if s is None:
            continue
        shape = _shape(x)
        prefix = (f"Input {index} of layer \"{layer.name}\" is incompatible with the "
                  "layer: ")
        rank = len(shape)
        if s.ndim is not None and rank != s.ndim:
            raise ValueError(f"{prefix}expected ndim={s.ndim}, found ndim={rank}. "
                             f"Full shape received: {shape}")
        if s.min_ndim is not None and rank < s.min_ndim:
            raise ValueError(f"{prefix}expected min_ndim={s.min_ndim}, found ndim={rank}. "
                             f"Full shape received: {shape}")
        if s.max_ndim is not None and rank > s.max_ndim:
            raise ValueError(f"{prefix}expected max_ndim={s.max_ndim}, found ndim={rank}. "
                             f"Full shape received: {shape}")
        for axis, size in s.axes.items():
            if size is None:
                continue
            actual = shape[axis] if -rank <= axis < rank else None
            if actual is not None and actual != size:
                raise ValueError(
                    f"{prefix}expected axis {axis} of input shape to have value {size}, "
                    f"but received input with shape {shape}")
