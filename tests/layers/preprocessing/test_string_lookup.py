"""StringLookup against Keras 3: vocabularies from adapt (order and ties),
every output mode, OOV hashing, masks, invert, configs, files."""
import numpy as np
import pytest

from kerasx import layers
from tests.layers.preprocessing.keras_compare import assert_configs_agree, assert_same

keras = pytest.importorskip("keras")

DATA = np.array([["a", "b", "c"], ["a", "a", "d"], ["e", "b", "a"], ["ü", "d", "c"]])
QUERY = np.array([["a", "zz", "qq"], ["d", "e", ""], ["ü", "c", "b"]])

CASES = [dict(), dict(num_oov_indices=3), dict(num_oov_indices=0, max_tokens=6),
         dict(mask_token="", output_mode="multi_hot"), dict(max_tokens=4, output_mode="count"),
         dict(output_mode="tf_idf"), dict(output_mode="one_hot"),
         dict(num_oov_indices=2, salt=7), dict(max_tokens=8, pad_to_max_tokens=True,
                                               output_mode="multi_hot"),
         dict(mask_token="[MASK]", oov_token="<oov>")]


@pytest.mark.parametrize("kwargs", CASES, ids=[str(c) for c in CASES])
def test_adapt_and_call_match_keras(backend, kwargs):
    ours, ref = layers.StringLookup(**kwargs), keras.layers.StringLookup(**kwargs)
    ours.adapt(DATA)
    ref.adapt(DATA)
    assert ours.get_vocabulary() == ref.get_vocabulary()
    assert ours.get_vocabulary(include_special_tokens=False) == \
        ref.get_vocabulary(include_special_tokens=False)
    assert ours.vocabulary_size() == ref.vocabulary_size()
    query = QUERY if kwargs.get("num_oov_indices") != 0 else np.array([["a", "b"], ["e", "d"]])
    assert_same(ours(query), ref(query), kwargs)
    assert_same(ours(query.tolist()), ref(query), kwargs)
    assert_same(ours(query[:, 0]), ref(query[:, 0]), kwargs)


def test_given_vocabulary_config_round_trip(backend):
    kwargs = dict(vocabulary=["x", "y", "z"], mask_token="", num_oov_indices=2)
    ours, ref = layers.StringLookup(**kwargs), keras.layers.StringLookup(**kwargs)
    assert_configs_agree(ours, ref)
    clone = layers.StringLookup.from_config(ours.get_config())
    assert clone.get_vocabulary() == ref.get_vocabulary()
    query = np.array(["y", "", "w", "x"])
    assert_same(clone(query), ref(query))
    keras_config = ref.get_config()
    assert layers.deserialize({"class_name": "StringLookup", "config": keras_config,
                               "module": "keras.layers"}).get_vocabulary() == \
        ref.get_vocabulary()


def test_tf_idf_with_given_weights(backend):
    kwargs = dict(vocabulary=["a", "b"], output_mode="tf_idf", idf_weights=[0.5, 0.25])
    ours, ref = layers.StringLookup(**kwargs), keras.layers.StringLookup(**kwargs)
    query = np.array([["a", "c"], ["b", "b"]])
    assert_same(ours(query), ref(query))


def test_invert_returns_strings(backend):
    ours = layers.StringLookup(vocabulary=["a", "b"], invert=True)
    ref = keras.layers.StringLookup(vocabulary=["a", "b"], invert=True)
    indices = np.array([[1, 2, 0, 7]])
    assert_same(ours(indices), ref(indices))


def test_vocabulary_file_and_errors(tmp_path, backend):
    path = tmp_path / "vocab.txt"
    path.write_text("one\ntwo\nthree\n")
    ours = layers.StringLookup(vocabulary=str(path))
    ref = keras.layers.StringLookup(vocabulary=str(path))
    assert ours.get_vocabulary() == ref.get_vocabulary()
    assert_same(ours(np.array(["two", "four"])), ref(np.array(["two", "four"])))
    with pytest.raises(ValueError, match="repeated"):
        layers.StringLookup(vocabulary=["a", "a"])
    with pytest.raises(ValueError, match="does not exist"):
        layers.StringLookup(vocabulary=str(tmp_path / "missing.txt"))
    with pytest.raises(ValueError, match="num_oov_indices=1"):
        layers.StringLookup(vocabulary=["a"], num_oov_indices=0)(np.array(["b"]))
    with pytest.raises(RuntimeError, match="vocabulary before calling"):
        layers.StringLookup(output_mode="multi_hot")(np.array(["b"]))
    with pytest.raises(ValueError, match="Cannot adapt"):
        layers.StringLookup(vocabulary=["a"]).adapt(np.array(["b"]))


def test_adapt_on_batches_and_bytes(backend):
    ours, ref = layers.StringLookup(max_tokens=5), keras.layers.StringLookup(max_tokens=5)
    batches = [DATA[:2], DATA[2:]]
    ours.adapt(iter(batches))
    ref.adapt(DATA)
    assert ours.get_vocabulary() == ref.get_vocabulary()
    encoded = np.array([b"a", "ü".encode("utf-8"), b"nope"], dtype=object)
    assert_same(ours(encoded), ref(np.array(["a", "ü", "nope"])))


def test_symbolic_call_shape():
    import kerasx
    layer = layers.StringLookup(vocabulary=["a", "b"], output_mode="multi_hot")
    out = layer(kerasx.Input((3,), dtype="int32"))
    assert out.shape == (None, 3) and out.dtype == "int64"


@pytest.mark.parametrize("kwargs", [dict(), dict(output_mode="tf_idf", max_tokens=5,
                                                 pad_to_max_tokens=True),
                                    dict(mask_token="", num_oov_indices=2)])
def test_adapted_vocabulary_travels_in_the_config(backend, kwargs):
    layer = layers.StringLookup(**kwargs)
    layer.adapt(DATA)
    config = layer.get_config()
    assert config["vocabulary"] == layer.get_vocabulary()
    clone = layers.StringLookup.from_config(config)
    from_keras = keras.layers.StringLookup.from_config(config)
    assert clone.get_vocabulary() == from_keras.get_vocabulary() == layer.get_vocabulary()
    assert_same(clone(QUERY), from_keras(QUERY))
    assert_same(layer(QUERY), from_keras(QUERY))


def test_keras_config_of_an_adapted_layer_is_refused_clearly():
    ref = keras.layers.StringLookup()
    ref.adapt(DATA)
    layer = layers.StringLookup.from_config(ref.get_config())
    with pytest.raises(ValueError, match="asset files"):
        layer(QUERY)
    layer.set_vocabulary(ref.get_vocabulary())
    assert_same(layer(QUERY), ref(QUERY))
