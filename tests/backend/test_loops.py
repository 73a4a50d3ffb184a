"""The contract's loops (scan, while_loop, fori_loop) on every backend:
values against Keras 3 (TensorFlow backend), gradients through the loop
against the same recurrence written as a Python loop, eagerly and in every
compiled mode, structures of carries, reverse, length without xs, and the
errors."""
import numpy as np
import pytest

import kerasx
from kerasx.backend import get_ops

keras = pytest.importorskip("keras")


def _np(x):
    return kerasx.ops.convert_to_numpy(x)


def _modes(fn):
    """(mode, fn) eagerly, then compiled in every mode the backend compiles."""
    ops = get_ops()
    yield "eager", fn
    for jit_compile in (False, "auto"):
        compiled = ops.compile_function(fn, jit_compile)
        if compiled is not None:
            yield f"jit_compile={jit_compile!r}", compiled


# Keras's TensorFlow scan needs outputs shaped as the carry: these cases keep it.
SCAN_CASES = {
    "cumulative sum": (lambda c, x: (c + x, c + x), np.float32(0.0),
                       np.arange(1, 6, dtype="float32"), {}),
    "reverse": (lambda c, x: (c * 0.5 + x, c), np.zeros(3, "float32"),
                np.arange(12, dtype="float32").reshape(4, 3), {"reverse": True}),
    "matrix carry": (lambda c, x: (c @ x, c), np.eye(2, dtype="float32"),
                     np.stack([np.array([[1, 2], [0, 1]], "float32")] * 3), {}),
    "int32": (lambda c, x: (c * 2 + x, c), np.int32(1), np.arange(4, dtype="int32"), {}),
    "unroll True": (lambda c, x: (c + x, c * x), np.float32(1.0),
                    np.arange(1, 4, dtype="float32"), {"unroll": True}),
}


def _keras_fn(fn):
    import keras

    def wrapped(c, x):
        new, y = fn(keras.ops.convert_to_tensor(c), keras.ops.convert_to_tensor(x))
        return new, y
    return wrapped


@pytest.mark.parametrize("case", list(SCAN_CASES))
def test_scan_matches_keras(backend, case):
    fn, init, xs, kwargs = SCAN_CASES[case]
    want_carry, want_ys = keras.ops.scan(fn, init, xs, **kwargs)
    carry, ys = kerasx.ops.scan(fn, init, xs, **kwargs)
    np.testing.assert_allclose(_np(carry), np.asarray(want_carry), rtol=1e-6)
    np.testing.assert_allclose(_np(ys), np.asarray(want_ys), rtol=1e-6)
    assert _np(ys).dtype == np.asarray(want_ys).dtype


def test_scan_length_without_xs_and_tuple_carry(backend):
    """f receives x=None; a tuple carry keeps its structure; outputs may be
    shaped unlike the carry (jax.lax.scan semantics)."""
    ops = get_ops()

    def f(carry, x):
        assert x is None
        i, total = carry
        return (ops.add(i, 1), ops.add(total, ops.cast(i, "float32"))), ops.stack([i, i])

    for mode, fn in _modes(lambda: kerasx.ops.scan(f, (np.int32(0), 0.0), length=4)):
        (i, total), ys = fn()
        assert int(_np(i)) == 4 and float(_np(total)) == 6.0, mode
        np.testing.assert_array_equal(_np(ys), [[0, 0], [1, 1], [2, 2], [3, 3]])


def test_scan_dict_xs_and_none_outputs(backend):
    """Dict xs are sliced leaf by leaf; a `y` of None gives None (jax.lax.scan)."""
    xs = {"a": np.arange(3, dtype="float32"), "b": np.ones((3, 2), "float32")}

    def f(c, x):
        return kerasx.ops.add(c, kerasx.ops.multiply(x["b"], x["a"])), None

    for mode, fn in _modes(lambda: kerasx.ops.scan(f, np.zeros(2, "float32"), xs)):
        carry, ys = fn()
        np.testing.assert_array_equal(_np(carry), [3.0, 3.0])
        assert ys is None, mode


def test_while_and_fori_loop_match_keras(backend):
    # loop_vars made by each library's convert_to_tensor (Keras's TensorFlow
    # while_loop leaves a NumPy float32 array to NumPy, which makes it float64)
    cases = [
        (lambda i: i < 10, lambda i: i + 1, lambda t: 0, {}),
        (lambda x, y: x < 10, lambda x, y: (x + 1, y * 2), lambda t: (0, 1), {}),
        (lambda x, y: x < 10, lambda x, y: (x + 1, y + 1.5),
         lambda t: [0, t(np.array(1.0, "float32"))], {}),
        (lambda x: x < 100, lambda x: x * 3, lambda t: 1, {"maximum_iterations": 2}),
    ]
    for cond, body, make_vars, kwargs in cases:
        want = keras.ops.while_loop(cond, body, make_vars(keras.ops.convert_to_tensor),
                                    **kwargs)
        got = kerasx.ops.while_loop(cond, body, make_vars(kerasx.ops.convert_to_tensor),
                                    **kwargs)
        if isinstance(want, tuple):  # a list or tuple gives a tuple
            assert isinstance(got, tuple) and len(got) == len(want)
        else:
            got, want = (got,), (want,)
        for g, w in zip(got, want):
            np.testing.assert_allclose(_np(g), np.asarray(w))
            assert _np(g).dtype == np.asarray(w).dtype
    want = keras.ops.fori_loop(0, 10, lambda i, s: s + i, 0)
    assert int(_np(kerasx.ops.fori_loop(0, 10, lambda i, s: s + i, 0))) == int(want) == 45
    want = keras.ops.fori_loop(2, 5, lambda i, s: s * 2.0, np.ones(2, "float32"))
    got = kerasx.ops.fori_loop(2, 5, lambda i, s: s * 2.0, np.ones(2, "float32"))
    np.testing.assert_array_equal(_np(got), np.asarray(want))
    # no iteration: the initial value
    assert float(_np(kerasx.ops.fori_loop(3, 3, lambda i, s: s + 1.0, 2.0))) == 2.0


def test_loops_compiled_give_the_eager_values(backend):
    ops = get_ops()

    def loops(data):
        v = ops.while_loop(lambda i, v: ops.less(i, 4),
                           lambda i, v: (ops.add(i, 1), ops.multiply(v, 1.5)),
                           (data["i"], data["v"]))[1]
        w = ops.fori_loop(0, 3, lambda i, w: ops.add(w, ops.cast(i, "float32")), data["v"])
        return v, w

    data = {"i": ops.convert_to_tensor(np.array(0, "int32")),
            "v": ops.convert_to_tensor(np.array([1.0, -2.0], "float32"))}
    for mode, fn in _modes(loops):
        v, w = fn(data)
        np.testing.assert_allclose(_np(v), np.array([1.0, -2.0]) * 1.5 ** 4, rtol=1e-6,
                                   err_msg=mode)
        np.testing.assert_allclose(_np(w), [4.0, 1.0], rtol=1e-6, err_msg=mode)


def _rnn_loss(ops, w, x, h0, loop, reverse):
    """h_t = tanh(x_t @ w + h_{t-1}) over t (last first when `reverse`), as
    a scan or as a Python loop; returns sum(hs * r) + sum(h_final ** 2),
    hs in the order of x."""
    steps = ops.shape(x)[0]
    r = ops.convert_to_tensor(
        np.linspace(-1, 1, steps * 2 * 3).reshape(steps, 2, 3).astype("float32"))
    if loop:
        def f(h, x_t):
            h = ops.tanh(ops.add(ops.matmul(x_t, w), h))
            return h, h
        h, hs = ops.scan(f, h0, x, reverse=reverse)
    else:
        h, hs = h0, [None] * steps
        for t in (range(steps - 1, -1, -1) if reverse else range(steps)):
            x_t = ops.squeeze(ops.slice(x, (t, 0, 0), (1, 2, 3)), axis=0)
            h = hs[t] = ops.tanh(ops.add(ops.matmul(x_t, w), h))
        hs = ops.stack(hs)
    return ops.add(ops.sum(ops.multiply(hs, r)), ops.sum(ops.multiply(h, h)))


@pytest.mark.parametrize("reverse", [False, True])
def test_gradients_through_scan_match_the_unrolled_loop(backend, reverse):
    """The value and d/dw, d/dxs, d/dinit through scan equal those of the
    same recurrence written out step by step, eagerly and compiled."""
    ops = get_ops()
    rng = np.random.default_rng(3)
    w = ops.variable(0.5 * rng.standard_normal((3, 3)).astype("float32"))
    x = ops.variable(rng.standard_normal((5, 2, 3)).astype("float32"))
    h0 = ops.variable(rng.standard_normal((2, 3)).astype("float32"))
    variables = [w, x, h0]

    def step(loop):
        def run(_):
            return ops.value_and_grad(
                lambda: _rnn_loss(ops, *[ops.variable_value(v) for v in variables], loop,
                                  reverse), variables)
        return run

    def run(fn):  # as NumPy at once: MXNet's next call reuses the gradient buffers
        value, grads = fn({})
        return _np(value), [_np(g) for g in grads]

    want_value, want_grads = run(step(False))
    for mode, fn in _modes(step(True)):
        value, grads = run(fn)
        np.testing.assert_allclose(value, want_value, rtol=1e-5, err_msg=mode)
        for name, got, want in zip(("w", "xs", "init"), grads, want_grads):
            np.testing.assert_allclose(got, want, rtol=1e-5, atol=1e-6,
                                       err_msg=f"{mode}: d/d{name}")


def test_scan_accepts_what_keras_accepts(backend):
    """Python numbers, NumPy arrays and kerasx Variables as init and xs."""
    ops = get_ops()
    v = kerasx.Variable(np.arange(3, dtype="float32"))
    carry, ys = kerasx.ops.scan(lambda c, x: (ops.add(c, x), c), 1.0, v)
    assert float(_np(carry)) == 4.0
    np.testing.assert_array_equal(_np(ys), [1.0, 1.0, 2.0])


def test_loop_errors_say_what_was_wrong(backend):
    ops = get_ops()
    xs = np.arange(3, dtype="float32")
    with pytest.raises(TypeError, match="`f` should be a callable"):
        kerasx.ops.scan(None, 0.0, xs)
    with pytest.raises(ValueError, match="Got no `xs` to scan over and `length` not"):
        kerasx.ops.scan(lambda c, x: (c, c), 0.0)
    with pytest.raises(ValueError, match="`unroll` must be an positive integer"):
        kerasx.ops.scan(lambda c, x: (c, c), 0.0, xs, unroll=0)
    with pytest.raises(ValueError, match="same leading size"):
        kerasx.ops.scan(lambda c, x: (c, c), 0.0, (xs, np.ones(4, "float32")))
    with pytest.raises(ValueError, match="`length`=2 differs from the leading size 3"):
        kerasx.ops.scan(lambda c, x: (c, c), 0.0, xs, length=2)
    with pytest.raises(ValueError, match=r"carry returned by the loop body must keep .*"
                                         r"float32.*received \[\(\(\), 'int32'\)\]"):
        kerasx.ops.scan(lambda c, x: (ops.cast(c, "int32"), c), 0.0, xs)
    with pytest.raises(ValueError, match=r"shapes and dtypes.*\(2,\)"):
        kerasx.ops.scan(lambda c, x: (ops.stack([c, c]), c), 0.0, xs)
    with pytest.raises(ValueError, match="a scan of length 0 has no output"):
        kerasx.ops.scan(lambda c, x: (c, c), 0.0, length=0)
    with pytest.raises(TypeError, match="`cond` should be a callable"):
        kerasx.ops.while_loop(1, lambda i: i, 0)
    with pytest.raises(ValueError, match="`maximum_iterations` must be None or a "):
        kerasx.ops.while_loop(lambda i: i < 3, lambda i: i + 1, 0, maximum_iterations=-1)
    with pytest.raises(ValueError, match="loop variables returned by the loop body"):
        kerasx.ops.while_loop(lambda i: i < 3, lambda i: ops.cast(i + 1, "float32"), 0)
    with pytest.raises(TypeError, match="`body_fun` should be a callable"):
        kerasx.ops.fori_loop(0, 3, None, 0.0)


def test_a_random_draw_in_a_compiled_loop_body_is_a_clear_error(backend):
    """A framework loop traces its body once: a draw there would repeat one
    noise at every iteration. Compiled: a clear error where the loop is the
    framework's (the Python loop of torch draws per iteration); eagerly the
    draws differ per iteration on every backend."""
    from kerasx import layers, ops

    class Noisy(layers.Layer):
        def __init__(self):
            super().__init__()
            self.seed = kerasx.random.SeedGenerator(1)

        def call(self, x):
            def body(carry, xt):
                noise = kerasx.random.normal(ops.shape(xt), seed=self.seed)
                return carry, xt + noise

            _, ys = ops.scan(body, ops.zeros(()), ops.transpose(x, (1, 0, 2)))
            return ops.transpose(ys, (1, 0, 2))

    x = np.zeros((2, 4, 3), "float32")
    model = kerasx.Sequential([kerasx.Input((4, 3)), Noisy(), layers.Flatten(),
                               layers.Dense(1)])
    model.compile("sgd", "mse", run_eagerly=True)
    steps = _np(model.layers[0](x))
    assert not np.allclose(steps[:, 0], steps[:, 1])  # fresh noise per iteration
    model.compile("sgd", "mse")
    try:
        model.fit(x, np.zeros((2, 1)), verbose=0)
    except RuntimeError as exc:
        assert "random draw inside the body of a compiled loop" in str(exc)
    else:  # a Python loop when compiled (torch): every iteration drew
        assert backend == "torch"
