"""Node: one call of a layer on KerasTensors, an edge set of the graph."""
from kerasx import tree
from kerasx.engine.keras_tensor import KerasTensor


class Node:
    """Records `layer(*call_args, **call_kwargs) -> outputs` on symbolic tensors."""

    def __init__(self, layer, call_args=(), call_kwargs=None, outputs=None):
        self.layer = layer
        self.call_args = tuple(call_args)
        self.call_kwargs = dict(call_kwargs or {})
        self.outputs = outputs
        self.input_tensors = [t for t in tree.flatten([list(self.call_args),
                                                       self.call_kwargs])
                              if isinstance(t, KerasTensor)]
        self.output_tensors = tree.flatten(outputs)
        layer._inbound_nodes.append(self)

    @property
    def is_input(self):
        return not self.input_tensors

    @property
    def parent_nodes(self):
        return [t.history[0]._inbound_nodes[t.history[1]] for t in self.input_tensors]
