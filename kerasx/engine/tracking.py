"""What the functional API and the trainer find on a layer without Keras's
attribute tracker: its metrics, and the output spec of a call with several
tensor arguments."""
from kerasx.backend import get_ops
from kerasx.engine import tree
from kerasx.engine.keras_tensor import KerasTensor

# Skipped: the trainer's own metric holders (Trainer.metrics lists them
# explicitly) and Layer/Trainer bookkeeping that never holds user metrics
# (scanned on every eager step, so kept cheap).
_SKIPPED_ATTRIBUTES = frozenset({
    "_loss_tracker", "_compile_metrics", "_compile_loss", "_output_loss_trackers",
    "_layers", "_trainable_variables", "_non_trainable_variables", "_inbound_nodes",
    "_losses", "_step_functions", "_compile_args", "_last_output_losses"})


def own_metrics(obj):
    """Metrics held by `obj`'s attributes (directly, or as items of a list,
    tuple or dict attribute), in assignment order, without duplicates: what
    Keras 3's tracker lists in `layer.metrics`
    (`self.loss_tracker = keras.metrics.Mean()`)."""
    from kerasx.metrics.metric import Metric

    out = []
    for name, value in list(vars(obj).items()):
        if name in _SKIPPED_ATTRIBUTES:
            continue
        if isinstance(value, Metric):
            items = (value,)
        elif isinstance(value, (list, tuple)):
            items = value
        elif isinstance(value, dict):
            items = value.values()
        else:
            continue
        for item in items:
            if isinstance(item, Metric) and all(item is not known for known in out):
                out.append(item)
    return out


def dry_run_spec(layer, args, kwargs):
    """KerasTensors for the outputs of `layer.call(*args, **kwargs)`, found by
    running it once on zeros shaped like the KerasTensors (unknown dimensions
    become 2).

    Nothing of the run survives: variable writes (metric updates inside
    `call`) are discarded, random generators restored, host draws not
    recorded, and `add_loss` terms dropped.
    """
    from kerasx.random import host_draws
    from kerasx.random.seed_generator import states_restored
    from kerasx.variables import writes_discarded

    ops = get_ops()

    def zeros(t):
        if isinstance(t, KerasTensor):
            return ops.zeros(tuple(2 if d is None else d for d in t.shape), t.dtype)
        return t

    call_args = tree.map_structure(zeros, list(args))
    call_kwargs = tree.map_structure(zeros, dict(kwargs))
    if layer._call_has_training:
        call_kwargs.setdefault("training", False)
    saved_losses = list(layer._losses)
    with writes_discarded(), states_restored(), host_draws.recording():
        try:
            outputs = layer.call(*call_args, **call_kwargs)
        finally:
            layer._losses = saved_losses

    batch_unknown = any(t.shape and t.shape[0] is None
                        for t in tree.flatten([list(args), kwargs])
                        if isinstance(t, KerasTensor))

    def spec(t):
        if t is None:  # an optional output (e.g. attention scores not asked for)
            return None
        if not ops.is_tensor(t):
            t = ops.convert_to_tensor(t)
        shape = tuple(ops.shape(t))
        if shape and batch_unknown:
            shape = (None,) + shape[1:]
        return KerasTensor(shape, ops.dtype(t))

    return tree.map_structure(spec, outputs)
