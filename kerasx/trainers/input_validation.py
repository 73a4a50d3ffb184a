"""Checks run on the first batch, before any training, so that data of the
wrong shape or targets that do not fit the loss fail with a message naming
the expected and received shapes instead of an error deep inside a backend."""
import numpy as np

from kerasx.backend import get_ops
from kerasx import tree
from kerasx.trainers.data_adapters.data_adapter_utils import to_host


def _fmt(shape):
    return "(" + ", ".join("None" if d is None else str(d) for d in shape) + \
        ("," if len(shape) == 1 else "") + ")"


def validate_inputs(model, x):
    """Raise ValueError when `x` does not fit the model's declared inputs."""
    inputs = getattr(model, "inputs", None)
    if not inputs:
        return
    if isinstance(x, dict):
        by_name = {t.name: t for t in inputs}
        pairs = [(by_name[k], v) for k, v in x.items() if k in by_name]
    else:
        flat = tree.flatten(x)
        if len(flat) != len(inputs):
            raise ValueError(f"Model {model.name!r} expects {len(inputs)} input(s) "
                             f"({', '.join(t.name for t in inputs)}), but received "
                             f"{len(flat)} array(s).")
        pairs = list(zip(inputs, flat))
    for tensor, value in pairs:
        shape = tuple(np.shape(value)) if not get_ops().is_tensor(value) else \
            tuple(get_ops().shape(value))
        expected = tensor.shape
        compatible = len(shape) == len(expected) and all(
            e is None or e == s for e, s in zip(expected[1:], shape[1:]))
        if not compatible:
            raise ValueError(
                f"Input {tensor.name!r} of model {model.name!r} expects data of shape "
                f"{_fmt(expected)}, but received data of shape {_fmt(shape)}.")


def _loss_kind(loss):
    name = (getattr(loss, "name", "") or "") + type(loss).__name__
    fn = getattr(loss, "fn", None)
    if fn is not None:
        name += getattr(fn, "__name__", "")
    name = name.lower().replace("_", "")
    for kind in ("sparsecategoricalcrossentropy", "categoricalcrossentropy",
                 "binarycrossentropy"):
        if kind in name:
            return kind
    return "other"


def _free_target_shape(loss):
    """Whether the loss takes targets shaped unlike the predictions (CTC's
    label sequences, Circle's and the generalized cross-entropy's class ids):
    declared by `_free_target_shape = True` on the loss or its function."""
    return bool(getattr(loss, "_free_target_shape", False)
                or getattr(getattr(loss, "fn", None), "_free_target_shape", False))


def validate_targets(model, y, y_pred, sample_weight=None):
    """Raise ValueError when the targets do not fit the compiled losses."""
    compile_loss = getattr(model, "_compile_loss", None)
    if compile_loss is None:
        return
    if y is None:
        raise ValueError("The model was compiled with a loss, so fit() and evaluate() "
                         "need targets `y` (or a generator yielding (x, y)).")
    ops = get_ops()
    if compile_loss.losses is None:
        compile_loss.build(model, y_pred)
    preds = tree.flatten(y_pred)
    # Targets may be tensors of any framework (tf.data, DataLoader batches).
    y = tree.map_structure(to_host, y)
    sample_weight = tree.map_structure(to_host, sample_weight)
    targets = compile_loss.targets(y)
    for name, loss, target, pred in zip(compile_loss.names, compile_loss.losses, targets,
                                        preds):
        if loss is None or target is None or _free_target_shape(loss):
            continue
        t_shape = tuple(np.shape(target))
        p_shape = tuple(ops.shape(pred))
        kind = _loss_kind(loss)
        where = f"output {name!r}" if len(preds) > 1 else "the model output"
        if kind == "sparsecategoricalcrossentropy":
            classes = p_shape[-1]
            ok_shape = t_shape == p_shape[:-1] or t_shape == p_shape[:-1] + (1,)
            values = np.asarray(target)
            ok_values = values.size == 0 or (
                np.all(np.mod(values, 1) == 0) and values.min() >= 0 and
                values.max() < classes)
            if not ok_shape or not ok_values:
                problem = ("shape " + _fmt(t_shape)) if not ok_shape else \
                    f"values in [{values.min()}, {values.max()}]"
                raise ValueError(
                    f"sparse_categorical_crossentropy expects integer class indices of "
                    f"shape {_fmt(p_shape[:-1])} or {_fmt(p_shape[:-1] + (1,))} with values "
                    f"in [0, {classes}) for {where} of shape {_fmt(p_shape)}; received "
                    f"targets with {problem}. For one-hot targets use "
                    "categorical_crossentropy.")
        elif kind == "categoricalcrossentropy":
            if t_shape != p_shape:
                raise ValueError(
                    f"categorical_crossentropy expects one-hot targets of shape "
                    f"{_fmt(p_shape)} for {where}; received targets of shape "
                    f"{_fmt(t_shape)}. For integer labels use "
                    "sparse_categorical_crossentropy or kerasx.utils.to_categorical.")
        else:
            squeezed_t = t_shape[:-1] if t_shape[-1:] == (1,) else t_shape
            squeezed_p = p_shape[:-1] if p_shape[-1:] == (1,) else p_shape
            if t_shape != p_shape and squeezed_t != squeezed_p:
                raise ValueError(
                    f"Targets of shape {_fmt(t_shape)} do not match {where} of shape "
                    f"{_fmt(p_shape)} for loss {getattr(loss, 'name', type(loss).__name__)!r}.")
    if sample_weight is not None:
        for w in tree.flatten(sample_weight):
            if w is not None and np.shape(w)[0] != np.shape(tree.flatten(y)[0])[0]:
                raise ValueError(f"sample_weight has {np.shape(w)[0]} entries for a batch of "
                                 f"{np.shape(tree.flatten(y)[0])[0]} samples.")
