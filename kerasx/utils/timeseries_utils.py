"""timeseries_dataset_from_array (keras.utils.timeseries_dataset_from_array)."""
import numpy as np

from kerasx.utils.batched_dataset import BatchedDataset


def _check(data, sequence_stride, sampling_rate, start_index, end_index):
    n = len(data)
    if start_index:
        if start_index < 0:
            raise ValueError(f"`start_index` must be 0 or greater. Received: "
                             f"start_index={start_index}")
        if start_index >= n:
            raise ValueError("`start_index` must be lower than the length of the data. "
                             f"Received: start_index={start_index}, for data of length {n}")
    if end_index:
        if start_index and end_index <= start_index:
            raise ValueError("`end_index` must be higher than `start_index`. Received: "
                             f"start_index={start_index}, and end_index={end_index} ")
        if end_index >= n:
            raise ValueError("`end_index` must be lower than the length of the data. "
                             f"Received: end_index={end_index}, for data of length {n}")
        if end_index <= 0:
            raise ValueError(f"`end_index` must be higher than 0. Received: "
                             f"end_index={end_index}")
    if sampling_rate <= 0:
        raise ValueError(f"`sampling_rate` must be higher than 0. Received: "
                         f"sampling_rate={sampling_rate}")
    if sampling_rate >= n:
        raise ValueError("`sampling_rate` must be lower than the length of the data. "
                         f"Received: sampling_rate={sampling_rate}, for data of length {n}")
    if sequence_stride <= 0:
        raise ValueError(f"`sequence_stride` must be higher than 0. Received: "
                         f"sequence_stride={sequence_stride}")
    if sequence_stride >= n:
        raise ValueError("`sequence_stride` must be lower than the length of the data. "
                         f"Received: sequence_stride={sequence_stride}, for data of "
                         f"length {n}")


def timeseries_dataset_from_array(data, targets, sequence_length, sequence_stride=1,
                                  sampling_rate=1, batch_size=128, shuffle=False, seed=None,
                                  start_index=None, end_index=None):
    """Sliding windows over a time series, batched, as
    keras.utils.timeseries_dataset_from_array.

    Window i holds `data[start + p_i + k * sampling_rate]` for k in
    range(sequence_length), p_i = i * sequence_stride; its target is
    `targets[start + p_i]`.

    Args:
        data: an array (or list) whose first axis is time.
        targets: the targets (same first axis), or None for windows only.
        sequence_length: steps per window.
        sequence_stride: steps between the starts of consecutive windows.
        sampling_rate: steps between consecutive samples of a window.
        batch_size: windows per batch (None: one window per item).
        shuffle: shuffle the windows (np.random.RandomState(seed), as Keras
            shuffles its start positions).
        seed: the shuffle seed.
        start_index, end_index: use data[start_index:end_index] only.

    Returns:
        A kerasx `BatchedDataset` (a PyDataset) of NumPy batches `x` or
        `(x, y)`: without shuffling, the same batches as Keras's
        tf.data.Dataset. With shuffling, the same windows in a different
        order (Keras also passes them through tf.data's shuffle buffer,
        whose random stream only TensorFlow has).

    Raises:
        ValueError: for indices, strides or rates outside the data.
    """
    _check(data, sequence_stride, sampling_rate, start_index, end_index)
    start = start_index or 0
    end = len(data) if end_index is None else end_index
    num_seqs = end - start - (sequence_length - 1) * sampling_rate
    if targets is not None:
        num_seqs = min(num_seqs, len(targets))
    positions = np.arange(0, max(num_seqs, 0), sequence_stride,
                          dtype="int32" if num_seqs < 2147483647 else "int64")
    if shuffle:
        if seed is None:
            seed = np.random.randint(1e6)
        np.random.RandomState(seed).shuffle(positions)
    window = np.arange(sequence_length) * sampling_rate
    data_slice = np.asarray(data[start:end])
    target_slice = None if targets is None else np.asarray(targets[start:end])

    def sample(i):
        x = data_slice[positions[i] + window]
        return x if target_slice is None else (x, target_slice[positions[i]])

    return BatchedDataset(sample, len(positions), batch_size)
