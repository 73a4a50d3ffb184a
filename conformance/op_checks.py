"""Conformance checks for the operations that are not functions of arrays:
conversion and creation, variables, gradients, devices and loops.

Each check takes the backend and a dtype and raises AssertionError on any
deviation from the contract.
"""
import numpy as np

from kerasx.backend.errors import DeviceNotAvailableError

ALL_DTYPES = ("float16", "float32", "float64", "int32", "int64", "bool")


def _same(got, want, what):
    got = np.asarray(got)
    assert got.dtype == want.dtype, f"{what}: dtype {got.dtype}, expected {want.dtype}"
    assert got.shape == want.shape, f"{what}: shape {got.shape}, expected {want.shape}"
    assert np.array_equal(got, want), f"{what}: got {got}, expected {want}"


def _sample(dtype):
    return np.array([[0.0, 1.5, -2.25], [3.0, -0.5, 7.0]]).astype(dtype)


def check_convert_to_tensor(ops, dtype):
    x = _sample(dtype)
    t = ops.convert_to_tensor(x)
    _same(ops.to_numpy(t), x, "numpy round trip")
    _same(ops.to_numpy(ops.convert_to_tensor(x.astype("float64"), dtype=dtype)), x,
          "with dtype")
    assert ops.to_numpy(ops.convert_to_tensor(t)).dtype == x.dtype, "tensor input"


def check_python_values(ops, dtype):
    assert ops.dtype(ops.convert_to_tensor(1.5)) == "float32", "Python float -> float32"
    assert ops.dtype(ops.convert_to_tensor([1, 2])) == "int32", "Python int -> int32"
    assert ops.dtype(ops.convert_to_tensor([True])) == "bool", "Python bool -> bool"
    _same(ops.to_numpy(ops.convert_to_tensor([[1.0, 2.0]], dtype="float64")),
          np.array([[1.0, 2.0]]), "list with dtype")


def check_to_numpy(ops, dtype):
    x = _sample(dtype)
    out = ops.to_numpy(ops.convert_to_tensor(x))
    assert isinstance(out, np.ndarray), f"to_numpy returned {type(out).__name__}"
    _same(out, x, "to_numpy")


def check_is_tensor(ops, dtype):
    assert ops.is_tensor(ops.convert_to_tensor(_sample(dtype)))
    assert not ops.is_tensor(_sample(dtype)), "a NumPy array is not a tensor"
    assert not ops.is_tensor(1.0), "a Python float is not a tensor"


def check_shape(ops, dtype):
    t = ops.zeros((2, 0, 3), dtype)
    assert ops.shape(t) == (2, 0, 3) and all(type(d) is int for d in ops.shape(t)), \
        f"shape {ops.shape(t)!r}"
    assert ops.shape(ops.convert_to_tensor(np.float64(2.0))) == ()


def check_ndim(ops, dtype):
    assert ops.ndim(ops.zeros((2, 1, 3), dtype)) == 3


def check_dtype(ops, dtype):
    assert ops.dtype(ops.convert_to_tensor(_sample(dtype))) == dtype


def check_cast(ops, dtype):
    src = np.array([-2.7, -0.5, 0.0, 0.5, 1.99, 3.0])
    for source_dtype in ("float32", "float64", "int32", "int64", "bool"):
        x = src.astype(source_dtype)
        want = x.astype(dtype)  # NumPy: floats truncate toward zero, bool is x != 0
        got = ops.to_numpy(ops.cast(ops.convert_to_tensor(x), dtype))
        _same(got, want, f"cast {source_dtype} -> {dtype}")


def check_zeros(ops, dtype):
    _same(ops.to_numpy(ops.zeros((2, 3), dtype)), np.zeros((2, 3), dtype), "zeros")


def check_ones(ops, dtype):
    _same(ops.to_numpy(ops.ones((3,), dtype)), np.ones((3,), dtype), "ones")


def check_full(ops, dtype):
    _same(ops.to_numpy(ops.full((2, 2), 1, dtype)), np.full((2, 2), 1, dtype), "full")


def check_zeros_like(ops, dtype):
    t = ops.convert_to_tensor(_sample(dtype))
    _same(ops.to_numpy(ops.zeros_like(t)), np.zeros((2, 3), dtype), "zeros_like")


def check_ones_like(ops, dtype):
    t = ops.convert_to_tensor(_sample(dtype))
    _same(ops.to_numpy(ops.ones_like(t)), np.ones((2, 3), dtype), "ones_like")


def check_arange(ops, dtype):
    if dtype == "bool":
        # Keras 3 refuses a boolean range on every backend (each framework's
        # own error); kerasx refuses it with one message everywhere.
        for args in ((5,), (0, 2)):
            try:
                ops.arange(*args, dtype=dtype)
            except ValueError as exc:
                assert "arange cannot make a range of dtype 'bool'" in str(exc), (
                    f"arange{args} with dtype bool: unclear error {exc}")
            else:
                raise AssertionError(f"arange{args} with dtype bool did not raise "
                                     "ValueError")
        return
    _same(ops.to_numpy(ops.arange(5, dtype=dtype)), np.arange(5).astype(dtype), "arange")
    _same(ops.to_numpy(ops.arange(1, 8, 3, dtype=dtype)),
          np.arange(1, 8, 3).astype(dtype), "arange step")
    assert ops.dtype(ops.arange(3)) == "int32", "arange default dtype"


def check_variable(ops, dtype):
    x = _sample(dtype)
    v = ops.variable(x)
    _same(ops.to_numpy(ops.variable_value(v)), x, "variable")
    v2 = ops.variable(x.astype("float64"), dtype=dtype, trainable=False, name="w")
    _same(ops.to_numpy(ops.variable_value(v2)), x, "variable with dtype")


check_variable_value = check_variable


def check_assign(ops, dtype):
    v = ops.variable(np.zeros((2, 3), dtype))
    new = _sample(dtype)
    ops.assign(v, ops.convert_to_tensor(new))
    _same(ops.to_numpy(ops.variable_value(v)), new, "assign")
    ops.assign(v, new.astype("float64"))
    _same(ops.to_numpy(ops.variable_value(v)), new, "assign from NumPy (cast)")
    scalar = ops.variable(np.zeros((), dtype))
    ops.assign(scalar, np.ones((), dtype))
    _same(ops.to_numpy(ops.variable_value(scalar)), np.ones((), dtype), "assign a 0-d variable")


def check_assign_add(ops, dtype):
    if dtype == "bool":
        return
    v = ops.variable(np.ones((2, 3), dtype))
    ops.assign_add(v, ops.convert_to_tensor(np.full((2, 3), 2, dtype)))
    _same(ops.to_numpy(ops.variable_value(v)), np.full((2, 3), 3, dtype), "assign_add")


def check_assign_sub(ops, dtype):
    if dtype == "bool":
        return
    v = ops.variable(np.full((2,), 5, dtype))
    ops.assign_sub(v, ops.convert_to_tensor(np.full((2,), 2, dtype)))
    _same(ops.to_numpy(ops.variable_value(v)), np.full((2,), 3, dtype), "assign_sub")


def check_value_and_grad(ops, dtype):
    if dtype not in ("float32", "float64"):
        return
    a = ops.variable(np.array([1.0, 2.0, 3.0], dtype))
    b = ops.variable(np.array([[0.5], [-1.0]], dtype))
    unused = ops.variable(np.array([4.0, 5.0], dtype))
    frozen = ops.variable(np.array([2.0], dtype), trainable=False)

    def f():
        av, bv = ops.variable_value(a), ops.variable_value(b)
        fv = ops.variable_value(frozen)
        return ops.add(ops.sum(ops.multiply(ops.square(av), fv)),
                       ops.sum(ops.multiply(bv, 3.0)))

    value, grads = ops.value_and_grad(f, [a, b, unused])
    assert abs(float(ops.to_numpy(value)) - (2 * 14.0 - 1.5)) < 1e-6, "value"
    want = [np.array([4.0, 8.0, 12.0], dtype), np.full((2, 1), 3.0, dtype),
            np.zeros((2,), dtype)]
    for got, exp, what in zip(grads, want, ("a", "b", "unused")):
        _same(ops.to_numpy(got), exp, f"gradient of {what}")
    # Gradients do not accumulate across calls, and see updated values.
    ops.assign(a, np.array([0.0, 1.0, 0.0], dtype))
    _, grads = ops.value_and_grad(f, [a])
    _same(ops.to_numpy(grads[0]), np.array([0.0, 4.0, 0.0], dtype), "second call")


def check_stop_gradient(ops, dtype):
    if dtype not in ("float32", "float64"):
        return
    x = ops.variable(np.array([1.0, -2.0], dtype))

    def f():
        xv = ops.variable_value(x)
        return ops.sum(ops.add(ops.multiply(ops.stop_gradient(xv), xv), xv))

    value, (g,) = ops.value_and_grad(f, [x])
    # d/dx [c * x + x] with c = x held constant: c + 1.
    _same(ops.to_numpy(g), np.array([2.0, -1.0], dtype), "stop_gradient")
    assert float(ops.to_numpy(value)) == 4.0


def check_list_devices(ops, dtype):
    devices = ops.list_devices()
    assert "cpu:0" in devices, f"list_devices() = {devices!r} lacks cpu:0"
    assert all(d.split(":")[0] in ("cpu", "gpu") for d in devices), devices


def check_device_scope(ops, dtype):
    with ops.device_scope("cpu:0"):
        t = ops.ones((2,), dtype)
    _same(ops.to_numpy(t), np.ones((2,), dtype), "tensor made in cpu scope")


def check_device(ops, dtype):
    with ops.device("cpu"):
        v = ops.variable(np.ones((2,), dtype))
    _same(ops.to_numpy(ops.variable_value(v)), np.ones((2,), dtype), "device('cpu')")
    missing = f"gpu:{len(ops.list_devices()) + 7}"
    try:
        with ops.device(missing):
            pass
    except DeviceNotAvailableError as exc:
        assert "cpu:0" in str(exc), f"the error should list the devices: {exc}"
    else:
        raise AssertionError(f"device({missing!r}) did not raise DeviceNotAvailableError")
    try:
        ops.device("tpu-ish")
    except ValueError:
        pass
    else:
        raise AssertionError("device('tpu-ish') did not raise ValueError")


def check_adam_update(ops, dtype):
    """Keras's Adam step on two variables of different shapes, twice, against
    NumPy float64, and bit for bit against the contract's composite (a plugin's
    multi-tensor kernels must run the same element-wise sequence)."""
    if dtype not in ("float32", "float64"):
        return
    from kerasx.backend.contract import Backend

    rng = np.random.default_rng(7)
    shapes = [(3, 4), (5,)]
    start = [rng.standard_normal(s).astype(dtype) for s in shapes]
    grads = [[rng.standard_normal(s).astype(dtype) for s in shapes] for _ in range(2)]
    results = []
    for update in (ops.adam_update, lambda *a: Backend.adam_update(ops, *a)):
        ws = [ops.variable(w) for w in start]
        ms = [ops.variable(np.zeros(s, dtype), trainable=False) for s in shapes]
        vs = [ops.variable(np.zeros(s, dtype), trainable=False) for s in shapes]
        for step, gs in enumerate(grads):
            alpha = ops.convert_to_tensor(np.asarray(0.01 * (step + 1), dtype))
            update(ws, [ops.convert_to_tensor(g) for g in gs], ms, vs, alpha, 0.9, 0.999, 1e-7)
        results.append([np.asarray(ops.to_numpy(w)) for w in ws + ms + vs])
    want_w = [w.astype("float64") for w in start]
    want_m = [np.zeros(s) for s in shapes]
    want_v = [np.zeros(s) for s in shapes]
    for step, gs in enumerate(grads):
        for i, g in enumerate(gs):
            g = g.astype("float64")
            want_m[i] += (g - want_m[i]) * 0.1
            want_v[i] += (g * g - want_v[i]) * (1 - 0.999)
            want_w[i] -= want_m[i] * 0.01 * (step + 1) / (np.sqrt(want_v[i]) + 1e-7)
    tol = 1e-10 if dtype == "float64" else 1e-5
    for got, want in zip(results[0], want_w + want_m + want_v):
        dev = np.max(np.abs(got - want)) / np.max(np.abs(want))
        assert dev <= tol, f"adam_update deviates by {dev:.2e} from the formula"
    for fused, composite in zip(*results):
        assert np.array_equal(fused, composite), \
            "adam_update differs from the contract's composite (bit for bit)"


def check_compile_function(ops, dtype):
    """Every mode the backend compiles computes what eager execution does:
    values, gradients and variable updates (a 0-d one included), call after
    call, with a fed input changing between calls."""
    if dtype not in ("float32", "float64"):
        return
    tol = 1e-10 if dtype == "float64" else 1e-5
    x = np.array([[1.0, -2.0], [0.5, 3.0], [-1.5, 0.25]], dtype)
    w0 = np.array([[0.5, -1.0], [2.0, 0.25]], dtype)
    for jit_compile in (False, True, "auto"):
        w = ops.variable(w0)
        count = ops.variable(np.array(0.0, dtype), trainable=False)

        def step(data):
            def loss():
                out = ops.add(ops.matmul(data["x"], ops.variable_value(w)), data["noise"])
                return ops.sum(ops.square(out))

            value, (grad,) = ops.value_and_grad(loss, [w])
            ops.assign_sub(w, ops.multiply(grad, 0.01))
            ops.assign_add(count, 1.0)
            return {"loss": value, "grad": grad}

        compiled = ops.compile_function(step, jit_compile)
        if compiled is None:
            continue
        want_w = w0.astype("float64")
        for call in range(3):
            noise = np.full((3, 2), 0.1 * call, dtype)
            got = compiled({"x": ops.convert_to_tensor(x), "noise": ops.convert_to_tensor(noise)})
            residual = x.astype("float64") @ want_w + noise
            want = {"loss": np.sum(residual ** 2), "grad": 2 * x.T.astype("float64") @ residual}
            want_w = want_w - 0.01 * want["grad"]
            for key in ("loss", "grad"):
                g = np.asarray(ops.to_numpy(got[key]), "float64")
                dev = np.max(np.abs(g - want[key])) / np.max(np.abs(want[key]))
                assert dev <= tol, f"jit_compile={jit_compile!r} call {call}: {key} dev {dev:.2e}"
            dev = np.max(np.abs(np.asarray(ops.to_numpy(w), "float64") - want_w))
            assert dev <= tol * np.max(np.abs(want_w)), f"jit_compile={jit_compile!r}: weights"
            assert float(ops.to_numpy(count)) == call + 1, \
                f"jit_compile={jit_compile!r}: 0-d variable update lost ({ops.to_numpy(count)})"


def _modes(ops, fn):
    """`fn` eagerly, then compiled in every mode the backend compiles."""
    yield "eager", fn
    for jit_compile in (False, True, "auto"):
        compiled = ops.compile_function(fn, jit_compile)
        if compiled is not None:
            yield f"jit_compile={jit_compile!r}", compiled


def _rnn_reference(x, h0, w, r, reverse):
    """h_t = tanh(x_t + h_{t-1} @ w) over the leading axis of `x` (last
    first when `reverse`), in float64; returns (final h, hs in x's order,
    d/dw of sum(hs * r) + sum(final h), by backpropagation through time)."""
    order = list(range(len(x)))[::-1] if reverse else list(range(len(x)))
    hs, h, prev = np.zeros_like(x), h0, {}
    for t in order:
        prev[t] = h
        h = np.tanh(x[t] + h @ w)
        hs[t] = h
    grad_w, dh = np.zeros_like(w), np.ones_like(h0)
    for t in order[::-1]:
        dz = (dh + r[t]) * (1 - hs[t] ** 2)
        grad_w += prev[t].T @ dz
        dh = dz @ w.T
    return h, hs, grad_w


def check_scan(ops, dtype):
    """scan against a float64 reference, eagerly and compiled: a recurrence
    over xs with a tuple carry (its gradient w.r.t. a closed-over variable
    too), forward and reverse; a length-only integer scan."""
    if dtype in ("float32", "float64"):
        tol = 1e-10 if dtype == "float64" else 1e-5
        rng = np.random.default_rng(7)
        x = rng.standard_normal((5, 2, 3)).astype(dtype)
        w0 = (0.5 * rng.standard_normal((3, 3))).astype(dtype)
        r = rng.standard_normal((5, 2, 3)).astype(dtype)
        w = ops.variable(w0)
        for reverse in (False, True):
            def step(data):
                def loss():
                    def f(carry, x_t):
                        h, steps = carry
                        h = ops.tanh(ops.add(x_t, ops.matmul(h, ops.variable_value(w))))
                        return (h, ops.add(steps, 1.0)), h
                    (h, steps), hs = ops.scan(f, (data["h0"], data["s0"]), data["x"],
                                              reverse=reverse)
                    return ops.add(ops.sum(ops.multiply(hs, data["r"])), ops.sum(h))
                value, (grad,) = ops.value_and_grad(loss, [w])
                return value, grad

            data = {"x": ops.convert_to_tensor(x), "r": ops.convert_to_tensor(r),
                    "h0": ops.zeros((2, 3), dtype), "s0": ops.zeros((), dtype)}
            h, hs, want_grad = _rnn_reference(x.astype("float64"), np.zeros((2, 3)),
                                              w0.astype("float64"), r, reverse)
            want_loss = np.sum(hs * r) + np.sum(h)
            for mode, fn in _modes(ops, step):
                value, grad = fn(data)
                for what, got, want in (("loss", value, want_loss), ("gradient", grad,
                                                                     want_grad)):
                    got = np.asarray(ops.to_numpy(got), "float64")
                    dev = np.max(np.abs(got - want)) / np.max(np.abs(want))
                    assert dev <= tol, f"scan reverse={reverse} {mode}: {what} dev {dev:.2e}"
    if dtype in ("int32", "int64"):
        def count(_):
            def f(carry, _):
                i, total = carry
                return (ops.add(i, 1), ops.add(total, ops.multiply(i, i))), ops.multiply(i, 2)
            start = ops.convert_to_tensor(np.array(1, dtype))
            return ops.scan(f, (start, ops.zeros((), dtype)), length=4)

        for mode, fn in _modes(ops, count):
            (i, total), ys = fn({})
            _same(ops.to_numpy(i), np.array(5, dtype), f"scan length-only {mode}: counter")
            _same(ops.to_numpy(total), np.array(30, dtype), f"scan length-only {mode}: sum")
            _same(ops.to_numpy(ys), np.array([2, 4, 6, 8], dtype),
                  f"scan length-only {mode}: outputs")


def check_while_loop(ops, dtype):
    """while_loop eagerly and compiled: a tuple of loop variables, a single
    one, and maximum_iterations."""
    if dtype not in ("float32", "float64", "int32"):
        return

    def loops(data):
        pair = ops.while_loop(lambda i, v: ops.less(i, 5),
                              lambda i, v: (ops.add(i, 1), ops.multiply(v, 2)),
                              (data["i"], data["v"]))
        single = ops.while_loop(lambda v: ops.less(ops.sum(v), 100),
                                lambda v: ops.add(v, 3), data["v"])
        capped = ops.while_loop(lambda i, v: ops.less(i, 5),
                                lambda i, v: (ops.add(i, 1), ops.add(v, 1)),
                                [data["i"], data["v"]], maximum_iterations=2)
        return pair, single, capped

    v = np.array([1, 2], dtype)
    want_single = v
    while want_single.sum() < 100:
        want_single = want_single + np.array(3, dtype)
    data = {"i": ops.convert_to_tensor(np.array(0, "int32")), "v": ops.convert_to_tensor(v)}
    for mode, fn in _modes(ops, loops):
        (i, doubled), single, capped = fn(data)
        assert isinstance(capped, tuple), f"while_loop {mode}: a list gives a tuple"
        _same(ops.to_numpy(i), np.array(5, "int32"), f"while_loop {mode}: counter")
        _same(ops.to_numpy(doubled), v * 32, f"while_loop {mode}: tuple")
        _same(ops.to_numpy(single), want_single, f"while_loop {mode}: single value")
        _same(ops.to_numpy(capped[1]), v + 2, f"while_loop {mode}: maximum_iterations")


def check_fori_loop(ops, dtype):
    """fori_loop eagerly and compiled, with Python int bounds (a scan) and
    tensor bounds (a while loop)."""
    if dtype not in ("float32", "float64", "int32"):
        return

    def loops(data):
        def body(i, v):
            return ops.add(ops.multiply(v, 2), ops.cast(i, dtype))
        return (ops.fori_loop(1, 4, body, data["v"]),
                ops.fori_loop(data["lower"], data["upper"], body, data["v"]))

    v = np.array([1, -2], dtype)
    want = v
    for i in range(1, 4):
        want = want * 2 + np.array(i, dtype)
    data = {"v": ops.convert_to_tensor(v),
            "lower": ops.convert_to_tensor(np.array(1, "int32")),
            "upper": ops.convert_to_tensor(np.array(4, "int32"))}
    for mode, fn in _modes(ops, loops):
        static, dynamic = fn(data)
        _same(ops.to_numpy(static), want, f"fori_loop {mode}: int bounds")
        _same(ops.to_numpy(dynamic), want, f"fori_loop {mode}: tensor bounds")


def check_run_eagerly(ops, dtype):
    """run_eagerly calls the function on the tensor, at each call."""
    if dtype not in ("float32", "float64"):
        return
    calls = []

    def fn(t):
        calls.append(1)
        return ops.multiply(t, float(len(calls)))

    x = ops.convert_to_tensor(_sample(dtype))
    for count in (1, 2):
        out = ops.run_eagerly(fn, x, (2, 3), dtype)
        assert tuple(ops.shape(out)) == (2, 3)
        _same(ops.to_numpy(out), _sample(dtype) * np.asarray(count, dtype), "run_eagerly")
    pair = ops.run_eagerly(lambda ts: [ops.negative(ts[1]), ts[0]], [x, ops.multiply(x, 2.0)],
                           [(2, 3), (2, 3)], [dtype, dtype])
    _same(ops.to_numpy(pair[0]), _sample(dtype) * np.asarray(-2, dtype), "run_eagerly list")
    _same(ops.to_numpy(pair[1]), _sample(dtype), "run_eagerly list")


#: op name -> (check, dtypes it runs for)
CHECKS = {
    name[len("check_"):]: fn for name, fn in dict(globals()).items()
    if name.startswith("check_") and callable(fn) and name != "check_python_values"
}
# The contract's families, each in its own module.
from .op_checks_array import check_view  # noqa: E402
from .op_checks_control import (check_associative_scan, check_cond,  # noqa: E402
                                check_custom_gradient, check_jvp, check_map,
                                check_rematerialize, check_switch, check_vectorize,
                                check_vectorized_map)

CHECKS.update(cond=check_cond, switch=check_switch, map=check_map,
              vectorized_map=check_vectorized_map, associative_scan=check_associative_scan,
              custom_gradient=check_custom_gradient, jvp=check_jvp,
              rematerialize=check_rematerialize, vectorize=check_vectorize,
              view=check_view)
CHECKS["convert_to_tensor"] = lambda ops, dtype: (check_convert_to_tensor(ops, dtype),
                                                   check_python_values(ops, dtype))

from .op_checks_linalg import LINALG_CHECKS  # noqa: E402

CHECKS.update(LINALG_CHECKS)
