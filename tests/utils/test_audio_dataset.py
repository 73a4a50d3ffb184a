"""audio_dataset_from_directory against Keras 3 on a small folder of WAV
files written with `wave`: the same files, labels, split, padding, and
samples (decoded as tf.audio.decode_wav does)."""
import wave

import numpy as np
import pytest

import kerasx
from kerasx import utils
from kerasx.utils.audio_dataset import read_wav

keras = pytest.importorskip("keras")


def _write_wav(path, samples, rate=16000, width=2):
    samples = np.asarray(samples)
    with wave.open(str(path), "wb") as wav:
        wav.setnchannels(samples.shape[1])
        wav.setsampwidth(width)
        wav.setframerate(rate)
        wav.writeframes(samples.tobytes())


@pytest.fixture
def audio_dir(tmp_path):
    """Two classes of stereo clips of different lengths, including the
    extreme values -32768 and 32767, and a file of another format."""
    rng = np.random.default_rng(0)
    for c, name in enumerate(["dog", "cat"]):
        (tmp_path / name).mkdir()
        for i in range(5):
            clip = rng.integers(-32768, 32768, (40 + 7 * i + 3 * c, 2)).astype("<i2")
            clip[0] = (-32768, 32767)
            _write_wav(tmp_path / name / f"clip{i}.wav", clip)
    (tmp_path / "dog" / "readme.txt").write_text("not audio")
    return tmp_path


def _batches(dataset):
    return [tuple(np.asarray(t) for t in b) if isinstance(b, tuple) else (np.asarray(b),)
            for b in dataset]


def _assert_same(ours, theirs):
    ours = [b if isinstance(b, tuple) else (b,) for b in ours]
    theirs = _batches(theirs)
    assert len(ours) == len(theirs)
    for a, b in zip(ours, theirs):
        assert len(a) == len(b)
        for x, y in zip(a, b):
            assert x.shape == y.shape and x.dtype == y.dtype, (x.shape, y.shape, x.dtype, y.dtype)
            np.testing.assert_array_equal(x, y)


@pytest.mark.parametrize("kwargs", [
    dict(),                                             # padded batches
    dict(output_sequence_length=50, label_mode="categorical"),   # cut and padded clips
    dict(output_sequence_length=80, label_mode="binary", batch_size=4),
    dict(label_mode=None, batch_size=None),             # one clip per item
    dict(labels=[1, 0, 2, 2, 1, 0, 0, 1, 2, 1], batch_size=3, output_sequence_length=45),
    dict(class_names=["dog", "cat"], batch_size=4),     # the given class order
])
def test_audio_matches_keras(audio_dir, kwargs):
    common = dict(shuffle=False, verbose=False, **{"batch_size": 3, **kwargs})
    ours = utils.audio_dataset_from_directory(str(audio_dir), **common)
    theirs = keras.utils.audio_dataset_from_directory(str(audio_dir), **common)
    assert ours.class_names == theirs.class_names
    _assert_same(list(ours), theirs)


def test_audio_split_and_shuffle_match_keras(audio_dir):
    common = dict(batch_size=None, seed=5, validation_split=0.4, verbose=False,
                  output_sequence_length=60)
    train, val = utils.audio_dataset_from_directory(str(audio_dir), subset="both", **common)
    assert len(train.file_paths) == 6 and len(val.file_paths) == 4
    assert not set(train.file_paths) & set(val.file_paths)
    for part, ours in (("training", train), ("validation", val)):
        theirs = keras.utils.audio_dataset_from_directory(str(audio_dir), subset=part,
                                                          **common)
        # Keras also shuffles the files in tf.data: compare as multisets.
        key = lambda pair: (pair[1].item(), pair[0].tobytes())  # noqa: E731
        assert sorted(map(key, [(x, y) for x, y in ours])) == sorted(
            map(key, _batches(theirs)))


def test_read_wav_decodes_as_tensorflow(tmp_path):
    import tensorflow as tf

    clip = np.array([[-32768], [-1], [0], [1], [12345], [32767]], dtype="<i2")
    _write_wav(tmp_path / "a.wav", clip, rate=8000)
    data = (tmp_path / "a.wav").read_bytes()
    for length in (None, 4, 9):
        audio, rate = read_wav(tmp_path / "a.wav", length)
        expected, expected_rate = tf.audio.decode_wav(
            data, desired_samples=-1 if length is None else length)
        assert rate == int(expected_rate) == 8000
        assert audio.dtype == np.float32
        np.testing.assert_array_equal(audio, expected.numpy())


def test_audio_errors(audio_dir, tmp_path):
    with pytest.raises(ValueError, match="ragged"):
        utils.audio_dataset_from_directory(str(audio_dir), ragged=True, verbose=False)
    with pytest.raises(ValueError, match="both `ragged` and `output_sequence_length`"):
        utils.audio_dataset_from_directory(str(audio_dir), ragged=True,
                                           output_sequence_length=10)
    with pytest.raises(ValueError, match="sampling_rate"):
        utils.audio_dataset_from_directory(str(audio_dir), sampling_rate=8000.0)
    with pytest.raises(ValueError, match="label_mode"):
        utils.audio_dataset_from_directory(str(audio_dir), label_mode="sparse")
    with pytest.raises(ValueError, match="binary"):
        (tmp_path / "three").mkdir()
        for name in "abc":
            (tmp_path / "three" / name).mkdir()
            _write_wav(tmp_path / "three" / name / "x.wav", np.zeros((3, 1), "<i2"))
        utils.audio_dataset_from_directory(str(tmp_path / "three"), label_mode="binary",
                                           verbose=False)
    empty = tmp_path / "empty"
    empty.mkdir()
    with pytest.raises(ValueError, match="No audio files"):
        utils.audio_dataset_from_directory(str(empty), verbose=False)
    # Read errors name the file and what to do.
    dataset = utils.audio_dataset_from_directory(str(audio_dir), sampling_rate=8000,
                                                 shuffle=False, verbose=False)
    with pytest.raises(ValueError, match="does not resample"):
        dataset[0]
    odd = tmp_path / "odd"
    (odd / "a").mkdir(parents=True)
    _write_wav(odd / "a" / "x.wav", np.zeros((4, 1), "u1"), width=1)
    with pytest.raises(ValueError, match="16-bit"):
        utils.audio_dataset_from_directory(str(odd), verbose=False)[0]


def test_ragged_unbatched_clips_and_sampling_rate(audio_dir):
    ours = utils.audio_dataset_from_directory(str(audio_dir), ragged=True, batch_size=None,
                                              shuffle=False, sampling_rate=16000,
                                              verbose=False)
    theirs = keras.utils.audio_dataset_from_directory(str(audio_dir), ragged=True,
                                                      batch_size=None, shuffle=False,
                                                      verbose=False)
    for (x, y), (kx, ky) in zip(ours, theirs):
        np.testing.assert_array_equal(x, kx.to_tensor().numpy())
        assert y == ky.numpy()


def test_audio_dataset_trains_a_model(audio_dir, backend):
    """Batches feed `fit` on every backend."""
    dataset = utils.audio_dataset_from_directory(str(audio_dir), batch_size=4, shuffle=False,
                                                 output_sequence_length=64, verbose=False)
    kerasx.random.set_global_seed(0)
    model = kerasx.Sequential([kerasx.Input((64, 2)), kerasx.layers.Flatten(),
                               kerasx.layers.Dense(2)])
    model.compile(optimizer="sgd", loss=kerasx.losses.SparseCategoricalCrossentropy(
        from_logits=True))
    history = model.fit(dataset, epochs=2, verbose=0)
    assert len(history.history["loss"]) == 2
    assert np.isfinite(history.history["loss"]).all()
