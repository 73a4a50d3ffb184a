"""What the functional API and the trainer find on a layer without Keras's
attribute tracker: its metrics, and the output spec of a call with several
tensor arguments."""
import numpy as np

from kerasx.backend import get_ops
from kerasx import tree
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


def _as_tensor(t):
    ops = get_ops()
    return t if ops.is_tensor(t) else ops.convert_to_tensor(t)


def dry_run_spec(layer, args, kwargs):
    """KerasTensors for the outputs of `layer.call(*args, **kwargs)`, found by
    running it on zeros shaped like the KerasTensors (unknown dimensions
    become 2; when one beyond the batch is unknown, a second run with 3 finds
    the output sizes that follow it, which stay unknown).

    Nothing of the run survives: variable writes (metric updates inside
    `call`) are discarded, random generators restored, host draws not
    recorded, and `add_loss` terms dropped.
    """
    from kerasx.backend.symbolic_scope import SymbolicScope
    from kerasx.random import host_draws
    from kerasx.random.seed_generator import states_restored
    from kerasx.variables import writes_discarded

    ops = get_ops()

    def run(fill):
        def zeros(t):
            if isinstance(t, KerasTensor):
                return ops.zeros(tuple(fill if d is None else d for d in t.shape), t.dtype)
            return t

        call_args = tree.map_structure(zeros, list(args))
        call_kwargs = tree.map_structure(zeros, dict(kwargs))
        if layer._call_has_training:
            call_kwargs.setdefault("training", False)
        if layer._call_has_mask and call_kwargs.get("mask") is None and args:
            # A mask consumer gets the mask its input carries, as when it runs.
            masks = tree.map_structure(lambda t: getattr(t, "_keras_mask", None), args[0])
            if any(m is not None for m in tree.flatten(masks)):
                call_kwargs["mask"] = tree.map_structure(
                    lambda m: None if m is None else ops.convert_to_tensor(np.ones(
                        tuple(fill if d is None else d for d in m.shape), dtype=bool)), masks)
        saved_losses = list(layer._losses)
        with writes_discarded(), states_restored(), host_draws.recording(), SymbolicScope():
            try:
                return layer.call(*call_args, **call_kwargs)
            finally:
                layer._losses = saved_losses

    symbolic = [t for t in tree.flatten([list(args), kwargs]) if isinstance(t, KerasTensor)]
    batch_unknown = any(t.shape and t.shape[0] is None for t in symbolic)
    outputs = run(2)
    # A size unknown beyond the batch (a sequence's length): a second run with
    # 3 tells which output sizes follow it; those stay unknown.
    varying = set()
    if any(d is None for t in symbolic for d in t.shape[1:]):
        for i, (a, b) in enumerate(zip(tree.flatten(outputs), tree.flatten(run(3)))):
            if a is not None and b is not None:
                sa, sb = tuple(ops.shape(_as_tensor(a))), tuple(ops.shape(_as_tensor(b)))
                varying |= {(i, k) for k, (x, y) in enumerate(zip(sa, sb)) if x != y}

    def spec(i, t):
        if t is None:  # an optional output (e.g. attention scores not asked for)
            return None
        t = _as_tensor(t)
        shape = tuple(None if (i, k) in varying else d for k, d in enumerate(ops.shape(t)))
        if shape and batch_unknown:
            shape = (None,) + shape[1:]
        return KerasTensor(shape, ops.dtype(t))

    return tree.pack_sequence_as(outputs,
                                 [spec(i, t) for i, t in enumerate(tree.flatten(outputs))])
