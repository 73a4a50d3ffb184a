"""kerasx Variables are usable wherever the framework takes a tensor (issue 12):
native operators in both orders, the framework's own functions, in a custom
layer's call, eager and compiled (tf.function, MXNet's hybridized CachedOp,
torch.compile). Values are checked against NumPy, and the custom layer's
training against Keras 3 (TensorFlow backend, in process)."""
import numpy as np
import pytest

import kerasx

keras = pytest.importorskip("keras")


def _native(backend):
    """(to_native, matmul, reduce_sum, to_numpy) of the framework itself."""
    if backend == "tensorflow":
        import tensorflow as tf
        return tf.constant, tf.matmul, tf.reduce_sum, lambda t: t.numpy()
    if backend == "torch":
        import torch
        return torch.tensor, torch.matmul, torch.sum, lambda t: t.detach().numpy()
    import mxnet as mx
    return mx.np.array, mx.np.matmul, mx.np.sum, lambda t: t.asnumpy()


_X = np.arange(1, 10, dtype="float32").reshape(3, 3) / 7
_W = (np.arange(9, dtype="float32").reshape(3, 3) - 4) / 3 + 0.1

EXPRESSIONS = {
    "x @ w": (lambda x, w, f: x @ w, lambda x, w: x @ w),
    "w @ x": (lambda x, w, f: w @ x, lambda x, w: w @ x),
    "x + w": (lambda x, w, f: x + w, lambda x, w: x + w),
    "w + x": (lambda x, w, f: w + x, lambda x, w: w + x),
    "x - w": (lambda x, w, f: x - w, lambda x, w: x - w),
    "w - x": (lambda x, w, f: w - x, lambda x, w: w - x),
    "x * w": (lambda x, w, f: x * w, lambda x, w: x * w),
    "w * x": (lambda x, w, f: w * x, lambda x, w: w * x),
    "x / w": (lambda x, w, f: x / w, lambda x, w: x / w),
    "w / x": (lambda x, w, f: w / x, lambda x, w: w / x),
    "matmul(x, w)": (lambda x, w, f: f[1](x, w), lambda x, w: x @ w),
    "matmul(w, x)": (lambda x, w, f: f[1](w, x), lambda x, w: w @ x),
    "sum(w)": (lambda x, w, f: f[2](w), lambda x, w: w.sum()),
    "w[1] + x[0]": (lambda x, w, f: w[1] + x[0], lambda x, w: w[1] + x[0]),
}


@pytest.mark.parametrize("expr", sorted(EXPRESSIONS))
def test_native_operators_and_functions_take_variables(backend, expr):
    fns = _native(backend)
    w = kerasx.Variable(_W, name="w")
    ours, ref = EXPRESSIONS[expr]
    out = ours(fns[0](_X), w, fns)
    np.testing.assert_allclose(fns[3](out), ref(_X, _W), rtol=1e-6, atol=1e-6)


def _linear_class(api):
    """The Keras guides' custom layer, for kerasx or Keras 3: weights mixed
    with native tensors."""

    class Linear(api.layers.Layer):
        def __init__(self, units, **kwargs):
            super().__init__(**kwargs)
            self.units = units

        def build(self, input_shape):
            self.w = self.add_weight(shape=(input_shape[-1], self.units), name="w")
            self.b = self.add_weight(shape=(self.units,), initializer="zeros", name="b")

        def call(self, inputs):
            return inputs @ self.w + self.b

    return Linear


Linear, KerasLinear = _linear_class(kerasx), _linear_class(keras)


def _fit(api, layer_cls, run_eagerly, jit_compile="auto"):
    rng = np.random.default_rng(0)
    x = rng.normal(size=(32, 4)).astype("float32")
    y = rng.normal(size=(32, 2)).astype("float32")
    m = api.Sequential([api.Input((4,)), layer_cls(3), api.layers.Dense(2)])
    w = [rng.normal(size=s).astype("float32") * 0.5 for s in [(4, 3), (3,), (3, 2), (2,)]]
    m.set_weights(w)
    kwargs = {} if run_eagerly else {"jit_compile": jit_compile}
    m.compile(optimizer=api.optimizers.SGD(0.1), loss="mse", run_eagerly=run_eagerly,
              **kwargs)
    history = m.fit(x, y, batch_size=8, epochs=2, shuffle=False, verbose=0)
    return history.history["loss"], m.get_weights(), m.predict(x, verbose=0)


def test_custom_layer_trains_as_keras3_eager_and_compiled(backend, recwarn):
    ref = _fit(keras, KerasLinear, run_eagerly=False)
    for run_eagerly in (True, False):
        losses, weights, predictions = _fit(kerasx, Linear, run_eagerly, jit_compile=False)
        np.testing.assert_allclose(losses, ref[0], rtol=1e-5, atol=1e-6)
        for a, b in zip(weights, ref[1]):
            np.testing.assert_allclose(a, b, rtol=1e-5, atol=1e-6)
        np.testing.assert_allclose(predictions, ref[2], rtol=1e-5, atol=1e-6)
    # The compiled step really compiled (MXNet warns when it falls back).
    assert not [w for w in recwarn if "cannot hybridize" in str(w.message)]


def test_variables_in_a_tf_function(backend):
    if backend != "tensorflow":
        pytest.skip("tf.function is TensorFlow's")
    import tensorflow as tf

    w = kerasx.Variable(_W, name="w")
    f = tf.function(lambda x: tf.matmul(x, w) + w @ x + tf.reduce_sum(w) + x * w)
    expected = _X @ _W + _W @ _X + _W.sum() + _X * _W
    np.testing.assert_allclose(f(tf.constant(_X)).numpy(), expected, rtol=1e-5)
    w.assign(_W * 2)  # the graph reads the variable, not a captured constant
    np.testing.assert_allclose(f(tf.constant(_X)).numpy(),
                               _X @ (2 * _W) + (2 * _W) @ _X + 2 * _W.sum() + _X * 2 * _W,
                               rtol=1e-5)


def test_variables_in_an_mxnet_hybridized_function(backend, recwarn):
    if backend != "mxnet":
        pytest.skip("CachedOp is MXNet's")
    import mxnet as mx

    w = kerasx.Variable(_W, name="w")
    ops = kerasx.backend.get_ops()
    f = ops.compile_function(lambda x: x @ w + w @ x + x * w - w)
    for scale in (1, 3):
        w.assign(_W * scale)
        out = f(mx.np.array(_X)).asnumpy()
        v = _W * scale
        np.testing.assert_allclose(out, _X @ v + v @ _X + _X * v - v, rtol=1e-5)
    assert not [m for m in recwarn if "cannot hybridize" in str(m.message)]


def test_variables_under_torch_compile(backend):
    if backend != "torch":
        pytest.skip("torch.compile is torch's")
    import torch

    layer = Linear(3)
    layer(torch.tensor(_X))  # builds
    layer.w.assign(_W)
    f = torch.compile(lambda x: layer(x), dynamic=False)
    x = torch.tensor(_X)
    np.testing.assert_allclose(f(x).detach().numpy(), _X @ _W, rtol=1e-5, atol=1e-6)
    layer.b.assign(np.ones(3, "float32"))
    np.testing.assert_allclose(f(x).detach().numpy(), _X @ _W + 1, rtol=1e-5, atol=1e-6)


@pytest.mark.parametrize("how", ["deepcopy", "pickle"])
def test_layers_copy_and_pickle_with_their_native_side(backend, how):
    import copy
    import pickle

    layer = kerasx.layers.Dense(2)
    x = np.ones((1, 3), "float32")
    expected = kerasx.ops.convert_to_numpy(layer(x))
    clone = copy.deepcopy(layer) if how == "deepcopy" else pickle.loads(pickle.dumps(layer))
    assert type(clone) is type(layer) and type(clone).__name__ == "Dense"
    assert type(clone.kernel) is type(layer.kernel)
    np.testing.assert_array_equal(kerasx.ops.convert_to_numpy(clone(x)), expected)
    clone.kernel.assign(np.zeros((3, 2), "float32"))  # independent of the original
    assert np.abs(layer.kernel.numpy()).sum() > 0
