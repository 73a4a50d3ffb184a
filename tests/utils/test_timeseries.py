"""timeseries_dataset_from_array against Keras 3's tf.data batches."""
import numpy as np
import pytest

from kerasx.utils import timeseries_dataset_from_array

keras = pytest.importorskip("keras")


def _keras_batches(*args, **kwargs):
    return [tuple(np.asarray(t) for t in b) if isinstance(b, tuple) else np.asarray(b)
            for b in keras.utils.timeseries_dataset_from_array(*args, **kwargs)]


CASES = [dict(sequence_length=5), dict(sequence_length=4, sequence_stride=3, batch_size=4),
         dict(sequence_length=3, sampling_rate=2, batch_size=5, start_index=2,
              end_index=40),
         dict(sequence_length=6, batch_size=None)]


@pytest.mark.parametrize("kwargs", CASES, ids=[str(c) for c in CASES])
@pytest.mark.parametrize("with_targets", [True, False])
def test_same_batches_as_keras(kwargs, with_targets):
    data = np.arange(100 * 2, dtype="float32").reshape(100, 2)
    targets = np.arange(100) * 10 if with_targets else None
    ours = list(timeseries_dataset_from_array(data, targets, **kwargs))
    theirs = _keras_batches(data, targets, **kwargs)
    assert len(ours) == len(theirs)
    for a, b in zip(ours, theirs):
        if with_targets:
            for x, y in zip(a, b):
                np.testing.assert_array_equal(x, y)
        else:
            np.testing.assert_array_equal(a, b)


def test_shuffle_keeps_the_windows():
    data = np.arange(50)
    ours = np.concatenate([x for x, _ in timeseries_dataset_from_array(
        data, data, sequence_length=3, shuffle=True, seed=4, batch_size=8)])
    plain = np.concatenate([x for x, _ in timeseries_dataset_from_array(
        data, data, sequence_length=3, batch_size=8)])
    again = np.concatenate([x for x, _ in timeseries_dataset_from_array(
        data, data, sequence_length=3, shuffle=True, seed=4, batch_size=8)])
    np.testing.assert_array_equal(ours, again)
    assert not np.array_equal(ours, plain)
    assert sorted(map(tuple, ours)) == sorted(map(tuple, plain))


def test_fit_on_it(backend):
    import kerasx
    data = np.random.default_rng(0).random((40, 2)).astype("float32")
    ds = timeseries_dataset_from_array(data, data[:, 0], sequence_length=4, batch_size=8)
    model = kerasx.Sequential([kerasx.Input((4, 2)), kerasx.layers.Flatten(),
                               kerasx.layers.Dense(1)])
    model.compile(optimizer="sgd", loss="mse")
    history = model.fit(ds, epochs=1, verbose=0)
    assert np.isfinite(history.history["loss"][0])


def test_errors():
    data = np.arange(10)
    with pytest.raises(ValueError, match="start_index"):
        timeseries_dataset_from_array(data, None, 3, start_index=10)
    with pytest.raises(ValueError, match="end_index"):
        timeseries_dataset_from_array(data, None, 3, end_index=10)
    with pytest.raises(ValueError, match="sampling_rate"):
        timeseries_dataset_from_array(data, None, 3, sampling_rate=0)
    with pytest.raises(ValueError, match="sequence_stride"):
        timeseries_dataset_from_array(data, None, 3, sequence_stride=10)
