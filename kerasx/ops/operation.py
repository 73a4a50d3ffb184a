"""keras.Operation: the base class of a custom operation that runs on
tensors and, while a functional model is built, on symbolic tensors."""
from kerasx.engine.keras_tensor import is_symbolic


class Operation:
    """A custom operation, as keras.Operation: subclasses implement
    `call(*args, **kwargs)`; calling the operation on tensors runs `call`,
    and calling it on symbolic tensors (`keras.Input`) adds it to the
    functional graph. The output's shape and dtype come from
    `compute_output_spec` when the subclass defines it (returning
    KerasTensors), else from one run of `call` on zeros.

    Args:
        name: the operation's name (default: from the class name).
    """

    def __init__(self, name=None):
        from kerasx.backend import naming
        from kerasx.saving.registry import snake_case

        self.name = name or naming.uniquify(snake_case(type(self).__name__))

    def __call__(self, *args, **kwargs):
        if is_symbolic(args) or is_symbolic(kwargs):
            return self.symbolic_call(*args, **kwargs)
        return self.call(*args, **kwargs)

    def symbolic_call(self, *args, **kwargs):
        """The symbolic output of a call on KerasTensors (a graph node)."""
        from kerasx.layers.core.op_layer import symbolic_call

        own_spec = type(self).compute_output_spec is not Operation.compute_output_spec
        return symbolic_call(type(self).__name__, self.call, args, kwargs, name=self.name,
                             spec=self.compute_output_spec if own_spec else None)

    def call(self, *args, **kwargs):
        """The computation on tensors.

        Raises:
            NotImplementedError: the subclass does not implement it.
        """
        raise NotImplementedError(f"{type(self).__name__} must implement call().")

    def compute_output_spec(self, *args, **kwargs):
        """KerasTensors describing the output for symbolic arguments (the
        default runs `call` on zeros)."""
        from kerasx.layers.core.op_layer import symbolic_call

        return symbolic_call(type(self).__name__, self.call, args, kwargs)

    def get_config(self):
        return {"name": self.name}

    @classmethod
    def from_config(cls, config):
        return cls(**config)
