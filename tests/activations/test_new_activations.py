"""The keras.activations functions added with contract_nn.py (and mish)
against Keras 3, and their names through get / serialize / deserialize."""
import numpy as np
import pytest

import kerasx as keras

RNG = np.random.default_rng(3)
X = (RNG.choice([-1.0, 1.0], (4, 6)) * RNG.uniform(0.05, 3.0, (4, 6))).astype("float32")

CALLS = [
    ("celu", {}), ("celu", {"alpha": 2.0}), ("glu", {}), ("hard_shrink", {}),
    ("hard_shrink", {"threshold": 1.2}), ("hard_silu", {}), ("hard_swish", {}),
    ("hard_tanh", {}), ("log_sigmoid", {}), ("mish", {}), ("soft_shrink", {}),
    ("soft_shrink", {"threshold": 0.1}), ("sparse_plus", {}), ("sparse_sigmoid", {}),
    ("squareplus", {}), ("squareplus", {"b": 1}), ("tanh_shrink", {}),
    ("threshold", {"threshold": 0.2, "default_value": 0.0}),
]
NAMES = sorted({n for n, _ in CALLS} | {"sparsemax"})


@pytest.mark.parametrize("name,kwargs", CALLS, ids=[f"{n}-{k}" if k else n for n, k in CALLS])
def test_values_match_keras(backend, name, kwargs):
    import keras as ref

    want = np.asarray(getattr(ref.activations, name)(X, **kwargs))
    got = keras.ops.convert_to_numpy(getattr(keras.activations, name)(X, **kwargs))
    assert got.dtype == want.dtype
    np.testing.assert_allclose(got, want, rtol=1e-5, atol=1e-6)


def test_sparsemax_rows_sum_to_one(backend):
    got = keras.ops.convert_to_numpy(keras.activations.sparsemax(X * 0.3))
    np.testing.assert_allclose(got.sum(-1), 1.0, rtol=1e-6)
    assert (got >= 0).all() and (got == 0).any()


@pytest.mark.parametrize("name", NAMES)
def test_get_and_serialize_use_keras_names(name):
    import keras as ref

    fn = keras.activations.get(name)
    assert fn is getattr(keras.activations, name) or name == "hard_swish"
    assert keras.activations.serialize(fn) == ref.activations.serialize(
        ref.activations.get(name))
    assert keras.activations.deserialize(keras.activations.serialize(fn)) is fn


def test_a_layer_with_a_new_activation_round_trips(backend):
    import keras as ref

    layer = keras.layers.Dense(3, activation="mish")
    config = layer.get_config()
    assert config["activation"] == ref.layers.Dense(3, activation="mish").get_config()[
        "activation"]
    assert keras.layers.Dense.from_config(config).activation is keras.activations.mish


def test_a_model_with_new_activations_saves_for_keras(backend, tmp_path):
    import keras as ref

    model = keras.Sequential([keras.Input((6,)), keras.layers.Dense(5, activation="mish"),
                              keras.layers.Dense(4, activation="hard_silu"),
                              keras.layers.Dense(3, activation="squareplus")])
    path = str(tmp_path / "activations.keras")
    model.save(path)
    loaded = ref.models.load_model(path)
    np.testing.assert_allclose(np.asarray(loaded.predict(X, verbose=0)),
                               keras.ops.convert_to_numpy(model.predict(X, verbose=0)),
                               rtol=1e-5, atol=1e-6)
    again = keras.models.load_model(path)
    assert again.layers[-1].activation is keras.activations.squareplus
