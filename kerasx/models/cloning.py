"""keras.models.clone_model: the same architecture with new layers (new weights)."""
from kerasx import tree
from kerasx.engine.keras_tensor import KerasTensor
from kerasx.layers.core.input_layer import Input, InputLayer


def _default_clone(layer):
    # Keras 3's default: the layer rebuilt from its config (same name, new weights).
    return layer.__class__.from_config(layer.get_config())


def clone_model(model, input_tensors=None, clone_function=None, call_function=None,
                recursive=False, **kwargs):
    """A new model with the architecture of `model` and new layers, as
    keras.models.clone_model: weights are freshly initialized, not copied.

    Args:
        model: a Sequential, functional or subclassed Model.
        input_tensors: Input() tensors (a structure like `model.inputs`) to
            build the clone on (Sequential and functional models).
        clone_function: `layer -> new layer` (default: rebuilt from its
            config); for Sequential and functional models only.
        call_function: `(layer, *args, **kwargs) -> outputs`, how the clone
            calls each new layer (functional models; default the layer call).
        recursive: also clone nested Sequential/functional models with the
            same clone_function (otherwise they are passed to clone_function).

    Raises:
        ValueError: for an unknown keyword argument, input_tensors that are
            not keras.Input() tensors, clone_function/call_function on a
            subclassed model, or a clone_function that does not return a layer.
    """
    from kerasx.layers.layer import Layer
    from kerasx.models.functional import Functional
    from kerasx.models.sequential import Sequential

    if kwargs:
        raise ValueError(f"Unexpected keyword argument(s) for clone_model: {sorted(kwargs)}.")
    if input_tensors is not None and not all(
            isinstance(t, KerasTensor) for t in tree.flatten(input_tensors)):
        raise ValueError("clone_model's `input_tensors` must be keras.Input() tensors; "
                         f"received {input_tensors!r}.")
    user_clone = clone_function
    clone_function = clone_function or _default_clone
    if recursive:
        inner = clone_function

        def clone_function(layer):  # noqa: F811 (nested models cloned the same way)
            if isinstance(layer, (Sequential, Functional)):
                return clone_model(layer, clone_function=user_clone,
                                   call_function=call_function, recursive=True)
            return inner(layer)

    def clone(layer):
        new = clone_function(layer)
        if not isinstance(new, Layer):
            raise ValueError("clone_function must return a Layer; for layer "
                             f"{layer.name!r} it returned {type(new).__name__}.")
        return new

    if isinstance(model, Sequential):
        return _clone_sequential(model, input_tensors, clone)
    if isinstance(model, Functional):
        return _clone_functional(model, input_tensors, clone, call_function)
    if user_clone is not None or call_function is not None or input_tensors is not None:
        raise ValueError("clone_function, call_function and input_tensors apply to "
                         "Sequential and functional models only; "
                         f"{type(model).__name__} is a subclassed model.")
    try:
        return model.__class__.from_config(model.get_config())
    except (NotImplementedError, TypeError) as exc:
        raise ValueError(f"Cannot clone subclassed model {type(model).__name__}: it must "
                         f"implement get_config() and from_config() ({exc}).") from exc


def _clone_sequential(model, input_tensors, clone):
    from kerasx.models.sequential import Sequential

    layers = [clone(layer) for layer in model.layers]
    if input_tensors is not None:
        flat = tree.flatten(input_tensors)
        if len(flat) != 1:
            raise ValueError("A Sequential model takes one input tensor; clone_model "
                             f"received {len(flat)}.")
        first = [flat[0]]
    elif model._input_layer is not None:
        source = model._input_layer
        first = [InputLayer(batch_shape=source.batch_shape, dtype=source.dtype,
                            name=source.name)]
    else:
        first = []
    return Sequential(first + layers, name=model.name, trainable=model.trainable)


def _clone_functional(model, input_tensors, clone, call_function):
    if input_tensors is None:
        new_inputs = [Input(batch_shape=t.shape, dtype=t.dtype, name=t.name)
                      for t in model.inputs]
    else:
        new_inputs = tree.flatten(input_tensors)
        if len(new_inputs) != len(model.inputs):
            raise ValueError(f"Model {model.name!r} has {len(model.inputs)} inputs, but "
                             f"clone_model received {len(new_inputs)} input tensors.")
    mapping = {id(old): new for old, new in zip(model.inputs, new_inputs)}
    clones = {}

    def fetch(x):
        return mapping[id(x)] if isinstance(x, KerasTensor) else x

    for node in model._nodes:
        if node.is_input:
            continue
        layer = node.layer
        if id(layer) not in clones:  # a shared layer is cloned once
            clones[id(layer)] = clone(layer)
        args = tree.map_structure(fetch, list(node.call_args))
        kwargs = tree.map_structure(fetch, node.call_kwargs)
        if call_function is not None:
            outputs = call_function(clones[id(layer)], *args, **kwargs)
        else:
            outputs = clones[id(layer)](*args, **kwargs)
        for old, new in zip(node.output_tensors, tree.flatten(outputs)):
            mapping[id(old)] = new
    inputs = tree.pack_sequence_as(model._inputs_struct, new_inputs) \
        if input_tensors is None else input_tensors
    outputs = tree.map_structure(fetch, model._outputs_struct)
    return model.__class__(inputs, outputs, name=model.name, trainable=model.trainable)
