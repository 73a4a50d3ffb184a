"""Functional models: a graph of layer calls from Input() tensors to outputs."""
import numpy as np

from kerasx.backend import get_ops
from kerasx import tree
from kerasx.engine.keras_tensor import KerasTensor
from kerasx.layers.core.input_layer import InputLayer
from kerasx.models.model import Model


def _history(tensor):
    return tensor.history if isinstance(tensor, KerasTensor) else None


def map_graph(inputs, outputs):
    """(nodes in execution order, layers in Keras's order) of the graph.

    Layers are ordered as Keras orders them (by depth from the outputs,
    deepest first, ties by first visit from the outputs), so that
    `model.weights` and `get_weights()` come in Keras's order.
    """
    input_ids = {id(t) for t in tree.flatten(inputs)}
    visited, in_progress, ordered, layer_index = set(), set(), [], {}

    def visit(tensor):
        history = _history(tensor)
        if history is None:
            raise ValueError(f"Model outputs must come from layers called on Input() "
                             f"tensors; {tensor!r} does not.")
        layer, node_index, _ = history
        node = layer._inbound_nodes[node_index]
        if id(node) in visited:
            return
        if id(node) in in_progress:
            raise ValueError(f"The graph has a cycle at layer {layer.name!r}.")
        layer_index.setdefault(id(layer), (len(layer_index), layer))
        in_progress.add(id(node))
        if not node.is_input and id(tensor) not in input_ids:
            for parent in node.input_tensors:
                visit(parent)
        in_progress.discard(id(node))
        visited.add(id(node))
        ordered.append(node)

    for out in tree.flatten(outputs):
        visit(out)

    node_depth, layer_depth = {}, {}
    for node in reversed(ordered):
        depth = max(node_depth.get(id(node), 0), layer_depth.get(id(node.layer), 0))
        layer_depth[id(node.layer)] = depth
        node_depth[id(node)] = depth
        for parent in node.parent_nodes:
            node_depth[id(parent)] = max(depth + 1, node_depth.get(id(parent), 0))
    layers = sorted((entry for entry in layer_index.values()),
                    key=lambda e: (-layer_depth[id(e[1])], e[0]))
    for t in tree.flatten(inputs):
        if not isinstance(_history(t)[0] if _history(t) else None, InputLayer):
            raise ValueError(f"Model inputs must be tensors made by keras.Input(); got {t!r}.")
    return ordered, [layer for _, layer in layers]


class Functional(Model):
    """A model defined by `Model(inputs, outputs)`.

    Raises:
        ValueError: when an output does not derive from the inputs, or an
            input is not an Input() tensor.
    """

    _keras_module = "keras.src.models.functional"  # as Keras 3 writes it in configs

    def __init__(self, inputs, outputs, name=None, trainable=True, **kwargs):
        super().__init__(name=name, trainable=trainable, **kwargs)
        self._inputs_struct = inputs
        self._outputs_struct = outputs
        self.inputs = tree.flatten(inputs)
        self.outputs = tree.flatten(outputs)
        self._nodes, layers = map_graph(inputs, outputs)
        object.__setattr__(self, "_layers", layers)
        self.built = True

    @property
    def input(self):
        """The inputs given to the constructor, in their structure (Keras 3)."""
        return self._inputs_struct

    @property
    def output(self):
        """The outputs given to the constructor, in their structure (Keras 3)."""
        return self._outputs_struct

    @property
    def input_names(self):
        return [t.name for t in self.inputs]

    @property
    def output_names(self):
        return [t.history[0].name for t in self.outputs]

    @property
    def input_shape(self):
        shapes = [t.shape for t in self.inputs]
        return shapes[0] if len(shapes) == 1 else shapes

    @property
    def output_shape(self):
        shapes = [t.shape for t in self.outputs]
        return shapes[0] if len(shapes) == 1 else shapes

    def _feed(self, inputs):
        """Map each Input() tensor id to the value given for it."""
        if isinstance(inputs, dict):
            if isinstance(self._inputs_struct, dict):
                keys = self._inputs_struct
                missing = [k for k in keys if k not in inputs]
                if missing:
                    raise ValueError(f"Missing inputs {missing} for model {self.name!r}; "
                                     f"it expects {sorted(keys)}.")
                return {id(self._inputs_struct[k]): inputs[k] for k in keys}
            by_name = {t.name: t for t in self.inputs}
            missing = [n for n in by_name if n not in inputs]
            if missing:
                raise ValueError(f"Missing inputs {missing} for model {self.name!r}; it "
                                 f"expects {sorted(by_name)}.")
            return {id(by_name[n]): inputs[n] for n in by_name}
        flat = tree.flatten(inputs)
        if len(flat) != len(self.inputs):
            raise ValueError(f"Model {self.name!r} expects {len(self.inputs)} input(s), "
                             f"but received {len(flat)}.")
        return {id(t): v for t, v in zip(self.inputs, flat)}

    def call(self, inputs, training=None):
        values = self._feed(inputs)
        ops = get_ops()
        for t in self.inputs:
            # Inputs take the dtype their Input() declares, as in Keras.
            value = values[id(t)]
            if ops.is_tensor(value):
                values[id(t)] = value if ops.dtype(value) == t.dtype else ops.cast(value, t.dtype)
            else:
                values[id(t)] = ops.convert_to_tensor(np.asarray(value), dtype=t.dtype)

        def fetch(x):
            return values[id(x)] if isinstance(x, KerasTensor) else x

        for node in self._nodes:
            if node.is_input:
                continue
            args = tree.map_structure(fetch, list(node.call_args))
            kwargs = tree.map_structure(fetch, node.call_kwargs)
            if training is not None and "training" not in kwargs:
                kwargs["training"] = training
            out = node.layer(*args, **kwargs)
            for tensor, value in zip(node.output_tensors, tree.flatten(out)):
                values[id(tensor)] = value
        return tree.map_structure(fetch, self._outputs_struct)

    def compute_output_spec(self, *args, **kwargs):
        return tree.map_structure(lambda t: KerasTensor(t.shape, t.dtype),
                                  self._outputs_struct)

    def compute_output_shape(self, input_shape):
        return tree.map_structure(lambda t: t.shape, self._outputs_struct)

    def build(self, input_shape):
        self.built = True

    def get_config(self):
        """Keras 3's functional config (layers, inbound nodes, input/output refs)."""
        return functional_get_config(self)

    @classmethod
    def from_config(cls, config, custom_objects=None):
        """Rebuild a functional model from `get_config()` output."""
        return functional_from_config(cls, config, custom_objects)


# -- configuration (Keras 3's functional config format) ---------------------------
def _model_node_index(model_nodes, layer, node_index):
    """Index of a layer's node among those of its nodes that belong to the model."""
    return sum(1 for node in layer._inbound_nodes[:node_index] if id(node) in model_nodes)


def _serialize_call_value(value, model_nodes):
    if isinstance(value, KerasTensor):
        layer, node_index, tensor_index = value.history
        return {"class_name": "__keras_tensor__",
                "config": {"shape": list(value.shape), "dtype": value.dtype,
                           "keras_history": [layer.name,
                                             _model_node_index(model_nodes, layer,
                                                               node_index),
                                             tensor_index]}}
    if isinstance(value, (list, tuple)):
        return [_serialize_call_value(v, model_nodes) for v in value]
    if isinstance(value, dict):
        return {k: _serialize_call_value(v, model_nodes) for k, v in value.items()}
    if value is None or isinstance(value, (bool, int, float, str)):
        return value
    raise ValueError(f"Cannot serialize a layer call argument of type "
                     f"{type(value).__name__} in a functional model config.")


def functional_get_config(model):
    """The Keras 3 config of a functional model: layers with their inbound
    nodes, and the input and output tensors as [layer name, node, tensor]."""
    from kerasx.layers import serialize

    model_nodes = {id(node) for node in model._nodes}
    layer_configs = []
    for layer in model.layers:
        config = serialize(layer)
        config["name"] = layer.name
        config["inbound_nodes"] = [
            {"args": _serialize_call_value(list(node.call_args), model_nodes),
             "kwargs": _serialize_call_value(node.call_kwargs, model_nodes)}
            for node in layer._inbound_nodes
            if id(node) in model_nodes and not node.is_input]
        layer_configs.append(config)

    def tensor_ref(t):
        layer, node_index, tensor_index = t.history
        index = _model_node_index(model_nodes, layer, node_index)
        # Keras numbers a nested functional model's nodes from 1 in these refs.
        return [layer.name, index + isinstance(layer, Functional), tensor_index]

    return {"name": model.name, "trainable": model.trainable, "layers": layer_configs,
            "input_layers": tree.map_structure(tensor_ref, model._inputs_struct),
            "output_layers": tree.map_structure(tensor_ref, model._outputs_struct)}


def _is_tensor_ref(value):
    return (isinstance(value, (list, tuple)) and len(value) == 3 and isinstance(value[0], str)
            and all(isinstance(v, int) for v in value[1:]))


def functional_from_config(cls, config, custom_objects=None):
    """A new functional model from `functional_get_config` output (or a
    Keras 3 functional config). Layers are resolved through kerasx's registry
    and `custom_objects` only.

    Raises:
        ValueError: for a config that references unknown layers or tensors.
    """
    from kerasx.layers import deserialize

    created = {}
    pending = []
    for layer_data in config["layers"]:
        layer = deserialize(layer_data, custom_objects)
        name = layer_data.get("name") or layer.name
        created[name] = layer
        pending += [(layer, node) for node in layer_data.get("inbound_nodes", [])]

    def resolve(value):
        if isinstance(value, dict) and value.get("class_name") == "__keras_tensor__":
            name, node_index, tensor_index = value["config"]["keras_history"]
            if name not in created:
                raise ValueError(f"The config references unknown layer {name!r}.")
            nodes = created[name]._inbound_nodes
            if node_index >= len(nodes):
                raise LookupError(name)  # its call is not processed yet
            return nodes[node_index].output_tensors[tensor_index]
        if isinstance(value, (list, tuple)):  # tuples in an in-memory config
            return [resolve(v) for v in value]
        if isinstance(value, dict):
            return {k: resolve(v) for k, v in value.items()}
        return value

    # Calls are replayed in order; one whose inputs do not exist yet (a layer
    # shared at several depths) waits for a later round, as in Keras.
    while pending:
        waiting = []
        for layer, node in pending:
            try:
                args = resolve(node.get("args", []))
                kwargs = resolve(node.get("kwargs", {}))
            except LookupError:
                waiting.append((layer, node))
                continue
            layer(*args, **kwargs)
        if len(waiting) == len(pending):
            raise ValueError("The functional config has layer calls whose inputs never "
                             "appear; it is inconsistent.")
        pending = waiting

    def tensor(ref):
        name, node_index, tensor_index = ref
        if name not in created:
            raise ValueError(f"The config references unknown layer {name!r}.")
        layer = created[name]
        node_index -= isinstance(layer, Functional)  # see functional_get_config
        if not 0 <= node_index < len(layer._inbound_nodes):
            raise ValueError(f"The config references call {node_index} of layer {name!r}, "
                             "which does not exist.")
        return layer._inbound_nodes[node_index].output_tensors[tensor_index]

    def build(structure):
        if _is_tensor_ref(structure):
            return tensor(structure)
        if isinstance(structure, dict):
            return {k: build(v) for k, v in structure.items()}
        return [build(v) for v in structure]

    return cls(build(config["input_layers"]), build(config["output_layers"]),
               name=config.get("name"), trainable=config.get("trainable", True))
