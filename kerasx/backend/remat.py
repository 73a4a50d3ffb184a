"""keras.remat and keras.RematScope: rematerialization (gradient
checkpointing), computing a function's forward activations again in the
backward pass instead of keeping them.

`remat(f)(*args)` runs `f` once without recording gradients, with every
kerasx Variable it reads stood in for by the value read now (so the gradient
reaches the variables through the operation's inputs, also inside a
StatelessScope), its random draws kept and its variable writes held back.
The contract's `rematerialize` then attaches those outputs to the gradient:
the backward pass calls `f` again on the same inputs and variable values,
with the same random draws and its writes dropped, and takes its
vector-Jacobian product. So the gradient equals the plain one, writes
(BatchNormalization's moving statistics) happen once, and dropout masks
agree between the two runs.
"""
import collections
import contextlib
import functools

from kerasx import tree
from kerasx.backend import get_ops
from kerasx.backend.state import STATE, setting
from kerasx.random import host_draws

_MODES = ("full", "activations", "larger_than", "list_of_layers", None)

RematMode = collections.namedtuple("RematMode",
                                   ["mode", "output_size_threshold", "layer_names"])
RematMode.__doc__ = "The settings of the active RematScope (`get_current_remat_mode`)."


class RematScope:
    """Scope enabling rematerialization of the layers created inside it, as
    keras.RematScope.

    As in Keras, a layer takes the scope active when it is *created* and
    applies it each time it is called on tensors (not when called on
    symbolic inputs):

    - "full": the layer's whole call is rematerialized;
    - "activations": the activation function of layers that have one
      (`Dense(..., activation="relu")`);
    - "larger_than": layers whose output has more than
      `output_size_threshold` elements;
    - "list_of_layers": layers whose name is in `layer_names`;
    - None: none (inside an enclosing scope).

    Scopes nest; the innermost applies. Per thread.

    Args:
        mode: one of the modes above (default "full").
        output_size_threshold: for "larger_than" (default 1024).
        layer_names: for "list_of_layers" (default none).

    Raises:
        ValueError: for another mode.
    """

    def __init__(self, mode="full", output_size_threshold=1024, layer_names=None):
        if mode not in _MODES:
            raise ValueError(
                f"Invalid mode '{mode}'. Supported modes are: 'full', 'activations', "
                "'larger_than', 'list_of_layers', or  None.")
        self.mode = mode
        self.output_size_threshold = output_size_threshold
        self.layer_names = layer_names or []
        self._outer = None

    def __enter__(self):
        self._outer = STATE.remat_scopes
        STATE.remat_scopes = self._outer + (self,)
        return self

    def __exit__(self, *exc):
        STATE.remat_scopes = self._outer
        return False


def get_current_remat_mode():
    """The innermost RematScope's settings as a RematMode, or None outside
    any (in this thread)."""
    scopes = STATE.remat_scopes
    if not scopes:
        return None
    scope = scopes[-1]
    return RematMode(scope.mode, scope.output_size_threshold, scope.layer_names)


def remat(f):
    """`f` rematerialized, as keras.remat: the returned function gives the
    same outputs and gradients as `f`, but the intermediate results of `f`
    are not kept for the backward pass, which computes them again (memory
    traded for computation).

    `f` takes and returns tensors (nested structures too); only its float
    tensor arguments and the kerasx Variables it reads are differentiated.

    Example:

    ```python
    class Block(keras.layers.Layer):
        def __init__(self):
            super().__init__()
            self.inner = keras.remat(self.transform)

        def transform(self, x):
            return ops.tanh(x) * 2.0

        def call(self, x):
            return self.inner(x)
    ```
    """
    if not callable(f):
        raise TypeError(f"remat expects a callable, received {f!r} "
                        f"(of type {type(f).__name__}).")

    @functools.wraps(f)
    def rematerialized(*args, **kwargs):
        return _call(f, args, kwargs)

    return rematerialized


# -- layers ------------------------------------------------------------------------------
def layer_call(layer, call, args, kwargs):
    """The function to run for `layer`'s call under its RematScope mode
    (taken when the layer was created), as Keras's `rematerialized_call`:
    `call` itself when the mode does not apply."""
    mode = layer._remat_mode
    if mode is None or mode.mode is None:
        return call
    if mode.mode == "full":
        return remat(call)
    if mode.mode == "activations":
        activation = getattr(layer, "activation", None)
        if activation is None:
            return call

        @functools.wraps(call)
        def with_rematerialized_activation(*a, **k):
            layer.activation = remat(activation)
            try:
                return call(*a, **k)
            finally:
                layer.activation = activation

        return with_rematerialized_activation
    if mode.mode == "list_of_layers":
        return remat(call) if layer.name in mode.layer_names else call
    size = _output_size(layer, args, kwargs)  # "larger_than"
    return remat(call) if size and size > mode.output_size_threshold else call


def _output_size(layer, args, kwargs):
    """Number of elements of the layer's outputs for these inputs (their
    output spec, cached per input signature)."""
    from kerasx.engine.keras_tensor import KerasTensor

    ops = get_ops()

    def spec(x):
        if _is_tensor(x):
            return KerasTensor(tuple(ops.shape(x)), ops.dtype(x))
        return x

    args = tree.map_structure(spec, list(args))
    kwargs = {k: tree.map_structure(spec, v) for k, v in kwargs.items()
              if k not in ("training", "mask")}
    key = _signature(args, kwargs)
    cache = layer.__dict__.setdefault("_remat_output_sizes", {})
    if key not in cache:
        outputs = layer.compute_output_spec(*args, **kwargs)
        cache[key] = sum(_size(t.shape) for t in tree.flatten(outputs)
                         if isinstance(t, KerasTensor))
    return cache[key]


def _signature(args, kwargs):
    from kerasx.engine.keras_tensor import KerasTensor
    return tuple((t.shape, t.dtype) if isinstance(t, KerasTensor) else repr(t)
                 for t in tree.flatten([args, kwargs]))


def _size(shape):
    size = 1
    for d in shape:
        size *= d or 1
    return size


# -- the rematerialized call ------------------------------------------------------------
def _is_tensor(x):
    from kerasx.variables import Variable
    return not isinstance(x, Variable) and get_ops().is_tensor(x)


def _is_float(x):
    return _is_tensor(x) and get_ops().dtype(x).startswith(("float", "bfloat"))


class _CallScope:
    """The StatelessScope-like scope a rematerialized call runs in
    (`STATE.stateless_scope`): variables read as the values in `mapping`,
    writes recorded in `updates`. With `discover`, a float variable not in
    the mapping is read now (through the enclosing scope, if any), recorded,
    and mapped to that value with its gradient stopped."""

    def __init__(self, outer, mapping, discover):
        self.outer = outer
        self.mapping = mapping
        self.discover = discover
        self.read = {}
        self.raw = {}
        self.updates = {}

    def _raw(self, variable):
        value = None if self.outer is None else self.outer.get_current_value(variable)
        return get_ops().variable_value(variable.native) if value is None else value

    def get_current_value(self, variable):
        key = id(variable)
        if key in self.updates:
            return self.updates[key][1]
        value = self.mapping.get(key)
        if value is not None:
            return value
        raw = self._raw(variable)
        if self.discover and _is_float(raw):
            self.read[key] = variable
            self.raw[key] = raw
            value = self.mapping[key] = get_ops().stop_gradient(raw)
            return value
        return raw

    def add_update(self, update):
        variable, value = update
        self.updates[id(variable)] = (variable, value)


def _call(f, args, kwargs):
    if isinstance(STATE.stateless_scope, _CallScope):
        # Inside another rematerialized call: its forward pass records
        # nothing and its recomputation's graph lives only for its vjp, so
        # a nested rematerialization would save nothing (and MXNet's engine
        # deadlocks on a Function nested in another's backward pass).
        return f(*args, **kwargs)
    ops = get_ops()
    structure = [list(args), dict(kwargs)]
    leaves = tree.flatten(structure)
    positions = [i for i, x in enumerate(leaves) if _is_float(x)]
    outer = STATE.stateless_scope
    context = {"training": STATE.training, "call_depth": STATE.call_depth,
               "autocast_dtype": STATE.autocast_dtype}

    def run(values, scope):
        current = list(leaves)
        for position, value in zip(positions, values):
            current[position] = value
        call_args, call_kwargs = tree.pack_sequence_as(structure, current)
        with setting(stateless_scope=scope):
            return f(*call_args, **call_kwargs)

    # The forward pass, without recording: inputs and variables stopped.
    scope = _CallScope(outer, {}, discover=True)
    stopped = [ops.stop_gradient(leaves[i]) for i in positions]
    with host_draws.captured() as draws:
        out = run(stopped, scope)
    flat_out = tree.flatten(out)
    out_positions = [i for i, x in enumerate(flat_out) if _is_float(x)]
    variables = list(scope.read.values())
    # A variable `f` writes is held as a copy of its value before the write:
    # where reading a variable aliases it (PyTorch, MXNet), the write applied
    # below would otherwise change what the recomputation reads.
    primals = [leaves[i] for i in positions] + [
        ops.copy(scope.raw[id(v)]) if id(v) in scope.updates else scope.raw[id(v)]
        for v in variables]
    count = len(positions)

    def recompute(*values):
        mapping = {id(v): values[count + j] for j, v in enumerate(variables)}
        replay = host_draws.feeding(draws) if draws else contextlib.nullcontext()
        with setting(**context), replay:
            result = tree.flatten(run(values[:count], _CallScope(outer, mapping, False)))
        return [result[i] for i in out_positions]

    if primals and out_positions:
        attached = ops.rematerialize(recompute, primals, [flat_out[i] for i in out_positions])
        for i, tensor in zip(out_positions, attached):
            mask = getattr(flat_out[i], "_keras_mask", None)
            if mask is not None:
                try:
                    tensor._keras_mask = mask
                except AttributeError:
                    pass
            flat_out[i] = tensor
        out = tree.pack_sequence_as(out, flat_out)
    # The forward pass's writes, once (the recomputation's are dropped).
    for variable, value in scope.updates.values():
        variable.assign(value)
    return out
