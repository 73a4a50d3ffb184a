"""Op conformance checks of the control family (kerasx/backend/contract_control.py):
functions of functions, checked eagerly and compiled ("auto") against NumPy."""
import numpy as np


def _modes(ops, fn):
    yield "eager", fn
    compiled = ops.compile_function(fn, "auto")
    if compiled is not None:
        yield "compiled", compiled


def _close(got, want, dtype, what):
    got = np.asarray(got, np.float64)
    tol = 1e-10 if dtype == "float64" else 1e-5
    dev = np.max(np.abs(got - want)) / max(np.max(np.abs(want)), 1e-30)
    assert got.shape == np.shape(want) and dev <= tol, f"{what}: deviation {dev:.2e}"


def _data(dtype):
    return np.random.default_rng(3).standard_normal((5, 3)).astype(dtype)


def check_cond(ops, dtype):
    """Both branches, chosen by a tensor predicate computed in the step."""
    if dtype not in ("float32", "float64"):
        return
    x = _data(dtype)
    for sign in (1.0, -1.0):
        data = x * sign

        def step(t):
            return ops.cond(ops.greater(ops.sum(t), 0.0), lambda: ops.exp(t),
                            lambda: ops.negative(t))

        want = np.exp(data) if data.sum() > 0 else -data
        for mode, fn in _modes(ops, step):
            _close(ops.to_numpy(fn(ops.convert_to_tensor(data))), want, dtype, f"cond {mode}")


def check_switch(ops, dtype):
    """The branch of a tensor index (clamped), with operands."""
    if dtype not in ("int32", "int64"):
        return
    x = np.arange(6).reshape(2, 3).astype(dtype)
    branches = [lambda a: ops.add(a, 1), lambda a: ops.multiply(a, 3),
                lambda a: ops.negative(a)]
    for index, want in ((0, x + 1), (1, x * 3), (7, -x)):
        def step(i, t):
            return ops.switch(i, branches, t)

        for mode, fn in _modes(ops, step):
            got = ops.to_numpy(fn(ops.convert_to_tensor(np.array(index, "int32")),
                                  ops.convert_to_tensor(x)))
            assert got.dtype == x.dtype and (got == want).all(), f"switch {mode}: {got}"


def check_map(ops, dtype):
    """A structure mapped over its leading axis."""
    if dtype not in ("float32", "float64"):
        return
    x = _data(dtype)

    def step(t):
        return ops.map(lambda d: ops.add(ops.cumsum(d["a"]), d["b"]),
                       {"a": t, "b": ops.sum(t, axis=1)})

    want = np.cumsum(x.astype("float64"), axis=1) + x.sum(axis=1, keepdims=True)
    for mode, fn in _modes(ops, step):
        _close(ops.to_numpy(fn(ops.convert_to_tensor(x))), want, dtype, f"map {mode}")


def check_vectorized_map(ops, dtype):
    if dtype not in ("float32", "float64"):
        return
    x = _data(dtype)

    def step(t):
        return ops.vectorized_map(lambda row: ops.multiply(row, ops.max(row)), t)

    want = x.astype("float64") * x.max(axis=1, keepdims=True)
    for mode, fn in _modes(ops, step):
        _close(ops.to_numpy(fn(ops.convert_to_tensor(x))), want, dtype,
               f"vectorized_map {mode}")


def check_associative_scan(ops, dtype):
    """Cumulative sums (ints: exact) and a non-commutative operator (2x2
    matrix products), forward and reverse, along axis 1."""
    if dtype in ("int32", "int64"):
        x = np.arange(12).reshape(2, 6).astype(dtype)
        for reverse in (False, True):
            got = ops.to_numpy(ops.associative_scan(ops.add, ops.convert_to_tensor(x),
                                                    reverse=reverse, axis=1))
            want = np.flip(np.cumsum(np.flip(x, 1), 1), 1) if reverse else np.cumsum(x, 1)
            assert got.dtype == x.dtype and (got == want).all(), f"associative_scan {got}"
    if dtype not in ("float32", "float64"):
        return
    m = (0.5 * np.random.default_rng(4).standard_normal((3, 5, 2, 2))).astype(dtype)
    for reverse in (False, True):
        def step(t):
            return ops.associative_scan(ops.matmul, t, reverse=reverse, axis=1)

        want = np.empty(m.shape)
        order = range(4, -1, -1) if reverse else range(5)
        acc = None
        for i in order:
            acc = m[:, i].astype("float64") if acc is None else acc @ m[:, i]
            want[:, i] = acc
        for mode, fn in _modes(ops, step):
            _close(ops.to_numpy(fn(ops.convert_to_tensor(m))), want, dtype,
                   f"associative_scan reverse={reverse} {mode}")


def check_custom_gradient(ops, dtype):
    """The gradient `grad_fn` gives (here 3 * upstream * cos(x), three times
    the true one), eagerly and compiled, through value_and_grad."""
    if dtype not in ("float32", "float64"):
        return
    x = _data(dtype)[0]
    w = np.random.default_rng(5).standard_normal(x.shape).astype(dtype)

    @ops.custom_gradient
    def sine(t):
        def grad(*args, upstream=None):
            if upstream is None:
                (upstream,) = args
            return ops.multiply(upstream, ops.multiply(ops.cos(t), 3.0))
        return ops.sin(t), grad

    v = ops.variable(x)

    def step(weights):
        loss = lambda: ops.sum(ops.multiply(sine(ops.variable_value(v)), weights))  # noqa: E731
        return ops.value_and_grad(loss, [v])

    import warnings
    for mode, fn in _modes(ops, step):
        with warnings.catch_warnings():  # MXNet runs the step eagerly
            warnings.simplefilter("ignore", RuntimeWarning)
            value, (grad,) = fn(ops.convert_to_tensor(w))
        x64 = x.astype("float64")
        _close(ops.to_numpy(value), np.sum(np.sin(x64) * w), dtype, f"custom_gradient {mode}")
        _close(ops.to_numpy(grad), 3 * w * np.cos(x64), dtype,
               f"custom_gradient {mode}: gradient")


def check_jvp(ops, dtype):
    """J t of x -> sin(x) @ w (closed form cos(x) * t @ w), eagerly."""
    if dtype not in ("float32", "float64"):
        return
    x, t = _data(dtype), _data(dtype)[::-1].copy()
    w = np.random.default_rng(6).standard_normal((3, 2)).astype(dtype)
    out, tan = ops.jvp(lambda v: ops.matmul(ops.sin(v), ops.convert_to_tensor(w)),
                       (ops.convert_to_tensor(x),), (ops.convert_to_tensor(t),))
    x64, w64 = x.astype("float64"), w.astype("float64")
    _close(ops.to_numpy(out), np.sin(x64) @ w64, dtype, "jvp: output")
    _close(ops.to_numpy(tan), (np.cos(x64) * t) @ w64, dtype, "jvp: tangent")


def check_rematerialize(ops, dtype):
    """Outputs equal to `outputs`, and the gradient of f(x, w) = (sin(x) * w,
    x * x) through them (closed form), eagerly."""
    if dtype not in ("float32", "float64"):
        return
    x = _data(dtype)
    w = np.random.default_rng(7).standard_normal(x.shape).astype(dtype)
    vx, vw = ops.variable(x), ops.variable(w)

    def f(a, b):
        return [ops.multiply(ops.sin(a), b), ops.multiply(a, a)]

    def loss():
        a, b = ops.variable_value(vx), ops.variable_value(vw)
        outs = ops.rematerialize(f, [a, b], [ops.stop_gradient(o) for o in f(a, b)])
        return ops.add(ops.sum(outs[0]), ops.sum(ops.multiply(outs[1], 0.5)))

    value, (gx, gw) = ops.value_and_grad(loss, [vx, vw])
    x64, w64 = x.astype("float64"), w.astype("float64")
    _close(ops.to_numpy(value), np.sum(np.sin(x64) * w64) + 0.5 * np.sum(x64 * x64), dtype,
           "rematerialize: value")
    _close(ops.to_numpy(gx), np.cos(x64) * w64 + x64, dtype, "rematerialize: gradient x")
    _close(ops.to_numpy(gw), np.sin(x64), dtype, "rematerialize: gradient w")


def check_vectorize(ops, dtype):
    """numpy.vectorize's broadcasting, element-wise and with a signature."""
    if dtype not in ("float32", "float64"):
        return
    x = _data(dtype)
    got = ops.vectorize(lambda u, v: ops.multiply(u, v))(ops.convert_to_tensor(x[:, :1]),
                                                        ops.convert_to_tensor(x[0]))
    _close(ops.to_numpy(got), x[:, :1].astype("float64") * x[0], dtype, "vectorize")
    got = ops.vectorize(lambda u: ops.max(u), signature="(n)->()")(ops.convert_to_tensor(x))
    _close(ops.to_numpy(got), x.max(axis=1).astype("float64"), dtype, "vectorize (n)->()")
