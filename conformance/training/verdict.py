"""The bars of issue 4 and the comparison of two runs.

float64: per-step loss relative deviation <= 1e-10, final weights max
absolute deviation <= 1e-10. float32: per-step loss relative deviation <=
1e-4, final weights <= 1e-5 (cnn with SGD and every model without
BatchNormalization) or <= 1e-3 (BatchNormalization + Adam), the same predicted
class on >= 99.9% of the held-out samples. The bars are never loosened: a
miss is a bug to find (see `localise`).
"""
import numpy as np

from .models import BN_ADAM

LOSS_REL = {"float64": 1e-10, "float32": 1e-4}
WEIGHT_ABS = {"float64": 1e-10, "float32": 1e-5}
WEIGHT_ABS_BN_ADAM = {"float64": 1e-10, "float32": 1e-3}
SAME_CLASS = 0.999
#: Localisation: normwise relative deviation max|a - b| / max|b| of a layer's
#: forward output or weight gradient beyond which it is reported (the op
#: conformance tolerances).
LAYER_TOL = {"float64": 1e-10, "float32": 1e-5}


def bars(model, dtype):
    """The bars a comparison of `model` in `dtype` is held to."""
    weights = (WEIGHT_ABS_BN_ADAM if model in BN_ADAM else WEIGHT_ABS)[dtype]
    return {"loss_rel": LOSS_REL[dtype], "weight_abs": weights,
            "same_class": SAME_CLASS if dtype == "float32" else None}


def weights_of(npz, prefix="w"):
    n = sum(1 for k in npz.files if k.startswith(prefix) and k[len(prefix):].isdigit())
    return [npz[f"{prefix}{i}"] for i in range(n)]


def compare(a, b, model, dtype, held_to=None):
    """Deviation of run `a` from run `b` (their .npz contents) against the
    bars of `held_to` (default: `dtype`).

    Returns a dict: loss_rel (max over steps), loss_rel_steps (per step),
    first_step (first step over the bar, or None), weight_abs, worst_weight
    (index), same_class, bars, passed, failures (list of str).
    """
    bar = bars(model, held_to or dtype)
    la, lb = np.asarray(a["step_loss"], "float64"), np.asarray(b["step_loss"], "float64")
    failures = []
    if la.shape != lb.shape:
        return {"passed": False, "failures": [f"step counts differ: {la.size} vs {lb.size}"],
                "bars": bar, "loss_rel": float("inf"), "weight_abs": float("inf"),
                "same_class": 0.0, "loss_rel_steps": [], "first_step": 0}
    rel = np.abs(la - lb) / np.maximum(np.abs(lb), np.finfo("float64").tiny)
    over = np.nonzero(~(rel <= bar["loss_rel"]))[0]
    wa, wb = weights_of(a), weights_of(b)
    devs = [float(np.max(np.abs(x.astype("float64") - y.astype("float64")), initial=0.0))
            if x.shape == y.shape else float("inf") for x, y in zip(wa, wb)]
    if len(wa) != len(wb):
        devs.append(float("inf"))
    wdev = max(devs, default=0.0)
    same = float(np.mean(np.argmax(a["pred"], -1) == np.argmax(b["pred"], -1)))
    if over.size:
        failures.append(f"loss rel dev {rel.max():.2e} > {bar['loss_rel']:g} "
                        f"(first at step {int(over[0])})")
    if not wdev <= bar["weight_abs"]:
        failures.append(f"weight abs dev {wdev:.2e} > {bar['weight_abs']:g} "
                        f"(weight {int(np.argmax(devs))})")
    if bar["same_class"] is not None and same < bar["same_class"]:
        failures.append(f"same class {same:.2%} < {bar['same_class']:.1%}")
    return {"loss_rel": float(rel.max(initial=0.0)), "loss_rel_steps": rel.tolist(),
            "first_step": int(over[0]) if over.size else None,
            "weight_abs": wdev, "worst_weight": int(np.argmax(devs)) if devs else None,
            "same_class": same, "bars": bar, "passed": not failures,
            "failures": failures}


def _normwise(x, y):
    x, y = np.asarray(x, "float64"), np.asarray(y, "float64")
    if x.shape != y.shape:
        return float("inf"), None
    diff = np.abs(x - y)
    scale = max(float(np.max(np.abs(y), initial=0.0)), np.finfo("float64").tiny)
    idx = np.unravel_index(int(np.argmax(diff)), diff.shape) if diff.size else None
    return float(np.max(diff, initial=0.0)) / scale, idx


def localise(pa, pb, meta_a, dtype):
    """The first layer whose forward output, then (walking back from the
    loss) the first layer whose weight gradient, differs beyond LAYER_TOL
    between probes `pa` and `pb` (computed from identical weights on the
    same batch).

    Returns a dict: where ("forward" / "gradient" / None), layer, the
    relative deviation, the index and both values, the start-of-step weight
    deviation, and a per-layer list.
    """
    tol = LAYER_TOL[dtype]
    per_layer, found = [], None
    for k, name in enumerate(meta_a["layers"]):
        dev, idx = _normwise(pa[f"out{k}"], pb[f"out{k}"])
        entry = {"layer": name, "kind": "forward", "rel_dev": dev}
        per_layer.append(entry)
        if found is None and not dev <= tol:
            found = dict(entry, index=[int(i) for i in idx] if idx else None,
                         a=float(pa[f"out{k}"][idx]) if idx else None,
                         b=float(pb[f"out{k}"][idx]) if idx else None)
    grads = meta_a["grads"]
    index = {}
    j = 0
    for k, name, wname in grads:  # grads are listed in trainable order
        index.setdefault(k, []).append((j, wname))
        j += 1
    for k in sorted(index, reverse=True):
        for j, wname in index[k]:
            key = f"grad{j}"
            if key not in pa.files:
                continue
            dev, idx = _normwise(pa[key], pb[key])
            entry = {"layer": meta_a["layers"][k], "weight": wname, "kind": "gradient",
                     "rel_dev": dev}
            per_layer.append(entry)
            if found is None and not dev <= tol:
                found = dict(entry, index=[int(i) for i in idx] if idx else None,
                             a=float(pa[key][idx]) if idx else None,
                             b=float(pb[key][idx]) if idx else None)
    own_a, own_b = weights_of(pa, "own"), weights_of(pb, "own")
    start_dev = max((float(np.max(np.abs(x - y), initial=0.0))
                     for x, y in zip(own_a, own_b)), default=0.0)
    result = {"step": meta_a["step"], "tolerance": tol, "start_weight_abs": start_dev,
              "per_layer": per_layer}
    if found:
        result.update(where=found["kind"], **{k: v for k, v in found.items() if k != "kind"})
    else:
        result.update(where=None, note=(
            "from identical weights every layer's forward output and weight gradient "
            "agree within tolerance: the deviation comes from the optimizer update or "
            f"from weights that had already drifted by {start_dev:.2e} before this step"))
    return result
