"""audio_dataset_from_directory (keras.utils): WAV clips from class
sub-folders, decoded on the host with the standard library's `wave` module
as tf.audio.decode_wav decodes them (16-bit PCM scaled by 1 / 32768), in a
kerasx BatchedDataset where Keras 3 returns a tf.data.Dataset."""
import wave

import numpy as np

from kerasx.utils import directory_index as index
from kerasx.utils.directory_datasets import build_datasets

AUDIO_FORMATS = (".wav",)


def read_wav(path, output_sequence_length=None):
    """(samples, channels) float32 array and sample rate of a 16-bit PCM
    WAV file, as tf.audio.decode_wav: samples / 32768, cut or zero-padded
    to `output_sequence_length` samples when given.

    Raises:
        ValueError: a file that is not 16-bit PCM WAV (TensorFlow reads no
            other sample width either).
    """
    try:
        with wave.open(str(path), "rb") as wav:
            width, channels = wav.getsampwidth(), wav.getnchannels()
            rate, frames = wav.getframerate(), wav.readframes(wav.getnframes())
    except (wave.Error, EOFError) as exc:
        raise ValueError(f"Cannot read {path} as a PCM WAV file ({exc}). "
                         "audio_dataset_from_directory reads 16-bit PCM WAV files; "
                         "convert the file first.") from None
    if width != 2:
        raise ValueError(f"{path} holds {8 * width}-bit samples; audio_dataset_from_directory "
                         "reads 16-bit WAV files only (as tf.audio.decode_wav). Convert the "
                         "file to 16-bit PCM first.")
    samples = np.frombuffer(frames, dtype="<i2")
    samples = samples[:len(samples) // channels * channels].reshape(-1, channels)
    audio = samples.astype("float32") * np.float32(1.0 / 32768.0)
    if output_sequence_length is not None:
        audio = audio[:output_sequence_length]
        audio = np.pad(audio, ((0, output_sequence_length - len(audio)), (0, 0)))
    return audio, rate


def audio_dataset_from_directory(directory, labels="inferred", label_mode="int",
                                 class_names=None, batch_size=32, sampling_rate=None,
                                 output_sequence_length=None, ragged=False, shuffle=True,
                                 seed=None, validation_split=None, subset=None,
                                 follow_links=False, verbose=True):
    """Audio clips (.wav) from class sub-folders, as
    keras.utils.audio_dataset_from_directory: the same files, labels, split
    and (without shuffling) order; with shuffling the file order is Keras's
    first permutation (Keras then also passes the files through tf.data's
    shuffle buffer).

    Each clip is a float32 array (samples, channels) of its 16-bit PCM
    samples / 32768, as tf.audio.decode_wav decodes it; with
    `output_sequence_length` it is cut or zero-padded to that many samples,
    otherwise each batch is zero-padded to its longest clip (Keras's
    padded_batch). Labels: int32 ("int"), one-hot float32 ("categorical"),
    float32 (1,) ("binary") or none (label_mode None).

    Args:
        directory, labels, label_mode, class_names, batch_size, shuffle,
            seed, validation_split, subset, follow_links, verbose: as
            image_dataset_from_directory.
        sampling_rate: the sample rate the clips have. Keras resamples other
            rates with tensorflow-io; kerasx does not resample, and a file
            at another rate raises when it is read.
        output_sequence_length: samples per clip (None: each clip's own).
        ragged: clips of their own lengths. kerasx has no ragged tensors,
            so only unbatched datasets (batch_size=None, each item one clip
            array) can be ragged.

    Returns:
        A kerasx `BatchedDataset` (PyDataset) of NumPy batches, with
        `class_names` and `file_paths`; a [training, validation] list for
        subset="both".

    Raises:
        ValueError: for bad arguments (Keras's messages), ragged batches, a
            folder without .wav files, or (when read) a file that is not
            16-bit PCM or not at `sampling_rate`.
    """
    index.check_labels_arg(labels, label_mode, class_names, "audio")
    if labels is None or label_mode is None:
        labels = label_mode = None
    if ragged and output_sequence_length is not None:
        raise ValueError("Cannot set both `ragged` and `output_sequence_length`")
    if ragged and batch_size is not None:
        raise ValueError("audio_dataset_from_directory(ragged=True) needs batch_size=None: "
                         "kerasx has no ragged tensors, so batches of clips of different "
                         "lengths cannot be ragged. Use ragged=False (each batch is "
                         "zero-padded to its longest clip), set output_sequence_length, "
                         "or pass batch_size=None to get one clip array per item.")
    if sampling_rate is not None:
        if not isinstance(sampling_rate, int) or isinstance(sampling_rate, bool):
            raise ValueError("`sampling_rate` should have an integer value. "
                             f"Received: sampling_rate={sampling_rate}")
        if sampling_rate <= 0:
            raise ValueError("`sampling_rate` should be higher than 0. "
                             f"Received: sampling_rate={sampling_rate}")
    if output_sequence_length is not None and (
            not isinstance(output_sequence_length, int) or output_sequence_length < 0):
        raise ValueError("`output_sequence_length` should be a non-negative integer or "
                         f"None. Received: output_sequence_length={output_sequence_length}")
    index.check_validation_split_arg(validation_split, subset, shuffle, seed)
    if seed is None:
        seed = np.random.randint(1e6)
    paths, labels, class_names = index.index_directory(
        directory, labels, formats=AUDIO_FORMATS, class_names=class_names, shuffle=shuffle,
        seed=seed, follow_links=follow_links, verbose=verbose)
    if label_mode == "binary" and len(class_names) != 2:
        raise ValueError('When passing `label_mode="binary"`, there must be exactly 2 '
                         f"class_names. Received: class_names={class_names}")

    def load(path):
        audio, rate = read_wav(path, output_sequence_length)
        if sampling_rate is not None and rate != sampling_rate:
            raise ValueError(f"{path} is sampled at {rate} Hz, not at sampling_rate="
                             f"{sampling_rate}. kerasx does not resample audio (Keras does "
                             "it with tensorflow-io): resample the files beforehand, or "
                             "pass sampling_rate=None.")
        return audio

    return build_datasets(paths, labels, class_names, label_mode, validation_split, subset,
                          load, batch_size, directory, "audio files",
                          padded=output_sequence_length is None)
