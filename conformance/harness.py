"""Runs one op conformance case on one backend and judges it.

Forward values are compared with the NumPy float64 reference (evaluated on the
very inputs the backend saw, after rounding to the case's dtype). Gradients of
sum(output * W), for a random W, are compared with central finite differences
of the reference, refined by Richardson extrapolation, in float64.

Error measure: normwise relative, max|got - want| / max|want|, over the whole
output (exact equality for bool and integer outputs).
"""
import dataclasses
import zlib

import numpy as np

from kerasx.backend.errors import UnsupportedOperationError

from . import reference
from .inputs import Spec, generate
from .op_cases import DTYPE, Py

#: Forward and gradient tolerances, normwise relative, per dtype.
TOLERANCE = {"float64": 1e-10, "float32": 1e-5}


@dataclasses.dataclass
class Outcome:
    status: str  # "pass", "fail" or "unsupported"
    detail: str = ""
    error: float = 0.0


class CaseFailure(AssertionError):
    pass


def normwise_error(got, want):
    got, want = np.asarray(got, np.float64), np.asarray(want, np.float64)
    if got.shape != want.shape:
        return np.inf
    both_inf = np.isinf(want) & (got == want)
    diff = np.where(both_inf, 0.0, np.abs(got - want))
    if np.isnan(diff).any():
        return np.inf
    scale = np.max(np.abs(np.where(np.isinf(want), 0.0, want)), initial=0.0)
    peak = np.max(diff, initial=0.0)
    if peak == 0.0:
        return 0.0
    return peak / scale if scale > 0 else np.inf


def _flatten(value):
    if isinstance(value, (tuple, list)):
        return [leaf for item in value for leaf in _flatten(item)]
    return [value]


def _to_channels_first(x):
    return np.moveaxis(x, -1, 1)


def _to_channels_last(x):
    return np.moveaxis(x, 1, -1)


class CaseRun:
    """Materialised inputs of one case for one dtype and data format."""

    def __init__(self, case, dtype, data_format):
        self.case, self.dtype, self.data_format = case, dtype, data_format
        seed = zlib.crc32(case.id.encode())
        rng = np.random.default_rng(seed)
        self.values = [self._materialise(arg, rng) for arg in case.args]
        self.rng = rng
        self.kwargs = {k: dtype if v == DTYPE else v for k, v in case.kwargs.items()}
        if case.spatial:
            self.kwargs["data_format"] = data_format

    def _materialise(self, arg, rng):
        if isinstance(arg, Py):
            return arg
        if isinstance(arg, list):
            return [self._materialise(a, rng) for a in arg]
        x = generate(arg, rng)
        cast_to = arg.params.get("dtype") if isinstance(arg, Spec) else None
        if x.dtype.kind == "f" and cast_to is None or cast_to == "float64":
            if self.dtype in ("float16", "float32", "float64"):
                x = x.astype(self.dtype)
        return x

    # -- layout --------------------------------------------------------------
    def _backend_layout(self, index, x):
        if self.data_format == "channels_first" and index in self.case.image_args:
            return _to_channels_first(x)
        return x

    def _output_layout(self, x):
        if self.data_format == "channels_first" and self.case.spatial:
            return _to_channels_last(x)
        return x

    # -- reference -----------------------------------------------------------
    def reference_args(self, overrides=None):
        out = []
        for i, v in enumerate(self.values):
            if overrides and i in overrides:
                v = overrides[i]
            if isinstance(v, Py):
                out.append(v.value)
            elif isinstance(v, list):
                out.append([_f64(a) for a in v])
            else:
                out.append(_f64(v))
        return out

    def reference(self, args=None):
        fn = getattr(reference, self.case.op)
        kwargs = {k: v for k, v in self.kwargs.items() if k != "data_format"}
        return [np.asarray(o) for o in _flatten(fn(*(args or self.reference_args()),
                                                   **kwargs))]

    # -- backend ---------------------------------------------------------------
    def backend_args(self, ops, leaves=None):
        """Backend arguments; `leaves` maps (arg, element) -> tensor override."""
        out = []
        for i, v in enumerate(self.values):
            if isinstance(v, Py):
                out.append(v.value)
            elif isinstance(v, list):
                out.append([leaves[(i, j)] if leaves and (i, j) in leaves
                            else ops.convert_to_tensor(self._backend_layout(i, a))
                            for j, a in enumerate(v)])
            elif leaves and (i, None) in leaves:
                out.append(leaves[(i, None)])
            else:
                out.append(ops.convert_to_tensor(self._backend_layout(i, v)))
        return out

    def call(self, ops, args):
        return _flatten(getattr(ops, self.case.op)(*args, **self.kwargs))


def _f64(x):
    return x.astype(np.float64) if x.dtype.kind == "f" else x


def _expected_dtype(ref, dtype):
    return dtype if ref.dtype.kind == "f" else ref.dtype.name


def check_forward(ops, run):
    outs = run.call(ops, run.backend_args(ops))
    refs = run.reference()
    if len(outs) != len(refs):
        raise CaseFailure(f"returned {len(outs)} outputs, expected {len(refs)}")
    worst = 0.0
    for k, (out, ref) in enumerate(zip(outs, refs)):
        got = run._output_layout(ops.to_numpy(out))
        want_dtype = _expected_dtype(ref, run.dtype)
        if got.dtype.name != want_dtype:
            raise CaseFailure(f"output {k}: dtype {got.dtype.name}, expected {want_dtype}")
        if got.shape != ref.shape:
            raise CaseFailure(f"output {k}: shape {got.shape}, expected {ref.shape}")
        if ref.dtype.kind == "f":
            err = normwise_error(got, ref)
            worst = max(worst, err)
            if not err <= TOLERANCE[run.dtype]:
                raise CaseFailure(
                    f"output {k}: normwise error {err:.3g} > {TOLERANCE[run.dtype]:g}; "
                    f"got {_show(got)}, want {_show(ref)}")
        elif not np.array_equal(got, ref):
            raise CaseFailure(f"output {k}: got {_show(got)}, want {_show(ref)}")
    return worst


def _leaf_positions(run):
    positions = []
    for i in run.case.grad:
        v = run.values[i]
        if isinstance(v, list):
            positions += [(i, j) for j in range(len(v))]
        else:
            positions.append((i, None))
    return positions


def _leaf_value(run, pos):
    i, j = pos
    return run.values[i][j] if j is not None else run.values[i]


def check_gradient(ops, run):
    positions = _leaf_positions(run)
    refs = run.reference()
    weights = [run.rng.standard_normal(r.shape) if r.dtype.kind == "f" else None
               for r in refs]

    def backend_layout_of(pos, x):
        return run._backend_layout(pos[0], x)

    variables = [ops.variable(backend_layout_of(p, _leaf_value(run, p))) for p in positions]
    weight_tensors = [
        None if w is None else ops.convert_to_tensor(
            (_to_channels_first(w) if run.data_format == "channels_first"
             and run.case.spatial else w).astype(run.dtype))
        for w in weights]

    def loss():
        leaves = {p: ops.variable_value(v) for p, v in zip(positions, variables)}
        outs = run.call(ops, run.backend_args(ops, leaves))
        total = None
        for out, w in zip(outs, weight_tensors):
            if w is None:
                continue
            term = ops.sum(ops.multiply(out, w))
            total = term if total is None else ops.add(total, term)
        return total

    value, grads = ops.value_and_grad(loss, variables)
    want_value = sum(float(np.sum(r * w)) for r, w in zip(refs, weights) if w is not None)
    tol = TOLERANCE[run.dtype]
    scale = sum(float(np.sum(np.abs(r * w))) for r, w in zip(refs, weights) if w is not None)
    got_value = float(ops.to_numpy(value))
    if not abs(got_value - want_value) <= tol * max(scale, 1e-300):
        raise CaseFailure(f"loss value {got_value!r}, reference {want_value!r}")
    worst = 0.0
    for pos, grad in zip(positions, grads):
        got = ops.to_numpy(grad)
        if pos[0] in run.case.image_args and run.data_format == "channels_first":
            got = _to_channels_last(got)
        want = finite_difference(run, pos, weights)
        if got.dtype.name != run.dtype:
            raise CaseFailure(f"gradient of argument {pos}: dtype {got.dtype.name}, "
                              f"expected {run.dtype}")
        err = normwise_error(got, want)
        worst = max(worst, err)
        if not err <= tol:
            raise CaseFailure(
                f"gradient of argument {pos}: normwise error {err:.3g} > {tol:g}; "
                f"got {_show(got)}, want {_show(want)}")
    return worst


def finite_difference(run, pos, weights):
    """d/dx of sum(reference(x) * W) for the leaf at `pos`, in float64.

    Central differences at steps h and h/2 combined by Richardson
    extrapolation (error O(h^4)); outputs are subtracted element-wise before
    the weighted sum so that unaffected outputs cancel exactly.
    """
    base = _f64(_leaf_value(run, pos))
    grad = np.zeros(base.shape)
    i, j = pos

    def evaluate(x):
        if j is None:
            override = {i: x}
        else:
            items = list(run.values[i])
            items[j] = x
            override = {i: items}
        return run.reference(run.reference_args(override))

    # The step follows |x| (accuracy near the singularities of log, divide and
    # sqrt, whose inputs stay well away from 0) but not below a tenth of the
    # argument's scale (rounding error grows as |output| / h).
    floor = max(0.1 * float(np.max(np.abs(base), initial=0.0)), 1e-3)
    for index in np.ndindex(base.shape):
        h = 1e-3 * max(abs(base[index]), floor)
        estimates = []
        for step in (h, h / 2):
            plus, minus = base.copy(), base.copy()
            plus[index] += step
            minus[index] -= step
            total = 0.0
            for up, down, w in zip(evaluate(plus), evaluate(minus), weights):
                if w is not None:
                    total += float(np.sum((up - down) * w))
            estimates.append(total / (2 * step))
        grad[index] = (4 * estimates[1] - estimates[0]) / 3
    return grad


def _show(x, limit=6):
    flat = np.asarray(x).ravel()
    text = np.array2string(flat[:limit], precision=10, separator=", ")
    return text[:-1] + ", ...]" if flat.size > limit else text


def run_case(ops, case, dtype, data_format="channels_last"):
    """Judge `case` on backend `ops`; returns an Outcome."""
    try:
        run = CaseRun(case, dtype, data_format)
        error = check_forward(ops, run)
        if case.grad and dtype in TOLERANCE:
            error = max(error, check_gradient(ops, run))
        return Outcome("pass", error=error)
    except UnsupportedOperationError as exc:
        return Outcome("unsupported", str(exc))
    except CaseFailure as exc:
        return Outcome("fail", str(exc))
    except Exception as exc:  # a crash inside the plugin is a failure, with its cause
        return Outcome("fail", f"{type(exc).__name__}: {exc}")


def variants(case):
    """(dtype, data_format) pairs a case runs in."""
    formats = ("channels_last", "channels_first") if case.spatial else ("channels_last",)
    return [(d, f) for d in case.dtypes for f in formats]
