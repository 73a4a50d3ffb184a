"""split_dataset against Keras 3: the same samples on each side, with and
without the seeded shuffle."""
import numpy as np
import pytest

from kerasx import utils

keras = pytest.importorskip("keras")


def _keras_side(dataset):
    samples = list(dataset.as_numpy_iterator())
    if isinstance(samples[0], tuple):
        return tuple(np.stack(parts) for parts in zip(*samples))
    return np.stack(samples)


@pytest.mark.parametrize("sizes", [dict(left_size=0.8), dict(right_size=3),
                                   dict(left_size=4, right_size=0.5),
                                   dict(left_size=0.25, right_size=0.25)])
@pytest.mark.parametrize("shuffle", [False, True])
def test_matches_keras(sizes, shuffle):
    x = np.arange(20, dtype="float32").reshape(10, 2)
    y = np.arange(10) * 3
    for data in ((x, y), x):
        ours = utils.split_dataset(data, shuffle=shuffle, seed=5, **sizes)
        theirs = keras.utils.split_dataset(data, shuffle=shuffle, seed=5, **sizes)
        for our_side, their_side in zip(ours, theirs):
            expected = _keras_side(their_side)
            if isinstance(data, tuple):
                for a, b in zip(our_side, expected):
                    np.testing.assert_array_equal(a, b)
            else:
                np.testing.assert_array_equal(our_side, expected)


def test_batched_dataset_and_dicts():
    ds = utils.timeseries_dataset_from_array(np.arange(30), np.arange(30), 3, batch_size=4)
    left, right = utils.split_dataset(ds, left_size=0.5)
    assert left.batch_size == 4 and left.num_samples + right.num_samples == 28
    np.testing.assert_array_equal(left[0][0][0], [0, 1, 2])
    data = {"a": np.arange(6), "b": np.arange(6) * 2}
    left, right = utils.split_dataset(data, right_size=2)
    assert left["a"].tolist() == [0, 1, 2, 3] and right["b"].tolist() == [8, 10]


def test_errors():
    x = np.arange(10)
    with pytest.raises(ValueError, match="At least one"):
        utils.split_dataset(x)
    with pytest.raises(ValueError, match="left_size"):
        utils.split_dataset(x, left_size=10)
    with pytest.raises(TypeError, match="left_size"):
        utils.split_dataset(x, left_size="half")
    with pytest.raises(ValueError, match="greater than 1"):
        utils.split_dataset(x, left_size=0.7, right_size=0.6)
    with pytest.raises(TypeError, match="dataset"):
        utils.split_dataset(object(), left_size=1)
