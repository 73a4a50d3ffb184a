"""keras.Function: a graph of operations between symbolic inputs and
outputs, callable on tensors, without a Model's training machinery."""
from kerasx.ops.operation import Operation


class Function(Operation):
    """The computation from `inputs` to `outputs` (KerasTensors connected by
    layer and op calls), as keras.Function: calling it runs the graph on
    tensors, or adds it to another graph when called on symbolic tensors.

    Args:
        inputs: the symbolic inputs (a tensor, a list or a dict of them).
        outputs: the symbolic outputs computed from them.
        name: the function's name.

    Raises:
        ValueError: the outputs are not computed from the inputs.
    """

    def __init__(self, inputs, outputs, name=None):
        super().__init__(name=name)
        from kerasx.models.functional import Functional

        # The functional graph runner, used for its graph only.
        self._graph = Functional(inputs, outputs, name=self.name)

    @property
    def operations(self):
        """The graph's operations (layers and op nodes), in execution order."""
        return list(self._graph.layers)

    @property
    def inputs(self):
        """The symbolic inputs, in the structure they were given."""
        return self._graph._inputs_struct

    @property
    def outputs(self):
        """The symbolic outputs, in the structure they were given."""
        return self._graph._outputs_struct

    def call(self, inputs):
        """The outputs for concrete `inputs` (structured as the inputs)."""
        return self._graph(inputs)
