"""The registry of quantization modes: which handler builds, converts and
runs a layer of a given kind in a given mode.

A *kind* names a family of layers that share one quantized layout (Keras's
`Dense`, `EinsumDense`, `Embedding`): a layer declares its kind with the
class attribute `quantization_kind` ("dense", "einsum_dense", "embedding").
A *mode* is a Keras quantization mode ("int8", "int4", "float8", "gptq",
"awq").

Each mode lives in its own module of this package, named after the mode
(`kerasx/layers/quantization/int8.py`, `gptq.py` ...), which registers its
handlers at import time::

    from kerasx.layers.quantization import modes

    class Int8Dense(modes.ModeHandler):
        mode = "int8"
        variable_order = ("kernel", "bias", "kernel_scale")
        def build(self, layer, shape, config): ...
        def quantize(self, layer, config): ...
        def call(self, layer, inputs, training=None): ...

    modes.register("dense", Int8Dense())

`handler(mode, kind)` imports `kerasx.layers.quantization.<mode>` the first
time a mode is asked for, so a new mode needs no edit of this file or of
the layers. A mode that also works on the whole model after the per-layer
pass (GPTQ and AWQ calibrate block by block) registers that step with
`register_model_step(mode, fn)`; `Model.quantize` calls
`fn(config, structure, filters)` (see `model_api.py`).

The handler interface (`ModeHandler`):

- `mode`: the mode string.
- `keeps_float_weight`: True when the layer still creates its float weight
  ("kernel" / "embeddings") next to the quantized variables (float8);
  False when the handler's `build` creates the stored weight itself.
- `variable_order`: the attribute names of the layer's variables in the
  order Keras saves them (`layers/<name>/vars/<i>` of a .keras file);
  names the layer lacks (a bias it does not use, a sub-channel zero point
  of a per-channel int4 layer) are skipped, as Keras skips them.
- `build(layer, shape, config)`: create the quantized variables of an
  unbuilt layer whose dtype policy is quantized (a layer made with
  `dtype="int8_from_float32"`, or loaded from a quantized .keras file);
  `shape` is the float weight's shape. Called before the layer creates
  its other weights, as in Keras (the order of `layer.weights`).
- `quantize(layer, config)`: convert the float weights of a built layer
  (called by `layer.quantize(mode)` after the checks); ends with the
  layer in the state `build` would give, values filled in.
- `call(layer, inputs, training=None)`: the layer's forward pass in this
  mode (with the bias and activation, as the layer's own `call`).
- `policy_name(layer, config)`: the mode part of the dtype policy name the
  layer takes after `quantize` ("int8", "int4/128"; the policy is
  "<that>_from_<source policy>").

Helpers for handlers: `replace_float_weight(layer, attr)` drops a built
layer's float weight before the quantized variables are made, and
`set_handler(layer, handler)` records the handler the layer's `call`
dispatches to.
"""
import importlib

_HANDLERS = {}      # (mode, kind) -> handler
_MODEL_STEPS = {}   # mode -> fn(config, structure, filters)
_LOADED = set()     # modes whose module was imported


class ModeHandler:
    """Base class of the per-(mode, layer kind) handlers; see the module
    docstring for the interface. Subclasses set `mode` and implement
    `build`, `quantize` and `call`."""

    mode = None
    keeps_float_weight = False
    variable_order = ()

    def build(self, layer, shape, config):
        """Create the quantized variables of the unbuilt `layer`."""
        raise NotImplementedError(f"{type(self).__name__}.build")

    def quantize(self, layer, config):
        """Convert the built float `layer` to this mode."""
        raise NotImplementedError(f"{type(self).__name__}.quantize")

    def call(self, layer, inputs, training=None):
        """The forward pass of the quantized `layer`."""
        raise NotImplementedError(f"{type(self).__name__}.call")

    def policy_name(self, layer, config):
        """The mode part of the layer's quantized dtype policy name."""
        return self.mode


def register(kind, handler):
    """Register `handler` (a ModeHandler with its `mode` set) for layers of
    `kind`. A later registration for the same (mode, kind) replaces it.

    Raises:
        ValueError: when the handler has no `mode`.
    """
    if not getattr(handler, "mode", None):
        raise ValueError(f"A quantization handler needs a `mode`; {handler!r} has none.")
    _HANDLERS[(handler.mode, kind)] = handler


def register_model_step(mode, fn):
    """Register the model-level step of `mode` (GPTQ, AWQ): called by
    `Model.quantize` after the per-layer pass as `fn(config, structure,
    filters)`."""
    _MODEL_STEPS[mode] = fn


def _load(mode):
    if mode in _LOADED or not isinstance(mode, str):
        return
    _LOADED.add(mode)
    name = mode.split("/")[0]
    if not name.isidentifier():
        return
    try:
        importlib.import_module(f"{__package__}.{name}")
    except ModuleNotFoundError as exc:
        if exc.name != f"{__package__}.{name}":
            raise  # the mode's module exists but fails to import: say so


def handler(mode, kind):
    """The handler of `mode` for layers of `kind`, or None when kerasx has
    none (the caller raises Keras's NotImplementedError)."""
    _load(mode)
    return _HANDLERS.get((mode, kind))


def model_step(mode):
    """The model-level step registered for `mode`, or None."""
    _load(mode)
    return _MODEL_STEPS.get(mode)


def replace_float_weight(layer, attr):
    """Drop the built layer's float weight `attr` ("kernel") from its
    variables (as Keras's `del self._kernel`), returning it."""
    variable = getattr(layer, attr)
    layer._trainable_variables = [v for v in layer._trainable_variables
                                  if v is not variable]
    layer._non_trainable_variables = [v for v in layer._non_trainable_variables
                                      if v is not variable]
    object.__setattr__(layer, attr, None)
    return variable


def set_handler(layer, mode_handler):
    """Make `layer`'s call dispatch to `mode_handler` (None: float)."""
    object.__setattr__(layer, "_quantization", mode_handler)
