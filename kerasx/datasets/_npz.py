"""Reading the datasets' .npz files: ragged token lists are object arrays,
which need pickle; only NumPy array reconstruction (and plain Python data)
is allowed, so a crafted file cannot run code."""
import io
import pickle
import zipfile

import numpy as np

_ALLOWED = {("numpy", "ndarray"), ("numpy", "dtype"),
            ("numpy.core.multiarray", "_reconstruct"),
            ("numpy._core.multiarray", "_reconstruct")}


class _ArrayUnpickler(pickle.Unpickler):
    def find_class(self, module, name):
        if (module, name) in _ALLOWED:
            return super().find_class(module, name)
        raise pickle.UnpicklingError(f"Refusing to load {module}.{name} from a dataset "
                                     "file: it may be corrupted or malicious.")


def _read_member(buffer):
    try:
        return np.lib.format.read_array(buffer, allow_pickle=False)
    except ValueError:
        # An object array: re-read its header, then unpickle restrictedly.
        buffer.seek(0)
        major, _ = np.lib.format.read_magic(buffer)
        if major == 1:
            np.lib.format.read_array_header_1_0(buffer)
        elif major in (2, 3):
            np.lib.format.read_array_header_2_0(buffer)
        else:
            raise ValueError(f"Unsupported .npy format version {major}.") from None
        return _ArrayUnpickler(buffer).load()


def load_npz(path):
    """{name: array} of an .npz file, object arrays included (restricted)."""
    arrays = {}
    with zipfile.ZipFile(path) as archive:
        for member in archive.namelist():
            if member.endswith(".npy"):
                with archive.open(member) as raw:
                    arrays[member[:-4]] = _read_member(io.BytesIO(raw.read()))
    return arrays


def shuffled(seed, *arrays):
    """`arrays` permuted by one np.random.RandomState(seed) shuffle (Keras's
    order, so the same seed gives Keras's split)."""
    order = np.arange(len(arrays[0]))
    np.random.RandomState(seed).shuffle(order)
    return tuple(a[order] for a in arrays)


def split_rows(x, y, test_split):
    """((x_train, y_train), (x_test, y_test)): the first int(n * (1 -
    test_split)) rows train."""
    n = int(len(x) * (1 - test_split))
    return (np.array(x[:n]), np.array(y[:n])), (np.array(x[n:]), np.array(y[n:]))


def check_test_split(test_split):
    """Raise ValueError unless 0 <= test_split < 1."""
    if not 0 <= test_split < 1:
        raise ValueError(f"Invalid `test_split` argument: {test_split}. It must be between "
                         "0 and 1 (exclusive of 1).")


def index_words(xs, start_char, index_from):
    """Token lists with `index_from` added to every index and `start_char`
    prepended (when not None)."""
    if start_char is not None:
        return [[start_char] + [w + index_from for w in x] for x in xs]
    return [[w + index_from for w in x] for x in xs]


def drop_long(maxlen, xs, labels):
    """Only the sequences shorter than `maxlen` (strictly), with their labels."""
    kept = [(x, y) for x, y in zip(xs, labels) if len(x) < maxlen]
    return [x for x, _ in kept], [y for _, y in kept]


def limit_vocabulary(xs, num_words, skip_top, oov_char):
    """Indices outside [skip_top, num_words) become `oov_char`, or are
    dropped when it is None; num_words None means the largest index."""
    if not num_words:
        num_words = max(max(x) for x in xs if len(x)) if any(len(x) for x in xs) else 0
    if oov_char is not None:
        return [[w if skip_top <= w < num_words else oov_char for w in x] for x in xs]
    return [[w for w in x if skip_top <= w < num_words] for x in xs]
