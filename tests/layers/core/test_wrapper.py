"""Wrapper, the base class of layers that wrap a layer: building, weights,
config round trip (also through a .keras file), as Keras 3's."""
import numpy as np
import pytest

keras = pytest.importorskip("keras")


def test_wrappers_are_wrapper_instances_as_in_keras():
    from kerasx import layers
    for make in (lambda L: L.TimeDistributed(L.Dense(2)),
                 lambda L: L.SpectralNormalization(L.Dense(2))):
        assert isinstance(make(layers), layers.Wrapper)
        assert isinstance(make(keras.layers), keras.layers.Wrapper)


def _doubler_class():
    import kerasx

    @kerasx.saving.register_keras_serializable(package="h4_test")
    class Doubler(kerasx.layers.Wrapper):
        """Twice the wrapped layer's output."""

        def call(self, inputs):
            return kerasx.ops.multiply(self.layer(inputs), 2.0)

        def compute_output_shape(self, input_shape):
            return self.layer.compute_output_shape(input_shape)

    return Doubler


def test_subclass_builds_wraps_and_round_trips(backend, tmp_path):
    import kerasx
    from kerasx.backend import get_ops

    Doubler = _doubler_class()
    layer = Doubler(kerasx.layers.Dense(3, name="inner"), name="doubler")
    x = np.random.default_rng(0).standard_normal((2, 4)).astype("float32")
    out = get_ops().to_numpy(layer(x))
    assert layer.layer.built and [w.name for w in layer.weights] == ["kernel", "bias"]
    kernel, bias = layer.get_weights()
    np.testing.assert_allclose(out, 2 * (x @ kernel + bias), rtol=1e-5, atol=1e-6)
    config = layer.get_config()
    assert config["layer"]["class_name"] == "Dense"
    assert config["layer"]["config"]["units"] == 3
    clone = Doubler.from_config(config)
    assert clone.get_config() == config and clone.layer is not layer.layer
    # Through a .keras file: weights and outputs come back.
    inputs = kerasx.Input((4,))
    model = kerasx.Model(inputs, Doubler(kerasx.layers.Dense(3))(inputs))
    path = str(tmp_path / "doubler.keras")
    model.save(path)
    loaded = kerasx.saving.load_model(path)
    np.testing.assert_allclose(get_ops().to_numpy(loaded(x)),
                               get_ops().to_numpy(model(x)), rtol=1e-6)


def test_wrapper_refuses_a_non_layer():
    from kerasx import layers
    with pytest.raises(ValueError, match="supported layer type"):
        layers.Wrapper("dense")
