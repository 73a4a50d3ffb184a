"""Discretization against Keras 3: given and adapted boundaries (Keras's
quantile summary), every output mode, configs, inside a compiled model."""
import numpy as np
import pytest

from kerasx import layers
from tests.layers.preprocessing.keras_compare import assert_configs_agree, assert_same

keras = pytest.importorskip("keras")

X = np.array([[-1.5, 0.0, 0.2], [1.0, 2.5, -0.3]], dtype="float32")


@pytest.mark.parametrize("mode", ["int", "one_hot", "multi_hot", "count"])
def test_given_boundaries_match_keras(backend, mode):
    kwargs = dict(bin_boundaries=[0.0, 1.0, 2.0], output_mode=mode)
    ours, ref = layers.Discretization(**kwargs), keras.layers.Discretization(**kwargs)
    x = X if mode != "one_hot" else X[0]
    assert_same(ours(x), ref(x), mode)
    assert ours.compute_output_shape((None, 3)) == ref.compute_output_shape((None, 3))
    assert_configs_agree(ours, ref)


@pytest.mark.parametrize("num_bins,epsilon", [(4, 0.01), (3, 0.1), (10, 0.001)])
def test_adapt_matches_keras(backend, num_bins, epsilon):
    data = np.random.default_rng(0).normal(size=(500, 2)).astype("float32")
    ours = layers.Discretization(num_bins=num_bins, epsilon=epsilon)
    ref = keras.layers.Discretization(num_bins=num_bins, epsilon=epsilon)
    ours.adapt(data)
    ref.adapt(data)
    np.testing.assert_array_equal(ours.bin_boundaries, ref.bin_boundaries)
    assert_same(ours(data[:7]), ref(data[:7]))
    batched = layers.Discretization(num_bins=num_bins, epsilon=epsilon)
    batched.adapt(iter([data[:200], data[200:]]))
    ref.adapt(iter([data[:200], data[200:]]))
    np.testing.assert_array_equal(batched.bin_boundaries, ref.bin_boundaries)
    clone = layers.Discretization.from_config(ours.get_config())
    assert clone.bin_boundaries == ours.bin_boundaries


def test_inside_a_compiled_model(backend):
    import kerasx
    inputs = kerasx.Input((3,))
    binned = layers.Discretization([0.0, 1.0], output_mode="count")(inputs)
    model = kerasx.Model(inputs, layers.Dense(1, kernel_initializer="ones")(binned))
    model.compile(optimizer="sgd", loss="mse")
    np.testing.assert_allclose(model.predict(X, verbose=0), [[3.0], [3.0]])


def test_errors():
    with pytest.raises(ValueError, match="either `num_bins` or `bin_boundaries`"):
        layers.Discretization()
    with pytest.raises(ValueError, match="Both"):
        layers.Discretization([0.0], num_bins=2)
    with pytest.raises(ValueError, match="Cannot adapt"):
        layers.Discretization([0.0]).adapt(X)
    with pytest.raises(ValueError, match="adapt"):
        layers.Discretization(num_bins=3)(X)
