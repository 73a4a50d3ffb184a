"""get_source_inputs: the Input tensors a symbolic tensor was computed from."""
from kerasx import tree
from kerasx.engine.keras_tensor import KerasTensor


def get_source_inputs(tensor):
    """The list of input KerasTensors (from `keras.Input`) that `tensor`
    depends on, as keras.utils.get_source_inputs. A tensor that no layer
    produced is its own source.

    Raises:
        ValueError: for a value that is not a symbolic KerasTensor.
    """
    if not isinstance(tensor, KerasTensor):
        raise ValueError("get_source_inputs expects a symbolic KerasTensor (from "
                         f"keras.Input or a layer called on one); received {tensor!r}.")
    if tensor.history is None:
        return [tensor]
    layer, node_index = tensor.history[0], tensor.history[1]
    node = layer._inbound_nodes[node_index]
    if node.is_input:
        return list(tree.flatten(node.output_tensors))
    sources = []
    for parent in node.input_tensors:
        for source in get_source_inputs(parent):
            if not any(source is seen for seen in sources):
                sources.append(source)
    return sources
