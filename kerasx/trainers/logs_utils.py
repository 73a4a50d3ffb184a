"""Logs as Keras 3 orders them: dicts by sorted name (Keras's
pythonify_logs), validation entries after the training ones, and lists in
the order of the model's metrics then the remaining names sorted."""


def sorted_logs(logs):
    """A copy of `logs` with its keys sorted (the order of Keras 3's logs,
    history and evaluate(return_dict=True))."""
    return {key: logs[key] for key in sorted(logs)}


def with_validation(logs, val_logs):
    """Training logs followed by the validation logs prefixed with `val_`."""
    out = dict(logs)
    out.update({f"val_{key}": value for key, value in sorted_logs(val_logs).items()})
    return out


def flatten_logs(logs, ordered_names):
    """The values of `logs` as evaluate() returns them: `ordered_names`
    first (the loss, the compiled metrics, the per-output losses), then the
    other names sorted; a single value is returned alone."""
    names = [name for name in dict.fromkeys(ordered_names) if name in logs]
    names += sorted(key for key in logs if key not in names)
    values = [logs[name] for name in names]
    return values[0] if len(values) == 1 else values
