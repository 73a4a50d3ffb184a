"""Models holding preprocessing layers save to .keras in kerasx and load in
Keras 3 (and back in kerasx) with the same predictions; an adapted
vocabulary travels in the layer's config."""
import numpy as np
import pytest

import kerasx
from kerasx import layers

keras = pytest.importorskip("keras")


def _lookup_model():
    lookup = layers.IntegerLookup(name="ids")
    lookup.adapt(np.array([[1, 2, 3], [3, 3, 7], [9, 9, 9]]))
    return kerasx.Sequential([kerasx.Input((3,), dtype="int64"), lookup,
                              layers.Embedding(lookup.vocabulary_size(), 2),
                              layers.Flatten(), layers.Dense(1)]), \
        np.array([[1, 2, 9], [7, 7, 8], [3, 0, 1]])


def _binning_model():
    inputs = kerasx.Input((3,))
    bins = layers.Discretization(bin_boundaries=[0.0, 0.5], name="bins")(inputs)
    counts = layers.CategoryEncoding(3, output_mode="count")(bins)
    hashed = layers.Dense(2, activation="tanh")(counts)
    return kerasx.Model(inputs, hashed), \
        np.array([[-1.0, 0.2, 0.7], [0.9, 0.9, 0.1]], dtype="float32")


@pytest.mark.parametrize("make", [_lookup_model, _binning_model], ids=["lookup", "binning"])
def test_saved_model_loads_in_keras(backend, tmp_path, make):
    kerasx.random.set_global_seed(0)
    model, x = make()
    model.compile(optimizer="sgd", loss="mse", run_eagerly=True)
    expected = model.predict(x, verbose=0)
    path = str(tmp_path / "model.keras")
    model.save(path)
    theirs = keras.models.load_model(path)
    np.testing.assert_allclose(np.asarray(theirs.predict(x, verbose=0)), expected,
                               rtol=1e-6, atol=1e-6)
    ours = kerasx.models.load_model(path, compile=False)
    ours.compile(optimizer="sgd", loss="mse", run_eagerly=True)
    np.testing.assert_allclose(ours.predict(x, verbose=0), expected, rtol=1e-6, atol=1e-6)


def test_keras_file_with_adapted_vocabulary_loads_in_kerasx(backend, tmp_path):
    lookup = keras.layers.IntegerLookup()
    lookup.adapt(np.array([[1, 2, 3], [3, 3, 7], [9, 9, 9]]))
    model = keras.Sequential([keras.Input((3,), dtype="int64"), lookup,
                              keras.layers.Embedding(lookup.vocabulary_size(), 2),
                              keras.layers.Flatten(), keras.layers.Dense(1)])
    x = np.array([[1, 2, 9], [7, 7, 8], [3, 0, 1]])
    path = str(tmp_path / "keras.keras")
    model.save(path)
    ours = kerasx.models.load_model(path, compile=False)
    assert ours.layers[0].get_vocabulary() == [int(v) for v in lookup.get_vocabulary()]
    ours.compile(optimizer="sgd", loss="mse", run_eagerly=True)
    np.testing.assert_allclose(ours.predict(x, verbose=0), model.predict(x, verbose=0),
                               rtol=1e-6, atol=1e-6)


@pytest.mark.parametrize("make", [
    lambda lib: lib.layers.StringLookup(mask_token="", num_oov_indices=2),
    lambda lib: lib.layers.TextVectorization(ngrams=2)])
def test_load_assets_reads_keras_vocabulary_files(tmp_path, make):
    texts = np.array(["a b c", "a a d", "the cat"])
    ref = make(keras)
    ref.adapt(texts)
    ref.save_assets(str(tmp_path))
    layer = layers.deserialize(keras.layers.serialize(ref))
    layer.load_assets(str(tmp_path))
    assert layer.get_vocabulary() == ref.get_vocabulary()
