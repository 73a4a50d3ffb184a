"""TextVectorization against Keras 3: standardize, split, n-grams, every
output mode, sequence length, vocabularies from adapt, configs."""
import numpy as np
import pytest

from kerasx import layers
from tests.layers.preprocessing.keras_compare import assert_configs_agree, assert_same

keras = pytest.importorskip("keras")

TEXTS = np.array(["The cat sat on the mat.", "The dog ate my homework!",
                  "Cats, dogs & birds", "the THE the", "Ünïcode Straße \u00a0café",
                  "tabs\tand\nnewlines  twice"])
QUERY = np.array(["the cat ate a bird", "unknown words here", "The mat", "",
                  "Straße café"])
CASES = [dict(), dict(output_mode="multi_hot"), dict(output_mode="count", ngrams=2),
         dict(output_mode="tf_idf"), dict(output_mode="tf_idf", ngrams=(1, 3)),
         dict(output_sequence_length=4), dict(output_sequence_length=12, ngrams=2),
         dict(max_tokens=6), dict(split="character", max_tokens=10),
         dict(standardize=None, split=None), dict(standardize="lower"),
         dict(standardize="strip_punctuation", output_mode="count"),
         dict(max_tokens=10, pad_to_max_tokens=True, output_mode="multi_hot")]


@pytest.mark.parametrize("kwargs", CASES, ids=[str(c) for c in CASES])
def test_adapt_and_call_match_keras(backend, kwargs):
    ours, ref = layers.TextVectorization(**kwargs), keras.layers.TextVectorization(**kwargs)
    ours.adapt(TEXTS)
    ref.adapt(TEXTS)
    assert ours.get_vocabulary() == ref.get_vocabulary()
    assert ours.vocabulary_size() == ref.vocabulary_size()
    assert_same(ours(QUERY), ref(QUERY), kwargs)
    assert_same(ours(QUERY[:, None]), ref(QUERY[:, None]), kwargs)
    assert_same(ours(list(QUERY)), ref(QUERY), kwargs)


def test_given_vocabulary_and_config_round_trip(backend):
    kwargs = dict(vocabulary=["cat", "dog", "the"], output_sequence_length=5, ngrams=None)
    ours, ref = layers.TextVectorization(**kwargs), keras.layers.TextVectorization(**kwargs)
    assert_configs_agree(ours, ref)
    clone = layers.TextVectorization.from_config(ours.get_config())
    assert_same(clone(QUERY), ref(QUERY))
    from_keras = layers.deserialize(keras.layers.serialize(ref))
    assert_same(from_keras(QUERY), ref(QUERY))


def test_callable_standardize_and_adapt_batches(backend):
    tf = pytest.importorskip("tensorflow")

    def upper(strings):
        # kerasx passes a NumPy array of str (Keras on TensorFlow a tf.Tensor).
        return np.char.upper(strings)

    ours = layers.TextVectorization(standardize=upper)
    ref = keras.layers.TextVectorization(standardize=tf.strings.upper)
    # ASCII texts: tf.strings.upper changes ASCII letters only.
    ours.adapt(iter([TEXTS[:2], TEXTS[2:4]]))
    ref.adapt(TEXTS[:4])
    assert ours.get_vocabulary() == ref.get_vocabulary()


def test_errors():
    with pytest.raises(ValueError, match="output_sequence_length"):
        layers.TextVectorization(output_mode="count", output_sequence_length=3)
    with pytest.raises(ValueError, match="standardize"):
        layers.TextVectorization(standardize="upper")
    with pytest.raises(ValueError, match="ngrams"):
        layers.TextVectorization(ngrams=[1, 2])
    with pytest.raises(ValueError, match="last shape dimension must be 1"):
        layers.TextVectorization(vocabulary=["a"])(np.array([["a", "b"]]))
    with pytest.raises(ValueError, match="not supported by kerasx"):
        layers.TextVectorization(ragged=True)


@pytest.mark.parametrize("kwargs", [dict(output_sequence_length=5),
                                    dict(output_mode="tf_idf", ngrams=2)])
def test_adapted_layer_round_trip_through_keras(backend, kwargs):
    layer = layers.TextVectorization(**kwargs)
    layer.adapt(TEXTS)
    config = layer.get_config()
    from_keras = keras.layers.TextVectorization.from_config(dict(config))
    clone = layers.TextVectorization.from_config(dict(config))
    assert from_keras.get_vocabulary() == clone.get_vocabulary() == layer.get_vocabulary()
    assert_same(clone(QUERY), from_keras(QUERY))
    assert_same(layer(QUERY), from_keras(QUERY))
