"""Model weights in Keras 3's HDF5 layout (DESIGN.md, ".keras file facts").

Each saveable object (a layer, a model, the optimizer) owns a group
`<path>/vars` holding its own variables as datasets "0", "1", ... (trainable
first, then non-trainable). Paths follow Keras's traversal:

- a Functional or Sequential model lists its layers under `layers/<key>`,
  where <key> is the snake_case class name numbered in `model.layers` order
  (dense, dense_1, ...), not the layer's name;
- a subclassed model's `layers` (its sublayers) count as an attribute named
  "layers", in the sorted order below, as Keras's walk over dir() finds them;
- other attributes holding layers (a subclassed model's `self.block`, an RNN
  layer's `self.cell`) go under the attribute's name, public attributes in
  sorted order first, then private ones; lists of layers under
  `<attribute>/<key>`;
- the compiled optimizer is `optimizer`, with iteration, learning rate and
  slots in `optimizer/vars`;
- an object reachable twice is stored once, at its first path.

Reading never trusts the file: links, external and virtual datasets are
refused, and every dataset's shape and dtype are compared with the variable
it is meant for before a byte of it is read, so a file cannot make kerasx
allocate more than the model's own weights.
"""
import io
import json
import warnings

import numpy as np

from kerasx.saving.errors import LoadingError
from kerasx.saving.registry import snake_case

_SKIP_CACHE = {}


def _classes():
    from kerasx.layers.layer import Layer
    from kerasx.models.functional import Functional
    from kerasx.models.model import Model
    from kerasx.models.sequential import Sequential
    from kerasx.optimizers.base_optimizer import Optimizer
    return Layer, Model, Functional, Sequential, Optimizer


def _skipset(kind):
    """Attributes of kerasx's base classes, never walked (as Keras skips the
    attributes of a bare Layer)."""
    if kind not in _SKIP_CACHE:
        Layer, Model, _, _, _ = _classes()
        from kerasx.trainers.trainer import Trainer
        skip = set(vars(Layer(name="__kerasx_probe__")))
        if kind == "model":
            probe = Trainer.__new__(Trainer)
            Trainer.__init__(probe)
            skip |= set(vars(probe)) - {"optimizer"}
            skip |= {"_compile_loss", "_compile_metrics", "_loss_tracker", "history",
                     "_output_loss_trackers", "_last_output_losses", "_compile_args",
                     "_graph", "_input_layer", "_nodes", "_inputs_struct",
                     "_outputs_struct", "inputs", "outputs", "loss"}
        _SKIP_CACHE[kind] = skip
    return _SKIP_CACHE[kind]


def _name_key(name):
    return f"~{name}" if name.startswith("_") else name


def _children(obj, subclassed_layers=True):
    Layer, Model, Functional, Sequential, Optimizer = _classes()
    if isinstance(obj, Optimizer):
        # A wrapper (LossScaleOptimizer) stores all the state in its own
        # group and, as Keras, the wrapped optimizer's again in a child group.
        inner = getattr(obj, "inner_optimizer", None)
        if isinstance(inner, Optimizer):
            yield "inner_optimizer", inner
        # MultiOptimizer: as Keras, each sub-optimizer again under
        # optimizers/<snake_case class name>.
        subs = getattr(type(obj), "optimizers", None)
        if isinstance(subs, property):
            yield "optimizers", list(obj.optimizers)
        return
    if isinstance(obj, (Functional, Sequential)):
        yield "layers", obj.layers
    skip = _skipset("model" if isinstance(obj, Model) else "layer")
    names = [name for name in vars(obj) if not name.startswith("__") and name not in skip]
    # Keras walks dir(model), where a subclassed model's `layers` property
    # lists its sublayers: a layer held by an attribute named after "layers"
    # (self.student) is stored under layers/<key>, not under its attribute.
    listed = subclassed_layers and isinstance(obj, Model) and \
        not isinstance(obj, (Functional, Sequential)) and "layers" not in names
    for name in sorted(names + ["layers"] if listed else names, key=_name_key):
        yield name, obj.layers if listed and name == "layers" else vars(obj)[name]


SEED_ATTR = "kerasx_seed_generators"


def seed_generators(obj):
    """{attribute: SeedGenerator} of a layer (Dropout's mask stream...)."""
    from kerasx.random.seed_generator import SeedGenerator
    return {name: value for name, value in sorted(vars(obj).items())
            if isinstance(value, SeedGenerator)}


class _SeedTarget:
    """Makes a SeedGenerator assignable like a variable."""

    def __init__(self, generator):
        self.generator = generator

    def assign(self, state):
        self.generator.set_state(state)


def _check_generator_state(state, where):
    try:
        probe = np.random.PCG64(0)
        probe.state = state
    except Exception as exc:
        raise LoadingError(f"Invalid random generator state at {where}: {exc}") from exc
    return state


def own_variables(obj):
    """The variables an object stores in its own `vars` group, in order."""
    _, _, _, _, Optimizer = _classes()
    if isinstance(obj, Optimizer):
        return list(obj.variables)
    ordered = getattr(obj, "_variables_in_save_order", None)
    ordered = ordered() if ordered is not None else None
    if ordered is not None:  # a quantized layer: Keras's per-mode order
        return ordered
    return list(obj._trainable_variables) + list(obj._non_trainable_variables)


def saveables(model, include_optimizer=True, subclassed_layers=True):
    """[(path, object)] in Keras's traversal order; the model is at "".

    subclassed_layers=False gives the layout kerasx wrote before it listed a
    subclassed model's `layers` (each sublayer under its attribute), which
    the reader falls back to."""
    Layer, _, _, _, Optimizer = _classes()
    out, visited = [], set()

    def is_saveable(obj):
        return isinstance(obj, (Layer, Optimizer))

    def visit(obj, path):
        if id(obj) in visited:
            return
        if isinstance(obj, Optimizer) and not include_optimizer:
            return
        visited.add(id(obj))
        out.append((path, obj))
        for attr, child in _children(obj, subclassed_layers):
            child_path = f"{path}/{attr}" if path else attr
            if is_saveable(child):
                visit(child, child_path)
            elif isinstance(child, (list, tuple, dict)):
                container(child, child_path, set())

    def container(items, path, seen):
        if id(items) in seen:
            return
        seen.add(id(items))
        used = {}
        for item in (list(items.values()) if isinstance(items, dict) else items):
            if is_saveable(item):
                visit(item, f"{path}/{_unique(snake_case(type(item).__name__), used)}")
            elif isinstance(item, (list, tuple, dict)):
                container(item, f"{path}/{_unique('container', used)}", seen)

    visit(model, "")
    return out


def _unique(name, used):
    if name in used:
        used[name] += 1
        return f"{name}_{used[name]}"
    used[name] = 0
    return name


def _vars_path(path):
    return f"{path}/vars" if path else "vars"


# -- writing ------------------------------------------------------------------------
def write(model, fileobj, include_optimizer=True, extra=None, attrs=None):
    """Write the model's weights (and optimizer state) as HDF5 into `fileobj`.

    `extra` maps dataset paths to arrays and `attrs` names to strings of the
    root group, written as well (BackupAndRestore's training state)."""
    import h5py

    with h5py.File(fileobj, "w") as f:
        for key, value in (attrs or {}).items():
            f.attrs[key] = value
        for path, obj in saveables(model, include_optimizer):
            group = f.create_group(_vars_path(path))
            name = getattr(obj, "name", None)
            if isinstance(name, str):
                group.attrs["name"] = name
            for i, variable in enumerate(own_variables(obj)):
                group.create_dataset(str(i), data=np.asarray(variable.numpy()))
            seeds = seed_generators(obj)
            if seeds:
                # An attribute, not a dataset: Keras counts only datasets.
                group.attrs[SEED_ATTR] = json.dumps(
                    {attr: gen.get_state() for attr, gen in seeds.items()})
        for key, value in (extra or {}).items():
            f.create_dataset(key, data=value)


def to_bytes(model, include_optimizer=True, extra=None, attrs=None):
    buffer = io.BytesIO()
    write(model, buffer, include_optimizer, extra, attrs)
    return buffer.getvalue()


def variable_bytes(model, include_optimizer=True):
    """Bytes of all the variables `write` would store."""
    return sum(int(np.prod(v.shape, dtype=np.int64)) * np.dtype(v.dtype).itemsize
               for _, obj in saveables(model, include_optimizer)
               for v in own_variables(obj))


# -- reading ------------------------------------------------------------------------
def open_h5(source):
    """An h5py.File for a path or a file object, LoadingError if it is not one."""
    import h5py

    try:
        return h5py.File(source, "r")
    except Exception as exc:  # h5py raises OSError, ValueError, KeyError...
        raise LoadingError(f"The weights are not a readable HDF5 file ({exc}).") from exc


def _child(parent, name, kind, where):
    """parent[name] when it is a hard link to a `kind` (Group or Dataset)."""
    import h5py

    link = parent.get(name, default=None, getlink=True)
    if link is None:
        return None
    if not isinstance(link, h5py.HardLink):
        raise LoadingError(f"Not allowed: {where} is a {type(link).__name__} in the HDF5 "
                           "file (only plain groups and datasets are read).")
    obj = parent[name]
    if not isinstance(obj, kind):
        raise LoadingError(f"Invalid weights file: {where} is a {type(obj).__name__}, "
                           f"expected a {kind.__name__}.")
    return obj


def _group(f, path):
    import h5py

    current = f
    parts = path.split("/")
    for i, part in enumerate(parts):
        current = _child(current, part, h5py.Group, "/".join(parts[:i + 1]))
        if current is None:
            return None
    return current


def _read_dataset(group, key, variable, where):
    import h5py

    ds = _child(group, key, h5py.Dataset, where)
    if ds is None:
        raise LoadingError(f"Invalid weights file: {where} is missing.")
    if ds.external:
        raise LoadingError(f"Not allowed: {where} is an external dataset.")
    if ds.is_virtual:
        raise LoadingError(f"Not allowed: {where} is a virtual dataset.")
    shape, dtype = tuple(variable.shape), np.dtype(variable.dtype)
    if tuple(ds.shape or ()) != shape or ds.shape is None:
        raise LoadingError(f"Weight {where} ({variable.path}) has shape {ds.shape} in the "
                           f"file, but the model's variable has shape {shape}.")
    # Integers may change width (Keras's torch backend stores the optimizer's
    # iteration count as int32) when every value fits; any other difference
    # (float32 vs float64, float vs int, compound or string types) is refused.
    same_ints = ds.dtype.kind in "iu" and dtype.kind in "iu" and ds.dtype.itemsize <= 8
    if ds.dtype != dtype and not same_ints:
        raise LoadingError(f"Weight {where} ({variable.path}) has dtype {ds.dtype} in the "
                           f"file, but the model's variable has dtype {dtype.name}.")
    value = np.asarray(ds[()])
    if same_ints and ds.dtype != dtype:
        cast = value.astype(dtype)
        if not np.array_equal(cast.astype(value.dtype), value) or (
                (cast < 0) != (value < 0)).any():
            raise LoadingError(f"Weight {where} ({variable.path}) holds integers that do "
                               f"not fit its dtype {dtype.name}.")
        value = cast
    if value.shape != shape or value.dtype != dtype:
        raise LoadingError(f"Weight {where} could not be read as {dtype.name}{shape}.")
    return value


def read_values(model, h5file, include_optimizer=True):
    """[(variable, array)] for every variable of the model found in the open
    HDF5 file, checked against the model. Nothing is assigned.

    Raises:
        LoadingError: for a missing group, a different number of variables,
            a wrong shape or dtype, or anything but plain groups and datasets.
    """
    _, _, _, _, Optimizer = _classes()
    pairs = []
    attribute_paths = None
    try:
        for path, obj in saveables(model, include_optimizer):
            variables = own_variables(obj)
            vars_path = _vars_path(path)
            group = _group(h5file, vars_path)
            if group is None and variables:
                # As Keras, which tries an object again where it is reachable
                # later: the sublayer's attribute (files of older writers).
                if attribute_paths is None:
                    attribute_paths = {id(o): p for p, o in
                                       saveables(model, include_optimizer, False)}
                if attribute_paths.get(id(obj), path) != path:
                    vars_path = _vars_path(attribute_paths[id(obj)])
                    group = _group(h5file, vars_path)
            if group is None:
                if variables and not isinstance(obj, Optimizer):
                    raise LoadingError(f"The weights file has no `{vars_path}` group for "
                                       f"{type(obj).__name__} {obj.name!r}.")
                continue
            keys = sorted(group.keys())
            if isinstance(obj, Optimizer) and not obj.built and len(keys) > len(variables):
                # The file holds slots: build the optimizer for the model's variables
                # (as its first training step would) so that they can be restored.
                obj.build(model.trainable_variables)
                variables = own_variables(obj)
            if isinstance(obj, Optimizer) and len(keys) != len(variables):
                # As Keras: a saved optimizer that does not match is skipped.
                warnings.warn(f"Skipping variable loading for optimizer '{obj.name}', "
                              f"because it has {len(variables)} variables whereas the "
                              f"saved optimizer has {len(keys)} variables.", stacklevel=3)
                continue
            expected = sorted(str(i) for i in range(len(variables)))
            if keys != expected:
                raise LoadingError(
                    f"{type(obj).__name__} {obj.name!r} has {len(variables)} variables, "
                    f"but the file stores {len(keys)} under `{vars_path}`.")
            for i, variable in enumerate(variables):
                pairs.append((variable, _read_dataset(group, str(i), variable,
                                                      f"{vars_path}/{i}")))
            pairs += _read_seed_states(obj, group, vars_path)
    except LoadingError:
        raise
    except Exception as exc:  # a corrupt file: h5py raises many kinds of errors
        raise LoadingError(f"The weights file is corrupt or unreadable "
                           f"({type(exc).__name__}: {exc}).") from exc
    return pairs


def assign(pairs):
    for variable, value in pairs:
        variable.assign(value)


def _read_seed_states(obj, group, vars_path):
    """The layer's SeedGenerator states stored by kerasx (absent in Keras files)."""
    seeds = seed_generators(obj)
    if SEED_ATTR not in group.attrs or not seeds:
        return []
    raw = group.attrs[SEED_ATTR]
    if isinstance(raw, bytes):
        raw = raw.decode("utf-8")
    if not isinstance(raw, str) or len(raw) > 1 << 16:
        raise LoadingError(f"Invalid {SEED_ATTR} attribute at {vars_path}.")
    try:
        states = json.loads(raw)
    except ValueError as exc:
        raise LoadingError(f"Invalid {SEED_ATTR} attribute at {vars_path}: {exc}") from exc
    if not isinstance(states, dict) or set(states) != set(seeds):
        raise LoadingError(f"The random generators stored at {vars_path} do not match "
                           f"the layer's ({sorted(seeds)}).")
    return [(_SeedTarget(seeds[name]),
             _check_generator_state(states[name], f"{vars_path}.{name}"))
            for name in sorted(seeds)]
