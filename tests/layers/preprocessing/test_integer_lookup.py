"""IntegerLookup against Keras 3: adapt, OOV (floormod and farmhash), masks,
invert, output modes, configs."""
import numpy as np
import pytest

from kerasx import layers
from tests.layers.preprocessing.keras_compare import assert_configs_agree, assert_same

keras = pytest.importorskip("keras")

DATA = np.array([[1, 2, 3], [1, 1, 4], [5, 2, 1], [12, 4, 3]])
QUERY = np.array([[1, 9, 77], [4, 0, -5], [12, 3, 2]])
CASES = [dict(), dict(num_oov_indices=3), dict(mask_token=0),
         dict(num_oov_indices=2, oov_method="farmhash"),
         dict(num_oov_indices=2, oov_method="farmhash", salt=[3, 4]),
         dict(max_tokens=4, output_mode="multi_hot"), dict(output_mode="count"),
         dict(output_mode="tf_idf"), dict(mask_token=0, output_mode="one_hot")]


@pytest.mark.parametrize("kwargs", CASES, ids=[str(c) for c in CASES])
def test_adapt_and_call_match_keras(backend, kwargs):
    ours, ref = layers.IntegerLookup(**kwargs), keras.layers.IntegerLookup(**kwargs)
    ours.adapt(DATA)
    ref.adapt(DATA)
    assert ours.get_vocabulary() == [int(v) for v in ref.get_vocabulary()]
    assert_same(ours(QUERY), ref(QUERY), kwargs)
    assert_same(ours(QUERY.astype("int32")), ref(QUERY), kwargs)
    from kerasx.backend import get_ops
    assert_same(ours(get_ops().convert_to_tensor(QUERY)), ref(QUERY), kwargs)


def test_invert_and_config(backend):
    kwargs = dict(vocabulary=[7, 8, 9], mask_token=0)
    ours, ref = layers.IntegerLookup(**kwargs), keras.layers.IntegerLookup(**kwargs)
    assert_configs_agree(ours, ref)
    clone = layers.IntegerLookup.from_config(ours.get_config())
    assert_same(clone(np.array([9, 0, 3])), ref(np.array([9, 0, 3])))
    inverse = layers.IntegerLookup(invert=True, **kwargs)
    ref_inverse = keras.layers.IntegerLookup(invert=True, **kwargs)
    assert_same(inverse(np.array([[2, 0, 1, 3]])), ref_inverse(np.array([[2, 0, 1, 3]])))


def test_errors():
    with pytest.raises(ValueError, match="greater than 1"):
        layers.IntegerLookup(max_tokens=1)
    with pytest.raises(ValueError, match="int64"):
        layers.IntegerLookup(vocabulary_dtype="int32")
    with pytest.raises(ValueError, match="farmhash"):
        layers.IntegerLookup(salt=3)
    with pytest.raises(ValueError, match="invert"):
        layers.IntegerLookup(invert=True, output_mode="count")


def test_in_a_model(backend):
    import kerasx
    lookup = layers.IntegerLookup()
    lookup.adapt(np.array([[1, 2, 3], [3, 3, 7]]))
    model = kerasx.Sequential([kerasx.Input((3,), dtype="int64"), lookup,
                               layers.Embedding(6, 1, embeddings_initializer="ones"),
                               layers.Flatten(),
                               layers.Dense(1, kernel_initializer="ones")])
    x = np.array([[1, 2, 9], [7, 7, 7]])
    model.compile(optimizer="sgd", loss="mse", run_eagerly=True)
    np.testing.assert_allclose(model.predict(x, verbose=0), [[3.0], [3.0]])
    model.compile(optimizer="sgd", loss="mse")
    if backend == "tensorflow":
        # tf.function traces the step: the framework's error, with a note.
        with pytest.raises(Exception) as info:
            model.predict(x, verbose=0)
        assert "run_eagerly=True" in " ".join(getattr(info.value, "__notes__", []))
    else:
        np.testing.assert_allclose(model.predict(x, verbose=0), [[3.0], [3.0]])
