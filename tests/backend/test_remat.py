"""keras.remat and keras.RematScope: gradients equal to the plain ones, the
function really runs again in the backward pass, layers honour the scope
they were created in, training tracks the same losses; against Keras 3
(TensorFlow backend) where Keras gives numbers."""
import threading

import numpy as np
import pytest

RTOL, ATOL = 1e-5, 1e-6


def _np(x):
    from kerasx import ops
    return np.asarray(ops.convert_to_numpy(x))


def _grads(loss, variables):
    """Value and gradients of `loss()` w.r.t. kerasx Variables, as NumPy
    (reading them waits for a backward pass the framework runs later)."""
    from kerasx.ops.gradients import value_and_grad
    value, grads = value_and_grad(loss, [v.native for v in variables])
    return float(_np(value)), [_np(g) for g in grads]


W0 = np.linspace(-1, 1, 6, dtype="float32").reshape(3, 2)
B0 = np.array([0.3, -0.1], "float32")
X = np.linspace(-2, 2, 12, dtype="float32").reshape(4, 3)


def test_function_gradients_against_keras(backend):
    import keras
    import kerasx
    import tensorflow as tf

    ops = kerasx.ops
    calls = []
    w = kerasx.Variable(W0, name="w")
    b = kerasx.Variable(B0, name="b")

    def f(x):
        calls.append(1)
        return ops.sin(ops.tanh(ops.matmul(x, w) + b) * 2.0)

    x = ops.convert_to_tensor(X)
    plain = _grads(lambda: ops.sum(ops.square(f(x))), [w, b])
    assert len(calls) == 1
    calls.clear()
    rematerialized = kerasx.remat(f)
    np.testing.assert_allclose(_np(rematerialized(x)), _np(f(x)), rtol=RTOL, atol=ATOL)
    assert len(calls) == 2  # without gradients: once each
    calls.clear()
    remat = _grads(lambda: ops.sum(ops.square(rematerialized(x))), [w, b])
    # The forward pass, then again in the backward pass (MXNet: again in the
    # forward pass, recorded; see kerasx_mxnet/remat_kernels.py).
    assert len(calls) == 2

    kw, kb = keras.Variable(W0), keras.Variable(B0)

    def kf(x):
        return keras.ops.sin(keras.ops.tanh(keras.ops.matmul(x, kw) + kb) * 2.0)

    with tf.GradientTape() as tape:
        kloss = keras.ops.sum(keras.ops.square(keras.remat(kf)(X)))
    kgrads = tape.gradient(kloss, [kw.value, kb.value])
    np.testing.assert_allclose(remat[0], plain[0], rtol=RTOL, atol=ATOL)
    np.testing.assert_allclose(remat[0], float(kloss), rtol=RTOL, atol=ATOL)
    for ours, base, theirs in zip(remat[1], plain[1], kgrads):
        np.testing.assert_allclose(ours, base, rtol=RTOL, atol=ATOL)
        np.testing.assert_allclose(ours, np.asarray(theirs), rtol=RTOL, atol=ATOL)


def test_nested_outputs_and_constant_arguments(backend):
    import kerasx

    ops = kerasx.ops
    w = kerasx.Variable(W0, name="w")
    calls = []

    def f(inputs, scale, steps):
        calls.append(1)
        h = ops.matmul(inputs["x"], w) * scale
        return {"a": ops.tanh(h), "b": (ops.exp(h * 0.1), ops.cast(steps, "int32"))}

    def loss(fn):
        out = fn({"x": ops.convert_to_tensor(X)}, 1.5, ops.convert_to_tensor(np.int32(3)))
        assert int(_np(out["b"][1])) == 3
        return ops.sum(out["a"] * 3.0) + ops.sum(out["b"][0])

    plain = _grads(lambda: loss(f), [w])
    calls.clear()
    remat = _grads(lambda: loss(kerasx.remat(f)), [w])
    # One recomputation per float output in the backward pass (MXNet: one,
    # recorded, in the forward pass).
    assert len(calls) == (2 if backend == "mxnet" else 3)
    np.testing.assert_allclose(remat[0], plain[0], rtol=RTOL, atol=ATOL)
    np.testing.assert_allclose(remat[1][0], plain[1][0], rtol=RTOL, atol=ATOL)


def test_custom_gradient_with_a_constant_first_input(backend):
    """The contract's custom_gradient gives the gradient of every input that
    needs one, also after an input that does not (MXNet's Function needed
    help for that)."""
    import kerasx

    ops = kerasx.ops
    w = kerasx.Variable(W0, name="w")
    x = ops.convert_to_tensor(X)

    @ops.custom_gradient
    def product(a, b):
        def grad_fn(*args, upstream=None):
            upstream = args[-1] if upstream is None else upstream
            return ops.matmul(upstream, ops.transpose(b)), ops.matmul(ops.transpose(a), upstream)
        return ops.matmul(a, b), grad_fn

    _, (grad,) = _grads(lambda: ops.sum(product(x, w.value)), [w])
    np.testing.assert_allclose(grad, X.T @ np.ones((4, 2), "float32"), rtol=RTOL, atol=ATOL)


def test_writes_once_and_scope_values(backend):
    """Variable writes inside a rematerialized function happen once; inside
    a StatelessScope they are recorded by it and the mapped values are read."""
    import kerasx

    ops = kerasx.ops
    w = kerasx.Variable(W0, name="w")
    count = kerasx.Variable(np.zeros((), "float32"), name="count", trainable=False)

    def f(x):
        count.assign_add(1.0)
        return ops.matmul(x, w)

    x = ops.convert_to_tensor(X)
    _grads(lambda: ops.sum(kerasx.remat(f)(x)), [w])
    assert float(count.numpy()) == 1.0
    with kerasx.StatelessScope([(w, np.ones((3, 2), "float32"))]) as scope:
        out = kerasx.remat(f)(x)
    np.testing.assert_allclose(_np(out), X @ np.ones((3, 2)), rtol=RTOL, atol=ATOL)
    assert float(count.numpy()) == 1.0
    assert float(_np(scope.get_current_value(count))) == 2.0


class _Counting:
    """A layer class whose calls are counted."""

    @staticmethod
    def make(kerasx, units, name=None, activation=None):
        class Counted(kerasx.layers.Dense):
            calls = 0

            def call(self, inputs):
                type(self).calls += 1
                return super().call(inputs)

        return Counted(units, name=name, activation=activation)


def _backward_calls(kerasx, layers, x):
    """How often each layer's call ran for one value-and-gradient."""
    def loss():
        h = x
        for layer in layers:
            h = layer(h)
        return kerasx.ops.sum(kerasx.ops.square(h))

    loss()  # builds the layers
    for layer in layers:
        type(layer).calls = 0
    weights = [w for layer in layers for w in layer.trainable_weights]
    _grads(loss, weights)
    return [type(layer).calls for layer in layers]


def test_scope_modes_on_layers(backend):
    import kerasx

    x = kerasx.ops.convert_to_tensor(X)

    with kerasx.RematScope("full"):
        full = _Counting.make(kerasx, 2)
    plain = _Counting.make(kerasx, 2)
    assert _backward_calls(kerasx, [full], x) == [2]
    assert _backward_calls(kerasx, [plain], x) == [1]
    with kerasx.RematScope("full"):  # as Keras: the scope at creation counts
        assert _backward_calls(kerasx, [plain], x) == [1]

    with kerasx.RematScope("list_of_layers", layer_names=["chosen"]):
        chosen = _Counting.make(kerasx, 2, name="chosen")
        other = _Counting.make(kerasx, 5, name="other")
    assert _backward_calls(kerasx, [chosen, other], x) == [2, 1]

    with kerasx.RematScope("larger_than", output_size_threshold=6):
        large = _Counting.make(kerasx, 2)   # 4 x 2 = 8 elements > 6
    with kerasx.RematScope("larger_than", output_size_threshold=8):
        small = _Counting.make(kerasx, 2)   # 8, not more than 8
    assert _backward_calls(kerasx, [large], x) == [2]
    assert _backward_calls(kerasx, [small], x) == [1]

    activations = []

    def counted_tanh(t):
        activations.append(1)
        return kerasx.ops.tanh(t)

    with kerasx.RematScope("activations"):
        with_activation = _Counting.make(kerasx, 2, activation=counted_tanh)
        without = _Counting.make(kerasx, 2)
    assert _backward_calls(kerasx, [with_activation], x) == [1]
    # The building call, then the forward pass and its recomputation.
    assert len(activations) == 3 and with_activation.activation is counted_tanh
    assert _backward_calls(kerasx, [without], x) == [1]

    with kerasx.RematScope("full"):
        with kerasx.RematScope(None):
            off = _Counting.make(kerasx, 2)
    assert _backward_calls(kerasx, [off], x) == [1]


def test_layer_gradients_with_and_without_scope(backend):
    import kerasx

    x = kerasx.ops.convert_to_tensor(X)
    results = []
    for mode in (None, "full"):
        with kerasx.RematScope(mode):
            layers = [kerasx.layers.Dense(4, activation="relu"),
                      kerasx.layers.BatchNormalization(),
                      kerasx.layers.Dense(1)]
        h = x
        for layer in layers:
            h = layer(h)  # build
        weights = [w for layer in layers for w in layer.weights]
        for w, value in zip(weights, [np.linspace(-1, 1, int(np.prod(w.shape)),
                                                  dtype="float32").reshape(w.shape) + 0.5
                                      for w in weights]):
            w.assign(value)

        def loss():
            h = x
            for layer in layers:
                h = layer(h, training=True) if isinstance(
                    layer, kerasx.layers.BatchNormalization) else layer(h)
            return kerasx.ops.sum(kerasx.ops.square(h))

        value, grads = _grads(loss, [w for layer in layers for w in layer.trainable_weights])
        results.append((value, grads, layers[1].moving_mean.numpy()))
    np.testing.assert_allclose(results[1][0], results[0][0], rtol=RTOL, atol=ATOL)
    for ours, base in zip(results[1][1], results[0][1]):
        np.testing.assert_allclose(ours, base, rtol=RTOL, atol=ATOL)
    # The moving statistics were updated once, as without remat.
    np.testing.assert_allclose(results[1][2], results[0][2], rtol=RTOL, atol=ATOL)


@pytest.mark.parametrize("run_eagerly", [True, False])
def test_training_tracks_the_same_losses_as_keras(backend, run_eagerly):
    """fit under RematScope: the same losses as without, and as Keras's fit
    of the same model (same weights, batches and SGD) under RematScope."""
    import keras
    import kerasx

    rng = np.random.default_rng(0)
    x = rng.normal(size=(24, 5)).astype("float32")
    y = rng.normal(size=(24, 1)).astype("float32")

    def model(lib, mode):
        with lib.RematScope(mode):
            return lib.Sequential([lib.Input((5,)), lib.layers.Dense(6, activation="tanh"),
                                   lib.layers.BatchNormalization(), lib.layers.Dense(1)])

    kerasx.utils.set_random_seed(3)
    reference = model(kerasx, None)
    weights = [w.numpy() for w in reference.weights]
    histories = {}
    for name, lib, mode in (("plain", kerasx, None), ("remat", kerasx, "full"),
                            ("keras", keras, "full")):
        m = model(lib, mode)
        m.set_weights(weights)
        m.compile(optimizer=lib.optimizers.SGD(0.05), loss="mse",
                  run_eagerly=run_eagerly if lib is kerasx else True)
        histories[name] = m.fit(x, y, batch_size=8, epochs=3, shuffle=False,
                                verbose=0).history["loss"]
    np.testing.assert_allclose(histories["remat"], histories["plain"], rtol=RTOL, atol=ATOL)
    np.testing.assert_allclose(histories["remat"], histories["keras"], rtol=RTOL, atol=ATOL)
    assert histories["remat"][-1] < histories["remat"][0]


def test_errors_and_current_mode_as_keras(backend):
    import keras
    import kerasx
    from keras.src.backend.common.remat import get_current_remat_mode as keras_mode
    from kerasx.backend.remat import get_current_remat_mode

    messages = []
    for lib in (keras, kerasx):
        with pytest.raises(ValueError) as info:
            lib.RematScope(mode="everything")
        messages.append(str(info.value))
    assert messages[0] == messages[1]
    with pytest.raises(TypeError, match="remat expects a callable"):
        kerasx.remat(3)

    assert get_current_remat_mode() is None and keras_mode() is None
    with kerasx.RematScope("larger_than", output_size_threshold=10), \
            keras.RematScope("larger_than", output_size_threshold=10):
        with kerasx.RematScope("list_of_layers", layer_names=["a"]), \
                keras.RematScope("list_of_layers", layer_names=["a"]):
            assert tuple(get_current_remat_mode()) == tuple(keras_mode())
            assert get_current_remat_mode().layer_names == ["a"]
        assert tuple(get_current_remat_mode()) == tuple(keras_mode())
    assert get_current_remat_mode() is None


def test_scope_is_per_thread(backend):
    import kerasx
    from kerasx.backend.remat import get_current_remat_mode

    entered, checked = threading.Event(), threading.Event()
    seen = {}

    def worker():
        with kerasx.RematScope("full"):
            entered.set()
            checked.wait(60)
            seen["worker"] = get_current_remat_mode()

    thread = threading.Thread(target=worker)
    thread.start()
    entered.wait(60)
    seen["main"] = get_current_remat_mode()
    layer = kerasx.layers.Dense(2)
    checked.set()
    thread.join(60)
    assert seen["main"] is None and layer._remat_mode is None
    assert seen["worker"].mode == "full"


@pytest.mark.parametrize("run_eagerly", [True, False])
def test_dropout_masks_agree_between_the_two_runs(backend, run_eagerly):
    """With Dropout inside a rematerialized model, the recomputation replays
    the forward pass's draws: the same losses as without remat, compiled too."""
    import kerasx

    rng = np.random.default_rng(1)
    x = rng.normal(size=(16, 5)).astype("float32")
    y = rng.normal(size=(16, 1)).astype("float32")
    losses = []
    for mode in (None, "full"):
        kerasx.utils.set_random_seed(5)
        with kerasx.RematScope(mode):
            m = kerasx.Sequential([kerasx.Input((5,)), kerasx.layers.Dense(8, activation="relu"),
                                   kerasx.layers.Dropout(0.5), kerasx.layers.Dense(1)])
        m.compile(optimizer=kerasx.optimizers.Adam(0.01), loss="mse", run_eagerly=run_eagerly)
        losses.append(m.fit(x, y, batch_size=4, epochs=2, shuffle=False,
                            verbose=0).history["loss"])
    np.testing.assert_allclose(losses[1], losses[0], rtol=RTOL, atol=ATOL)
