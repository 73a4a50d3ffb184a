"""Hashing and HashedCrossing against Keras 3 (TensorFlow's hash functions,
reimplemented), and the hash functions themselves against TensorFlow."""
import random

import numpy as np
import pytest

from kerasx import layers
from kerasx.layers.preprocessing import string_hash
from tests.layers.preprocessing.keras_compare import assert_configs_agree, assert_same

keras = pytest.importorskip("keras")

STRINGS = np.array([["a"], ["b"], ["hello world"], [""], ["ü"], ["x" * 70]])
CASES = [dict(num_bins=7), dict(num_bins=7, mask_value="b"), dict(num_bins=5, salt=133),
         dict(num_bins=5, salt=[1, 2**40]), dict(num_bins=5, output_mode="multi_hot"),
         dict(num_bins=6, output_mode="one_hot"), dict(num_bins=4, output_mode="count"),
         dict(num_bins=3, dtype="int32")]


def test_fingerprint_and_siphash_match_tensorflow():
    tf = pytest.importorskip("tensorflow")
    rng = random.Random(0)
    data = [bytes(rng.randrange(256) for _ in range(n))
            for n in list(range(0, 140)) + [200, 255, 256, 257, 1000]]
    buckets = 2**62
    fast = tf.strings.to_hash_bucket_fast(tf.constant(data), buckets).numpy()
    assert [string_hash.fingerprint64(s) % buckets for s in data] == fast.tolist()
    strong = tf.strings.to_hash_bucket_strong(tf.constant(data), buckets, key=[5, 9]).numpy()
    assert [string_hash.siphash24(5, 9, s) % buckets for s in data] == strong.tolist()


@pytest.mark.parametrize("kwargs", CASES, ids=[str(c) for c in CASES])
def test_hashing_strings_match_keras(backend, kwargs):
    ours, ref = layers.Hashing(**kwargs), keras.layers.Hashing(**kwargs)
    assert_same(ours(STRINGS), ref(STRINGS), kwargs)
    assert_same(ours(STRINGS[:, 0]), ref(STRINGS[:, 0]), kwargs)
    assert_configs_agree(ours, ref)


def test_hashing_numbers_match_keras(backend):
    from kerasx.backend import get_ops
    ints = np.array([[1, 2], [300, -7], [0, 2**40]])
    for kwargs in (dict(num_bins=10), dict(num_bins=10, mask_value=0), dict(num_bins=9, salt=4)):
        ours, ref = layers.Hashing(**kwargs), keras.layers.Hashing(**kwargs)
        assert_same(ours(ints), ref(ints), kwargs)
        assert_same(ours(get_ops().convert_to_tensor(ints)), ref(ints), kwargs)
    floats = np.array([[1.7, -2.2, 3.0]], dtype="float32")
    assert_same(layers.Hashing(11)(floats), keras.layers.Hashing(11)(floats))


def test_hashing_config_round_trip_and_errors():
    layer = layers.Hashing(num_bins=4, salt=3, mask_value="")
    clone = layers.Hashing.from_config(layer.get_config())
    assert clone.get_config() == layer.get_config() and clone.salt == [3, 3]
    with pytest.raises(ValueError, match="num_bins"):
        layers.Hashing(0)
    with pytest.raises(ValueError, match="salt"):
        layers.Hashing(3, salt="x")
    with pytest.raises(ValueError, match="integer"):
        layers.Hashing(3, dtype="float32")


@pytest.mark.parametrize("kwargs", [dict(num_bins=10), dict(num_bins=2**33),
                                    dict(num_bins=6, output_mode="one_hot")])
def test_hashed_crossing_matches_keras(backend, kwargs):
    a = np.array([1, -2, 3, 2**40])
    b = np.array(["a", "b", "", "üx"])
    ours, ref = layers.HashedCrossing(**kwargs), keras.layers.HashedCrossing(**kwargs)
    assert_same(ours((a, b)), ref((a, b)), kwargs)
    assert_same(ours([a[:, None], b[:, None], b[:, None]]),
                ref([a[:, None], b[:, None], b[:, None]]), kwargs)
    assert_configs_agree(ours, ref)


def test_hashed_crossing_errors():
    layer = layers.HashedCrossing(5)
    with pytest.raises(ValueError, match="list or tuple"):
        layer(np.array([1, 2]))
    with pytest.raises(ValueError, match="at least two"):
        layer([np.array([1])])
    with pytest.raises(ValueError, match="equal shape"):
        layer([np.array([1, 2]), np.array([1])])
    with pytest.raises(ValueError, match="integer or string"):
        layer([np.array([1.5]), np.array([1])])
