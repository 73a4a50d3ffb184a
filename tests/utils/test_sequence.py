"""keras.utils.pad_sequences (and keras.preprocessing.sequence) against Keras 3."""
import numpy as np
import pytest

import kerasx

CASES = [
    dict(),
    dict(maxlen=2),
    dict(maxlen=5, padding="post"),
    dict(maxlen=2, truncating="post"),
    dict(maxlen=3, padding="post", truncating="post", value=-1),
    dict(dtype="float32", value=0.5),
]
SEQUENCES = [[1, 2, 3], [4], [], [5, 6, 7, 8]]


@pytest.mark.parametrize("kwargs", CASES, ids=[str(c) for c in CASES])
def test_pad_sequences_matches_keras(kwargs):
    import keras

    want = keras.utils.pad_sequences(SEQUENCES, **kwargs)
    got = kerasx.utils.pad_sequences(SEQUENCES, **kwargs)
    assert got.dtype == want.dtype
    np.testing.assert_array_equal(got, want)


def test_pad_sequences_to_length_zero_is_empty():
    # Keras 3.15 fails here with a broadcast error; an empty batch is the answer.
    out = kerasx.utils.pad_sequences(SEQUENCES, maxlen=0)
    assert out.shape == (4, 0) and out.dtype == np.int32


def test_pad_sequences_of_vectors_and_strings():
    import keras

    vectors = [np.ones((2, 3)), np.full((4, 3), 2.0)]
    np.testing.assert_array_equal(
        kerasx.utils.pad_sequences(vectors, maxlen=3, dtype="float32"),
        keras.utils.pad_sequences(vectors, maxlen=3, dtype="float32"))
    words = [["a", "b"], ["c"]]
    np.testing.assert_array_equal(
        kerasx.preprocessing.sequence.pad_sequences(words, dtype=object, value=""),
        keras.preprocessing.sequence.pad_sequences(words, dtype=object, value=""))


@pytest.mark.parametrize("kwargs, match", [
    (dict(padding="middle"), "padding"),
    (dict(truncating="both"), "truncating"),
    (dict(maxlen=-1), "maxlen"),
    (dict(value="x"), "dtype=object"),
])
def test_pad_sequences_rejects_bad_arguments(kwargs, match):
    with pytest.raises(ValueError, match=match):
        kerasx.utils.pad_sequences(SEQUENCES, **kwargs)


def test_pad_sequences_rejects_ragged_elements_and_non_sequences():
    with pytest.raises(ValueError, match="shape"):
        kerasx.utils.pad_sequences([np.ones((2, 3)), np.ones((2, 4))])
    with pytest.raises(ValueError, match="list of sequences"):
        kerasx.utils.pad_sequences([[1, 2], 3])


def test_pack_and_unpack_x_y_sample_weight_match_keras():
    import keras

    x, y, w = np.zeros(3), np.ones(3), np.full(3, 2.0)
    for args in [(x,), (x, y), (x, y, w), ((x, x),)]:
        got = kerasx.utils.pack_x_y_sample_weight(*args)
        want = keras.utils.pack_x_y_sample_weight(*args)
        assert type(got) is type(want) and len(got) == len(want)
        unpacked = kerasx.utils.unpack_x_y_sample_weight(got)
        reference = keras.utils.unpack_x_y_sample_weight(want)
        assert [u is None for u in unpacked] == [r is None for r in reference]
