"""keras.StatelessScope and keras.SymbolicScope: reads from the mapping,
writes recorded (Adam's fused update and metric resets included), per
thread; checked against Keras 3 (TensorFlow backend)."""
import threading

import numpy as np
import pytest

RTOL, ATOL = 1e-5, 1e-6


def _np(x):
    from kerasx import ops
    return np.asarray(ops.convert_to_numpy(x))


def test_reads_and_writes_against_keras(backend):
    import keras
    import kerasx

    results = {}
    for lib in (keras, kerasx):
        v = lib.Variable(np.arange(4, dtype="float32").reshape(2, 2), name="v")
        with lib.StatelessScope([(v, np.full((2, 2), 3.0, "float32"))]) as scope:
            read = np.asarray(v.numpy())
            v.assign_add(np.ones((2, 2), "float32"))
            after_add = np.asarray(v.numpy())
            v.assign_sub(np.full((2, 2), 0.5, "float32"))
            v.assign(v.value * 2.0)
            inside = np.asarray(v.numpy())
        results[lib.__name__] = (read, after_add, inside, np.asarray(v.numpy()),
                                 np.asarray(lib.ops.convert_to_numpy(scope.get_current_value(v))))
    for ours, theirs in zip(results["kerasx"], results["keras"]):
        np.testing.assert_allclose(ours, theirs, rtol=RTOL, atol=ATOL)
    # Outside, the variable kept its value; the scope holds the new one.
    np.testing.assert_array_equal(results["kerasx"][3], np.arange(4).reshape(2, 2))
    np.testing.assert_array_equal(results["kerasx"][4], np.full((2, 2), 7.0))


def test_unmapped_variable_reads_its_value_and_nesting_uses_innermost(backend):
    import kerasx
    from kerasx.backend.stateless_scope import get_stateless_scope, in_stateless_scope

    a = kerasx.Variable(np.ones(3, "float32"), name="a")
    b = kerasx.Variable(np.zeros(3, "float32"), name="b")
    assert not in_stateless_scope() and get_stateless_scope() is None
    with kerasx.StatelessScope([(a, np.full(3, 5.0, "float32"))]) as outer:
        assert get_stateless_scope() is outer and in_stateless_scope()
        np.testing.assert_array_equal(b.numpy(), np.zeros(3))
        assert outer.get_current_value(b) is None
        with kerasx.StatelessScope() as inner:
            assert get_stateless_scope() is inner
            # As Keras: the innermost scope only; `a` reads its own value.
            np.testing.assert_array_equal(a.numpy(), np.ones(3))
        np.testing.assert_array_equal(a.numpy(), np.full(3, 5.0))
    assert get_stateless_scope() is None
    np.testing.assert_array_equal(a.numpy(), np.ones(3))


def test_layer_call_with_swapped_weights_against_keras(backend):
    import keras
    import kerasx

    x = np.linspace(-1, 1, 12, dtype="float32").reshape(4, 3)
    outs = {}
    for lib in (keras, kerasx):
        layer = lib.layers.Dense(2, activation="tanh")
        layer.build((None, 3))
        before = [np.asarray(w.numpy()) for w in layer.weights]
        mapping = [(layer.kernel, np.full((3, 2), 0.25, "float32")),
                   (layer.bias, np.array([0.1, -0.2], "float32"))]
        with lib.StatelessScope(mapping):
            outs[lib.__name__] = np.asarray(lib.ops.convert_to_numpy(layer(x)))
        for w, b in zip(layer.weights, before):
            np.testing.assert_array_equal(np.asarray(w.numpy()), b)
    np.testing.assert_allclose(outs["kerasx"], outs["keras"], rtol=RTOL, atol=ATOL)


@pytest.mark.parametrize("name", ["Adam", "SGD", "AdamW"])
def test_optimizer_step_in_scope_against_keras(backend, name):
    """The scope holds what a real second step gives in Keras (Keras's
    TensorFlow optimizers write their tf.Variables directly, so Keras is
    run without a scope)."""
    import keras
    import kerasx

    w0 = np.linspace(-1, 1, 6, dtype="float32").reshape(2, 3)
    b0 = np.array([0.5, -0.5, 0.25], "float32")
    g = [np.full((2, 3), 0.3, "float32"), np.array([0.1, -0.2, 0.3], "float32")]

    def make(lib):
        kwargs = {"learning_rate": 0.1}
        if name == "SGD":
            kwargs["momentum"] = 0.9
        opt = getattr(lib.optimizers, name)(**kwargs)
        ws = [lib.Variable(w0, name="w"), lib.Variable(b0, name="b")]
        opt.build(ws)
        grads = [lib.ops.convert_to_tensor(x) for x in g]
        opt.apply(grads, ws)  # one real step: the slots are non-zero
        return opt, ws, grads

    opt, ws, grads = make(keras)
    opt.apply(grads, ws)
    expected = [np.asarray(v.numpy()) for v in ws]

    opt, ws, grads = make(kerasx)
    state = [np.asarray(v.numpy()) for v in ws + list(opt.variables)]
    with kerasx.StatelessScope() as scope:
        opt.apply(grads, ws)
    for v, s in zip(ws + list(opt.variables), state):  # nothing changed outside
        np.testing.assert_array_equal(np.asarray(v.numpy()), s)
    for v, e in zip(ws, expected):
        np.testing.assert_allclose(_np(scope.get_current_value(v)), e, rtol=RTOL, atol=ATOL)
    assert int(_np(scope.get_current_value(opt.iterations))) == 2
    # The scope's values, applied, continue training as a real step would.
    with kerasx.StatelessScope() as again:
        opt.apply(grads, ws)
    np.testing.assert_allclose(_np(again.get_current_value(ws[0])),
                               _np(scope.get_current_value(ws[0])), rtol=0, atol=0)


def test_optimizer_built_inside_scope(backend):
    import kerasx

    w = kerasx.Variable(np.ones(2, "float32"), name="w")
    opt = kerasx.optimizers.Adam(0.1)
    with kerasx.StatelessScope() as scope:
        opt.apply([kerasx.ops.convert_to_tensor(np.ones(2, "float32"))], [w])
    np.testing.assert_array_equal(w.numpy(), np.ones(2))
    # Adam's first step moves each weight by about the learning rate.
    np.testing.assert_allclose(_np(scope.get_current_value(w)), np.full(2, 0.9), atol=1e-5)


def test_metric_update_and_reset_in_scope_against_keras(backend):
    import keras
    import kerasx

    results = {}
    for lib in (keras, kerasx):
        metric = lib.metrics.Mean()
        metric.update_state(np.array([1.0, 2.0], "float32"))
        before = [np.asarray(v.numpy()) for v in metric.variables]
        with lib.StatelessScope() as scope:
            metric.update_state(np.array([4.0, 8.0, 9.0], "float32"))
            result = np.asarray(lib.ops.convert_to_numpy(metric.result()))
        updated = [np.asarray(lib.ops.convert_to_numpy(scope.get_current_value(v)))
                   for v in metric.variables]
        for v, b in zip(metric.variables, before):
            np.testing.assert_array_equal(np.asarray(v.numpy()), b)
        with lib.StatelessScope() as reset:
            metric.reset_state()
        zeros = [np.asarray(lib.ops.convert_to_numpy(reset.get_current_value(v)))
                 for v in metric.variables]
        results[lib.__name__] = [result] + updated + zeros
        assert float(np.asarray(lib.ops.convert_to_numpy(metric.result()))) == 1.5
    for ours, theirs in zip(results["kerasx"], results["keras"]):
        np.testing.assert_allclose(ours, theirs, rtol=RTOL, atol=ATOL)
    np.testing.assert_allclose(results["kerasx"][0], 24.0 / 5)


def test_errors_as_keras(backend):
    import keras
    import kerasx

    for lib in (keras, kerasx):
        v = lib.Variable(np.ones(3, "float32"))
        with pytest.raises(ValueError, match="all keys in argument `mapping` must be Variable"):
            lib.StatelessScope([(np.ones(3), np.ones(3))])
        with pytest.raises(ValueError, match="shape that matches"):
            lib.StatelessScope([(v, np.ones(4, "float32"))])
        with lib.StatelessScope():
            with pytest.raises(ValueError, match="create a variable while in a stateless scope"):
                lib.Variable(np.ones(2, "float32"))
            # A layer's weights (from an initializer) may be created inside.
            layer = lib.layers.Dense(2)
            layer.build((None, 3))
        assert layer.kernel.shape == (3, 2)
        with pytest.raises(ValueError, match="Cannot assign|must match"):
            with lib.StatelessScope():
                v.assign(np.ones(4, "float32"))


def test_collect_losses(backend):
    import kerasx

    class Penalised(kerasx.layers.Layer):
        def call(self, x):
            self.add_loss(kerasx.ops.sum(x))
            return x

    layer = Penalised()
    x = np.ones((2, 2), "float32")
    with kerasx.StatelessScope(collect_losses=True) as scope:
        layer(x)
    assert len(scope.losses) == 1 and float(_np(scope.losses[0])) == 4.0
    with kerasx.StatelessScope() as plain:
        layer(x)
    assert plain.losses == []


def test_scope_is_per_thread(backend):
    import kerasx

    v = kerasx.Variable(np.zeros(2, "float32"), name="v")
    entered, checked = threading.Event(), threading.Event()
    seen = {}

    def worker():
        with kerasx.StatelessScope([(v, np.full(2, 9.0, "float32"))]) as scope:
            entered.set()
            checked.wait(60)
            seen["worker_read"] = v.numpy()
            v.assign(np.full(2, 4.0, "float32"))
            seen["worker_recorded"] = _np(scope.get_current_value(v))

    thread = threading.Thread(target=worker)
    thread.start()
    entered.wait(60)
    # The other thread's open scope changes nothing here: reads and writes are real.
    seen["main_read"] = v.numpy()
    v.assign(np.ones(2, "float32"))
    checked.set()
    thread.join(60)
    np.testing.assert_array_equal(seen["main_read"], np.zeros(2))
    np.testing.assert_array_equal(seen["worker_read"], np.full(2, 9.0))
    np.testing.assert_array_equal(seen["worker_recorded"], np.full(2, 4.0))
    np.testing.assert_array_equal(v.numpy(), np.ones(2))


def test_symbolic_scope(backend):
    import keras
    import kerasx
    from kerasx.backend.symbolic_scope import get_symbolic_scope, in_symbolic_scope

    assert not in_symbolic_scope()
    with kerasx.SymbolicScope() as scope:
        assert in_symbolic_scope() and get_symbolic_scope() is scope
    assert not in_symbolic_scope()

    seen = {}
    for lib, probe in ((keras, "keras.src.backend.common.symbolic_scope"),
                       (kerasx, "kerasx.backend.symbolic_scope")):
        import importlib
        check = importlib.import_module(probe).in_symbolic_scope

        class Probe(lib.layers.Layer):
            def call(self, x):
                self.flags.append(check())
                return x * 2.0

        layer = Probe()
        layer.flags = []
        layer(lib.Input((3,)))
        layer(np.ones((1, 3), "float32"))
        seen[lib.__name__] = layer.flags
    assert seen["kerasx"][-1] is False and True in seen["kerasx"]
    assert seen["keras"][-1] is False and True in seen["keras"]


def test_framework_functions_read_the_mapped_value(backend):
    """`x @ v` through the framework's own operators (TensorFlow's tensor
    conversion, torch's __torch_function__) sees the scope's value too."""
    import kerasx

    v = kerasx.Variable(np.ones((2, 2), "float32"), name="v")
    x = kerasx.ops.convert_to_tensor(np.ones((1, 2), "float32"))
    with kerasx.StatelessScope([(v, np.full((2, 2), 3.0, "float32"))]):
        y = kerasx.ops.matmul(x, v)
        native = x @ v if backend != "mxnet" else y
    np.testing.assert_array_equal(_np(y), np.full((1, 2), 6.0))
    np.testing.assert_array_equal(_np(native), np.full((1, 2), 6.0))
