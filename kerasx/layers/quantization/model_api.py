"""`Model.quantize`: quantize every (filtered) leaf layer of a built model,
then run the mode's model-level step (GPTQ / AWQ) when it has one."""
import re
import warnings
from collections import deque

from kerasx.backend import native_types
from kerasx.layers.quantization import modes


def flatten_layers(layer):
    """The layer and all the layers it holds, in Keras's `_flatten_layers`
    order (each sublayer list visited depth first, last added first)."""
    out, seen = [layer], set()
    queue = deque(layer._layers)
    while queue:
        item = queue.popleft()
        if id(item) in seen:
            continue
        seen.add(id(item))
        out.append(item)
        queue.extendleft(item._layers)
    return out


def should_quantize_layer(layer, filters):
    """Whether `filters` (None, a regex, a list of regexes, a callable)
    selects `layer` (regexes are searched in the layer's name)."""
    if filters is None:
        return True
    if isinstance(filters, str):
        return bool(re.search(filters, layer.name))
    if isinstance(filters, (list, tuple)):
        return any(re.search(pattern, layer.name) for pattern in filters)
    return bool(filters(layer))


def quantize_model(model, mode=None, config=None, filters=None, **kwargs):
    """Keras's `Model.quantize(mode, config, filters)`; see Model.quantize."""
    type_check = kwargs.pop("type_check", True)
    if kwargs:
        raise ValueError(f"Unrecognized keyword arguments passed to "
                         f"{native_types.kerasx_class(model).__name__}: {kwargs}")
    if filters is not None and not (isinstance(filters, (str, list, tuple))
                                    or callable(filters)):
        raise ValueError("The `filters` argument must be a regex string, a list of regex "
                         f"strings, or a callable. Received: {type(filters)}")
    if not model.built:
        # Keras reaches the model itself (its layers are not tracked yet).
        from kerasx.quantizers.quantization_config import validate_and_resolve_config
        resolved = validate_and_resolve_config(mode, config)
        model._check_quantize_args(resolved.mode, model.compute_dtype)
    modified = False
    for layer in flatten_layers(model):
        if not should_quantize_layer(layer, filters) or layer._layers:
            continue
        try:
            layer.quantize(mode, type_check=type_check, config=config)
            modified = True
        except NotImplementedError as exc:
            warnings.warn(str(exc), stacklevel=2)
        except AttributeError:
            pass
    step = modes.model_step(mode) if isinstance(mode, str) else None
    if step is None and config is not None and not isinstance(config, str):
        step = modes.model_step(getattr(config, "mode", None))
    if step is not None:
        structure = getattr(config, "quantization_layer_structure", None)
        if structure is None:
            structure = model.get_quantization_layer_structure(mode)
        if structure is None:
            raise ValueError(
                f"For mode={mode!r}, a valid quantization structure must be provided "
                "either via `config.quantization_layer_structure` or by overriding "
                "`model.get_quantization_layer_structure(mode)`. The structure should "
                "be a dictionary with keys 'pre_block_layers' and 'sequential_blocks'.")
        step(config, structure, filters=filters)
    if modified:
        # The compiled steps hold the float layers' variables: recompile.
        model._step_functions = {}
