"""OpLayer: a `keras.ops` function (or a `keras.Operation`) applied to
symbolic tensors while a functional model is built, as a node of the graph.

`keras.ops.expand_dims(inputs, -1)` on a `keras.Input` returns a KerasTensor
in Keras 3; in kerasx the call becomes an OpLayer holding the op's name and
its non-tensor arguments, called on the symbolic tensors it received. Its
output shape and dtype come from running the op once on zeros, as for any
layer without `compute_output_shape`.
"""
from kerasx import tree
from kerasx.engine.keras_tensor import KerasTensor
from kerasx.layers.layer import Layer

_SLOT = "__kerasx_tensor__"


def _template(args, kwargs):
    """(the KerasTensors in args/kwargs, in order; args and kwargs with each
    replaced by a numbered slot)."""
    tensors = []

    def slot(value):
        if isinstance(value, KerasTensor):
            tensors.append(value)
            return {_SLOT: len(tensors) - 1}
        return value

    return tensors, tree.map_structure(slot, [list(args), dict(kwargs)])


def _fill(template, tensors):
    """(args, kwargs) of the template with its slots filled by `tensors`."""
    args, kwargs = tree.traverse(
        lambda v: tensors[v[_SLOT]] if isinstance(v, dict) and _SLOT in v else None,
        template, top_down=True)
    return args, kwargs


class OpLayer(Layer):
    """Applies the kerasx.ops function `op` (its name) to the symbolic tensors
    of one call, with the call's other arguments kept in `arguments`.

    Args:
        op: the name of a `kerasx.ops` function ("expand_dims"), or the
            function (an Operation's `call`) when `fn` is given.
        arguments: [args, kwargs] of the call, each tensor replaced by a slot.
        fn: the callable itself, for an Operation (not saved by name).
        spec: for an Operation with its own `compute_output_spec`, that method
            (called with the call's arguments, KerasTensors for tensors).

    Raises:
        ValueError: `op` is not a kerasx.ops function.
    """

    def __init__(self, op, arguments, fn=None, spec=None, **kwargs):
        if "name" not in kwargs or kwargs["name"] is None:
            from kerasx.backend import naming
            kwargs["name"] = naming.uniquify(op)
        super().__init__(**kwargs)
        if fn is None:
            from kerasx import ops
            fn = getattr(ops, op, None)
            if fn is None or not callable(fn):
                raise ValueError(f"OpLayer: {op!r} is not a kerasx.ops function.")
        self.op, self.arguments, self.fn, self.spec = op, arguments, fn, spec
        self.built = True

    def call(self, inputs):
        args, kwargs = _fill(self.arguments, list(inputs))
        return self.fn(*args, **kwargs)

    def compute_output_spec(self, inputs):
        if self.spec is None:
            return super().compute_output_spec(inputs)
        args, kwargs = _fill(self.arguments, list(inputs))
        return self.spec(*args, **kwargs)

    def get_config(self):
        return {**super().get_config(), "op": self.op, "arguments": self.arguments}


def symbolic_call(op, fn, args, kwargs, name=None, spec=None):
    """`fn(*args, **kwargs)` where some arguments are KerasTensors: an
    OpLayer called on them (a node of the functional graph)."""
    tensors, template = _template(args, kwargs)
    return OpLayer(op, template, fn=fn, spec=spec, name=name)(tensors)
