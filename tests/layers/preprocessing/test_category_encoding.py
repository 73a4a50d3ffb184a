"""CategoryEncoding against Keras 3, eager and inside a compiled model."""
import numpy as np
import pytest

from kerasx import layers
from tests.layers.preprocessing.keras_compare import assert_configs_agree, assert_same

keras = pytest.importorskip("keras")

CASES = [dict(num_tokens=5), dict(num_tokens=5, output_mode="one_hot"),
         dict(num_tokens=5, output_mode="count"), dict(num_tokens=5, output_mode="binary")]


@pytest.mark.parametrize("kwargs", CASES, ids=[str(c) for c in CASES])
def test_matches_keras(backend, kwargs):
    ours, ref = layers.CategoryEncoding(**kwargs), keras.layers.CategoryEncoding(**kwargs)
    for x in (np.array([[1, 2, 2], [4, 0, 0]]), np.array([3, 1]), np.array([[1], [3]]),
              np.array(2)):
        assert_same(ours(x), ref(x), (kwargs, x.tolist()))
    assert ours.compute_output_shape((None, 3)) == ref.compute_output_shape((None, 3))
    assert_configs_agree(ours, ref)
    clone = layers.CategoryEncoding.from_config(ours.get_config())
    assert clone.get_config() == ours.get_config()


def test_count_weights(backend):
    ours = layers.CategoryEncoding(4, output_mode="count")
    ref = keras.layers.CategoryEncoding(4, output_mode="count")
    x, w = np.array([[1, 2, 1]]), np.array([[0.5, 2.0, 0.25]], dtype="float32")
    assert_same(ours(x, count_weights=w), ref(x, count_weights=w))
    with pytest.raises(ValueError, match="count_weights"):
        layers.CategoryEncoding(4)(x, count_weights=w)


def test_inside_a_compiled_model(backend):
    import kerasx
    inputs = kerasx.Input((3,), dtype="int32")
    hot = layers.CategoryEncoding(6, output_mode="count")(inputs)
    outputs = layers.Dense(1, kernel_initializer="ones")(hot)
    model = kerasx.Model(inputs, outputs)
    model.compile(optimizer="sgd", loss="mse")
    x = np.array([[0, 1, 1], [5, 5, 5]], dtype="int32")
    np.testing.assert_allclose(model.predict(x, verbose=0), [[3.0], [3.0]])
    model.fit(x, np.zeros((2, 1)), epochs=1, verbose=0)


def test_errors():
    with pytest.raises(ValueError, match=r"\[0, 3\)"):
        layers.CategoryEncoding(3)(np.array([[1, 3]]))
    with pytest.raises(ValueError, match=r"\[0, 3\)"):
        layers.CategoryEncoding(3)([[-1, 0]])
    with pytest.raises(ValueError, match="num_tokens must be set"):
        layers.CategoryEncoding()
    with pytest.raises(ValueError, match="output_mode"):
        layers.CategoryEncoding(3, output_mode="int")
    with pytest.raises(ValueError, match="rank"):
        layers.CategoryEncoding(3)(np.zeros((1, 2, 2), "int32"))
