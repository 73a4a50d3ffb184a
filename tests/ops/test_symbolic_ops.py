"""keras.ops functions and keras.Operation on symbolic tensors: a
functional model built with them has Keras 3's output shapes and, with
Keras's weights, its predictions; it trains, saves and loads."""
import numpy as np
import pytest

keras = pytest.importorskip("keras")

import kerasx  # noqa: E402


def _model(api):
    ops, layers = api.ops, api.layers
    inputs = api.Input((5, 4))
    x = ops.expand_dims(inputs, -1)
    x = ops.concatenate([x, ops.square(x)], axis=-1)
    x = layers.Conv2D(3, 2, name="conv")(x)
    x = ops.mean(x, axis=[1, 2])
    y = ops.einsum("bi,bj->bij", x, ops.tanh(x))
    y = ops.reshape(y, (-1, 9))
    out = layers.Dense(2, name="head")(ops.pad(y, [[0, 0], [1, 0]]))
    return api.Model(inputs, [out, ops.max(y, axis=-1, keepdims=True)])


def test_functional_model_with_ops_matches_keras(backend, tmp_path):
    ref, ours = _model(keras), _model(kerasx)
    assert [tuple(o.shape) for o in ours.outputs] == [tuple(o.shape) for o in ref.outputs]
    ours.set_weights(ref.get_weights())
    x = np.random.default_rng(0).standard_normal((3, 5, 4)).astype("float32")
    for got, expected in zip(ours.predict(x, verbose=0), ref.predict(x, verbose=0)):
        np.testing.assert_allclose(got, expected, rtol=1e-5, atol=1e-6)
    path = str(tmp_path / "ops.keras")
    ours.save(path)
    again = kerasx.saving.load_model(path)
    for got, expected in zip(again.predict(x, verbose=0), ours.predict(x, verbose=0)):
        np.testing.assert_array_equal(got, expected)


def test_ops_in_a_model_train(backend):
    inputs = kerasx.Input((4,))
    hidden = kerasx.layers.Dense(8, kernel_initializer="ones")(inputs)
    out = kerasx.layers.Dense(1)(kerasx.ops.relu(hidden) * 0.5)
    model = kerasx.Model(inputs, out)
    model.compile(optimizer="sgd", loss="mse")
    x = np.random.default_rng(1).standard_normal((16, 4)).astype("float32")
    losses = model.fit(x, x[:, :1], epochs=3, verbose=0).history["loss"]
    assert losses[-1] < losses[0]


class _ScaledSum(keras.Operation):
    def __init__(self, scale, name=None):
        super().__init__(name=name)
        self.scale = scale

    def call(self, x):
        return keras.ops.sum(x, axis=-1, keepdims=True) * self.scale

    def compute_output_spec(self, x):
        return keras.KerasTensor(x.shape[:-1] + (1,), x.dtype)


class _OursScaledSum(kerasx.Operation):
    def __init__(self, scale, name=None):
        super().__init__(name=name)
        self.scale = scale

    def call(self, x):
        return kerasx.ops.sum(x, axis=-1, keepdims=True) * self.scale

    def compute_output_spec(self, x):
        return kerasx.KerasTensor(x.shape[:-1] + (1,), x.dtype)


class _OursNoSpec(kerasx.Operation):
    def call(self, x, power=2):
        return kerasx.ops.power(x, power)


def test_operation_subclass_as_keras(backend):
    x = np.arange(6, dtype="float32").reshape(2, 3)
    expected = np.asarray(_ScaledSum(0.5)(x))
    np.testing.assert_allclose(kerasx.ops.convert_to_numpy(_OursScaledSum(0.5)(x)), expected)
    inputs = kerasx.Input((3,))
    symbolic = _OursScaledSum(0.5)(inputs)
    assert tuple(symbolic.shape) == tuple(_ScaledSum(0.5)(keras.Input((3,))).shape)
    cubed = _OursNoSpec()(inputs, power=3)
    assert tuple(cubed.shape) == (None, 3)
    model = kerasx.Model(inputs, [symbolic, cubed])
    got, cube = model.predict(x, verbose=0)
    np.testing.assert_allclose(got, expected)
    np.testing.assert_allclose(cube, x ** 3)
    with pytest.raises(NotImplementedError, match="must implement call"):
        kerasx.Operation()(x)


def _function(api):
    a, b = api.Input((3,), name="a"), api.Input((3,), name="b")
    dense = api.layers.Dense(2, kernel_initializer="ones", bias_initializer="zeros")
    out = dense(api.ops.multiply(a, b)) + 1.0
    return api.Function({"a": a, "b": b}, [out, api.ops.sum(a, axis=-1)])


def test_function_runs_its_graph_as_keras(backend):
    x = {"a": np.arange(6, dtype="float32").reshape(2, 3),
         "b": np.full((2, 3), 0.5, "float32")}
    expected = [np.asarray(t) for t in _function(keras)(x)]
    fn = _function(kerasx)
    got = [kerasx.ops.convert_to_numpy(t) for t in fn(x)]
    for g, e in zip(got, expected):
        np.testing.assert_allclose(g, e, rtol=1e-6)
    assert set(fn.inputs) == {"a", "b"} and len(fn.outputs) == 2
    assert any(type(op).__name__ == "Dense" for op in fn.operations)
    # On symbolic tensors it becomes part of a larger graph.
    a, b = kerasx.Input((3,)), kerasx.Input((3,))
    outer = kerasx.Model([a, b], fn({"a": a, "b": b})[0])
    np.testing.assert_allclose(outer.predict([x["a"], x["b"]], verbose=0), expected[0],
                               rtol=1e-6)
