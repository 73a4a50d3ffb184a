"""Models: Sequential, functional, subclassed; weights order, summary counts
and configs, compared with Keras 3."""
import numpy as np
import pytest

import kerasx
from kerasx import layers as kl
from kerasx import ops as kops


@pytest.fixture(scope="module")
def keras():
    import keras
    return keras


def _np(x):
    return kops.convert_to_numpy(x)


def test_sequential_with_input_builds_at_once(backend, keras):
    model = kerasx.models.Sequential([kl.Input((4,)), kl.Dense(3, activation="relu"),
                                      kl.Dense(2)])
    ref = keras.Sequential([keras.Input((4,)), keras.layers.Dense(3, activation="relu"),
                            keras.layers.Dense(2)])
    assert model.built
    assert [w.shape for w in model.weights] == [tuple(w.shape) for w in ref.weights]
    model.set_weights(ref.get_weights())
    x = np.random.default_rng(0).standard_normal((5, 4)).astype("float32")
    np.testing.assert_allclose(_np(model(x)), np.asarray(ref(x)), rtol=1e-5, atol=1e-6)
    assert model.count_params() == ref.count_params() == 4 * 3 + 3 + 3 * 2 + 2


def test_sequential_deferred_build_add_and_pop(backend):
    model = kerasx.models.Sequential()
    model.add(kl.Dense(3))
    model.add(kl.Dense(2))
    assert not model.built
    out = model(np.ones((2, 5), "float32"))
    assert model.built and _np(out).shape == (2, 2)
    assert [w.shape for w in model.weights] == [(5, 3), (3,), (3, 2), (2,)]
    popped = model.pop()
    assert isinstance(popped, kl.Dense) and len(model.layers) == 1
    assert _np(model(np.ones((2, 5), "float32"))).shape == (2, 3)
    with pytest.raises(ValueError, match="Only instances of kerasx.layers.Layer"):
        model.add("dense")


def test_input_shape_argument_builds_the_model(backend):
    model = kerasx.models.Sequential([kl.Dense(3, input_shape=(7,)), kl.Dense(1)])
    assert model.built and model.input_shape == (None, 7) and model.output_shape == (None, 1)


def test_functional_multi_io_shared_layers_and_order(backend, keras):
    def build(lib):
        L = lib.layers
        a, b = lib.Input((4,), name="a"), lib.Input((3,), name="b")
        shared = L.Dense(5, activation="tanh", name="shared")
        ha = shared(a)
        hb = shared(L.Dense(4, name="proj")(b))
        out1 = L.Dense(1, name="out1")(ha)
        out2 = L.Dense(3, name="out2")(hb)
        return lib.Model([a, b], [out1, out2])

    model, ref = build(kerasx), build(keras)
    assert [w.path for w in model.weights] == [w.path for w in ref.weights]
    model.set_weights(ref.get_weights())
    rng = np.random.default_rng(1)
    xa, xb = rng.standard_normal((6, 4)).astype("float32"), \
        rng.standard_normal((6, 3)).astype("float32")
    for got, want in zip(model([xa, xb]), ref([xa, xb])):
        np.testing.assert_allclose(_np(got), np.asarray(want), rtol=1e-5, atol=1e-6)
    got = model({"a": xa, "b": xb})
    np.testing.assert_allclose(_np(got[0]), np.asarray(ref([xa, xb])[0]), rtol=1e-5,
                               atol=1e-6)


def test_nested_model_and_dict_inputs(backend):
    inner_in = kl.Input((3,))
    inner = kerasx.Model(inner_in, kl.Dense(2, name="inner_dense")(inner_in), name="inner")
    x = kl.Input((3,), name="features")
    outer = kerasx.Model({"features": x}, kl.Dense(1)(inner(x)))
    data = np.ones((4, 3), "float32")
    out = _np(outer({"features": data}))
    expected = _np(outer.layers[-1](inner(data)))
    np.testing.assert_allclose(out, expected, rtol=1e-6)
    assert len(outer.weights) == 4
    with pytest.raises(ValueError, match="Missing inputs"):
        outer({"other": data})


def test_subclassed_model_and_layer(backend):
    class Scale(kl.Layer):
        def build(self, input_shape):
            self.w = self.add_weight(shape=(input_shape[-1],), initializer="ones",
                                     name="w")

        def call(self, inputs):
            return kops.multiply(inputs, self.w)

    class Net(kerasx.Model):
        def __init__(self):
            super().__init__()
            self.scale = Scale()
            self.dense = kl.Dense(2, kernel_initializer="ones")
            self.dropout = kl.Dropout(0.5)

        def call(self, inputs, training=None):
            return self.dense(self.dropout(self.scale(inputs), training=training))

    net = Net()
    out = _np(net(np.ones((3, 4), "float32")))
    np.testing.assert_allclose(out, np.full((3, 2), 4.0))
    assert [w.shape for w in net.weights] == [(4,), (4, 2), (2,)]
    assert len(net.trainable_weights) == 3
    net.scale.trainable = False
    assert len(net.trainable_weights) == 2 and len(net.non_trainable_weights) == 1


def test_trainable_flag_moves_weights(backend):
    model = kerasx.models.Sequential([kl.Input((2,)), kl.Dense(2), kl.Dense(1)])
    model.layers[0].trainable = False
    assert [w.path for w in model.trainable_weights] == [w.path for w in
                                                         model.layers[1].weights]
    assert len(model.non_trainable_weights) == 2
    model.trainable = False
    assert model.trainable_weights == [] and len(model.non_trainable_weights) == 4


def test_set_weights_errors_name_the_weight(backend):
    layer = kl.Dense(2)
    layer.build((None, 3))
    with pytest.raises(ValueError, match="expects 2 weights, but set_weights received 1"):
        layer.set_weights([np.zeros((3, 2))])
    with pytest.raises(ValueError, match=r"kernel' has shape \(3, 2\).*\(2, 2\)"):
        layer.set_weights([np.zeros((2, 2)), np.zeros(2)])


def test_sequential_config_round_trip(backend):
    model = kerasx.models.Sequential([kl.Input((4,)), kl.Dense(3, activation="relu"),
                                      kl.Dropout(0.25), kl.Dense(2, use_bias=False)])
    clone = kerasx.models.Sequential.from_config(model.get_config())
    assert [type(l).__name__ for l in clone.layers] == ["Dense", "Dropout", "Dense"]
    assert clone.layers[0].activation is kerasx.activations.relu
    assert clone.layers[1].rate == 0.25 and clone.layers[2].use_bias is False
    assert clone.count_params() == model.count_params()


def test_symbolic_input_cannot_be_used_as_values():
    x = kl.Input((3,))
    with pytest.raises(TypeError, match="symbolic KerasTensor has no values"):
        np.asarray(x)


def test_layer_rejects_unknown_keyword():
    with pytest.raises(TypeError, match="Unrecognized keyword arguments passed to Dense"):
        kl.Dense(3, unitz=4)


def test_functional_config_round_trip_and_keras_config(backend, keras):
    def build(lib):
        L = lib.layers
        a, b = lib.Input((4,), name="a"), lib.Input((3,), name="b")
        shared = L.Dense(5, activation="tanh", name="shared")
        h = L.Concatenate(name="cat")([shared(a), shared(L.Dense(4, name="proj")(b))])
        inner_in = lib.Input((10,))
        inner = lib.Model(inner_in, L.Dense(2, name="inner_out")(inner_in), name="inner")
        return lib.Model({"a": a, "b": b}, [inner(h), L.Dense(1, name="o2")(h)])

    model, ref = build(kerasx), build(keras)
    rng = np.random.default_rng(4)
    data = {"a": rng.standard_normal((3, 4)).astype("float32"),
            "b": rng.standard_normal((3, 3)).astype("float32")}
    for source in (model, ref):  # kerasx's own config, then Keras 3's
        clone = kerasx.models.Functional.from_config(source.get_config())
        clone.set_weights(source.get_weights())
        for got, expected in zip(clone(data), source(data)):
            np.testing.assert_allclose(_np(got), np.asarray(_np(expected)), rtol=1e-5,
                                       atol=1e-6)
    assert [l["name"] for l in model.get_config()["layers"]] == \
        [l["name"] for l in ref.get_config()["layers"]]


def _initial_weights(name):
    import kerasx.backend as kb
    kb.set_backend(name)
    kerasx.utils.set_random_seed(123)
    model = kerasx.Sequential([kl.Input((8, 8, 1)), kl.Conv2D(4, 3), kl.BatchNormalization(),
                               kl.Flatten(), kl.Dense(5, kernel_initializer="he_normal"),
                               kl.Dense(3, kernel_initializer="orthogonal")])
    return model.get_weights()


def test_same_seed_gives_bit_identical_initial_weights_on_every_backend():
    from tests.conftest import AVAILABLE_BACKENDS
    import kerasx.backend as kb

    previous = kb.backend()
    try:
        results = {name: _initial_weights(name) for name in AVAILABLE_BACKENDS}
    finally:
        kb.set_backend(previous)
    reference = results[AVAILABLE_BACKENDS[0]]
    for name, weights in results.items():
        assert len(weights) == len(reference) == 10
        for a, b in zip(weights, reference):
            np.testing.assert_array_equal(a, b, err_msg=name)
    assert np.std(reference[0]) > 0  # the kernels really are random
