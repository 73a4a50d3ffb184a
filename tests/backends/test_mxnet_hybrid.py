"""MXNet's compiled mode: steps traced into CachedOps (kerasx_mxnet.hybrid).

The compiled-vs-eager numbers of every backend are in test_compiled_steps;
these tests cover what only the MXNet tracer does: that steps really run as
CachedOps, the layout it keeps between convolutions, and its fallback."""
import numpy as np
import pytest

import kerasx as keras
import kerasx.backend as kb
from kerasx.backend import registry

pytestmark = pytest.mark.skipif(
    not registry.discover()["mxnet"].is_available(), reason="mxnet is not installed")


@pytest.fixture
def ops():
    previous = kb.backend()
    kb.set_backend("mxnet")
    try:
        yield kb.get_ops()
    finally:
        kb.set_backend(previous)


def _step_functions(model):
    return [compiled for fn in model._step_functions.values()
            for compiled, _ in fn._compiled.values()]


@pytest.mark.parametrize("data_format", ["channels_last", "channels_first"])
def test_convnet_steps_run_as_cached_ops_with_eager_numbers(ops, data_format):
    shape = (10, 10, 2) if data_format == "channels_last" else (2, 10, 10)
    rng = np.random.default_rng(0)
    x, y = rng.random((16,) + shape).astype("float32"), rng.integers(0, 4, 16)
    results = []
    for run_eagerly in (True, False):
        keras.utils.set_random_seed(1)
        layers = keras.layers
        model = keras.Sequential([
            keras.Input(shape),
            # bias + relu fused into a channels-first convolution, then pooling
            layers.Conv2D(4, 3, activation="relu", data_format=data_format),
            layers.MaxPooling2D(2, data_format=data_format),
            # no bias, an activation that is not relu, "same" average pooling
            layers.Conv2D(3, 3, padding="same", use_bias=False, activation="sigmoid",
                          data_format=data_format),
            layers.AveragePooling2D(3, strides=2, padding="same", data_format=data_format),
            layers.Flatten(), layers.Dropout(0.3), layers.Dense(4, activation="softmax")])
        model.compile(optimizer="adam", loss="sparse_categorical_crossentropy",
                      metrics=["accuracy"], run_eagerly=run_eagerly)
        history = model.fit(x, y, batch_size=8, epochs=2, shuffle=False, verbose=0).history
        results.append((history["loss"], model.get_weights(), model.predict(x, verbose=0)))
        if not run_eagerly:
            compiled = _step_functions(model)
            assert len(compiled) == 2  # the train and the predict step
            assert all(c.hybridized for c in compiled)
    (loss_e, w_e, p_e), (loss_c, w_c, p_c) = results
    np.testing.assert_allclose(loss_c, loss_e, rtol=1e-5)
    for a, b in zip(w_c, w_e):
        np.testing.assert_allclose(a, b, rtol=1e-4, atol=1e-6)
    np.testing.assert_allclose(p_c, p_e, rtol=1e-5, atol=1e-6)


def test_reads_after_writes_in_a_step_see_the_written_value(ops):
    v = ops.variable(np.array([1.0, 2.0], "float32"), trainable=False)

    def step(x):
        ops.assign(v, ops.multiply(v, 2.0))
        doubled = ops.add(v, x)           # reads the written value
        ops.assign_add(v, x)
        return doubled, ops.sum(v)

    compiled = ops.compile_function(step, "auto")
    for call in range(3):
        before = ops.to_numpy(v).copy()
        x = ops.convert_to_tensor(np.array([call, 1.0], "float32"))
        doubled, total = compiled(x)
        np.testing.assert_array_equal(ops.to_numpy(doubled), 2 * before + [call, 1.0])
        np.testing.assert_array_equal(ops.to_numpy(v), 2 * before + [call, 1.0])
        assert float(ops.to_numpy(total)) == pytest.approx(float(np.sum(ops.to_numpy(v))))
    assert compiled.hybridized


def test_gradients_in_a_hybridized_step_match_eager(ops):
    w0 = np.array([[0.5, -1.0], [2.0, 0.25]], "float32")
    w, frozen = ops.variable(w0), ops.variable(np.ones(2, "float32"), trainable=False)

    def step(x):
        def loss():
            return ops.sum(ops.square(ops.add(ops.matmul(x, w), frozen)))

        value, (grad_w, grad_frozen) = ops.value_and_grad(loss, [w, frozen])
        ops.assign_sub(w, ops.multiply(grad_w, 0.1))
        return value, grad_w, grad_frozen

    compiled = ops.compile_function(step, "auto")
    want_w = w0.astype("float64")
    for call in range(3):
        x = np.array([[1.0, 2.0 + call]], "float32")
        value, grad_w, grad_frozen = compiled(ops.convert_to_tensor(x))
        residual = x @ want_w + 1.0
        want_grad = 2 * x.T @ residual
        want_w = want_w - 0.1 * want_grad
        np.testing.assert_allclose(ops.to_numpy(value), np.sum(residual ** 2), rtol=1e-5)
        np.testing.assert_allclose(ops.to_numpy(grad_w), want_grad, rtol=1e-5, atol=1e-6)
        np.testing.assert_array_equal(ops.to_numpy(grad_frozen), [0.0, 0.0])  # not trainable
        np.testing.assert_allclose(ops.to_numpy(w), want_w, rtol=1e-5)
    assert compiled.hybridized


def test_a_step_that_reads_values_on_the_host_warns_and_runs_eagerly(ops):
    v = ops.variable(np.array([3.0], "float32"), trainable=False)

    def step(x):
        scale = float(ops.to_numpy(ops.sum(x)))  # Python control on a value
        ops.assign_add(v, ops.multiply(x, scale))
        return ops.multiply(x, scale)

    compiled = ops.compile_function(step, "auto")
    with pytest.warns(RuntimeWarning, match="cannot hybridize.*reads a tensor's value"):
        first = compiled(ops.convert_to_tensor(np.array([2.0], "float32")))
    second = compiled(ops.convert_to_tensor(np.array([5.0], "float32")))
    # Eager semantics: each call uses its own value; nothing of the trace ran.
    np.testing.assert_array_equal(ops.to_numpy(first), [4.0])
    np.testing.assert_array_equal(ops.to_numpy(second), [25.0])
    np.testing.assert_array_equal(ops.to_numpy(v), [3.0 + 4.0 + 25.0])
    assert not compiled.hybridized


def test_a_step_that_creates_variables_runs_eagerly(ops):
    made = []

    def step(x):
        made.append(ops.variable(np.zeros(1, "float32")))
        return ops.add(x, 1.0)

    compiled = ops.compile_function(step, False)
    with pytest.warns(RuntimeWarning, match="creates a variable"):
        out = compiled(ops.convert_to_tensor(np.array([1.0], "float32")))
    np.testing.assert_array_equal(ops.to_numpy(out), [2.0])
    assert len(made) == 1 and not compiled.hybridized


class _DirectMXNetCall(keras.layers.Layer):
    """A user's layer calling an MXNet function directly on its weight or
    on its input: the trace cannot see it."""

    def __init__(self, on_weight, **kwargs):
        super().__init__(**kwargs)
        self.on_weight = on_weight

    def build(self, shape):
        self.w = self.add_weight(shape=(shape[-1], 1), initializer="ones")

    def call(self, x):
        import mxnet as mx
        extra = mx.np.sum(self.w) if self.on_weight else mx.np.sum(x, axis=1, keepdims=True)
        return x @ self.w + extra


@pytest.mark.parametrize("on_weight", [True, False], ids=["on_weight", "on_input"])
def test_direct_mxnet_calls_in_a_step_run_eagerly_with_eager_numbers(ops, on_weight):
    # Traced, `mx.np.sum(self.w)` was computed once and reused as a constant
    # with the first step's weights: compiled training silently diverged from
    # eager (loss 12.3 against 1.13 after 3 epochs).
    rng = np.random.default_rng(0)
    x, y = rng.random((64, 3)).astype("float32"), rng.random((64, 1)).astype("float32")
    results = []
    for run_eagerly in (True, False):
        keras.utils.set_random_seed(0)
        model = keras.Sequential([keras.Input((3,)), _DirectMXNetCall(on_weight)])
        model.compile("sgd", "mse", run_eagerly=run_eagerly)
        if run_eagerly:
            history = model.fit(x, y, epochs=3, batch_size=16, verbose=0)
        else:
            with pytest.warns(RuntimeWarning, match="cannot hybridize.*called directly"):
                history = model.fit(x, y, epochs=3, batch_size=16, verbose=0)
        results.append((history.history["loss"], model.get_weights()[0]))
    np.testing.assert_allclose(results[1][0], results[0][0], rtol=1e-6)
    np.testing.assert_allclose(results[1][1], results[0][1], rtol=1e-6)
