"""NumPy float64 reference of the array family (kerasx/backend/contract_array.py),
NumPy's own functions wherever NumPy has them."""
import numpy as np


def _i32(x):
    return np.asarray(x).astype(np.int32)


def sort(x, axis=-1):
    return np.sort(x, axis=axis)


def argsort(x, axis=-1):
    return _i32(np.argsort(x, axis=axis, kind="stable"))


def cumsum(x, axis=None, dtype=None):
    return np.cumsum(x, axis=axis, dtype=np.asarray(x).dtype if dtype is None else dtype)


def cumprod(x, axis=None, dtype=None):
    return np.cumprod(x, axis=axis, dtype=np.asarray(x).dtype if dtype is None else dtype)


def nancumsum(x, axis=None, dtype=None):
    return np.nancumsum(x, axis=axis)


def nancumprod(x, axis=None, dtype=None):
    return np.nancumprod(x, axis=axis)


def searchsorted(sorted_sequence, values, side="left"):
    return _i32(np.searchsorted(sorted_sequence, values, side=side))


def nonzero(x):
    return tuple(_i32(i) for i in np.nonzero(x))


flip, fliplr, flipud, roll, rot90 = np.flip, np.fliplr, np.flipud, np.roll, np.rot90
swapaxes, moveaxis, ravel, tril, triu = np.swapaxes, np.moveaxis, np.ravel, np.tril, np.triu
diagonal, diag, diagflat, trace, diff = np.diagonal, np.diag, np.diagflat, np.trace, np.diff
append, hstack, vstack, dstack = np.append, np.hstack, np.vstack, np.dstack
array_split, hsplit, vsplit, dsplit = np.array_split, np.hsplit, np.vsplit, np.dsplit
outer, inner, vdot, dot, tensordot = np.outer, np.inner, np.vdot, np.dot, np.tensordot
kron, cross, isin, select = np.kron, np.cross, np.isin, np.select


def repeat(x, repeats, axis=None):
    return np.repeat(x, repeats, axis=axis)


def copy(x):
    return np.array(x, copy=True)


def array(x, dtype=None):
    return np.asarray(x, dtype=dtype)


def size(x):
    return np.int32(np.size(x))


def count_nonzero(x, axis=None):
    return _i32(np.count_nonzero(x, axis=axis))


def digitize(x, bins):
    return _i32(np.digitize(x, bins))


def meshgrid(*x, indexing="xy"):
    return np.meshgrid(*x, indexing=indexing)


# -- the indexing family --------------------------------------------------------
def _rows(indices, k):
    return [tuple(r) for r in np.asarray(indices).reshape(-1, k)]


def scatter(indices, values, shape):
    out = np.zeros(shape)
    k = np.shape(indices)[-1]
    for r, v in zip(_rows(indices, k), np.reshape(values, (-1,) + tuple(shape[k:]))):
        out[r] += v
    return out


def scatter_update(inputs, indices, updates, reduction=None):
    out = np.array(inputs, dtype=np.float64)
    k = np.shape(indices)[-1]
    combine = {None: lambda a, b: b, "add": np.add, "max": np.maximum, "min": np.minimum,
               "mul": np.multiply}[reduction]
    for r, v in zip(_rows(indices, k), np.reshape(updates, (-1,) + np.shape(inputs)[k:])):
        out[r] = combine(out[r], v)
    return out


def slice_update(inputs, start_indices, updates):
    out = np.array(inputs)
    out[tuple(slice(s, s + n) for s, n in zip(start_indices, np.shape(updates)))] = updates
    return out


def unstack(x, num=None, axis=0):
    return list(np.moveaxis(x, axis, 0))


def _segment(data, ids, num, reduce, empty):
    num = int(np.max(ids)) + 1 if num is None else num
    out = []
    for s in range(num):
        rows = np.asarray(data)[np.asarray(ids) == s]
        out.append(reduce(rows, axis=0) if len(rows) else np.full(np.shape(data)[1:], empty))
    return np.array(out)


def segment_sum(data, segment_ids, num_segments=None, sorted=False):
    return _segment(data, segment_ids, num_segments, np.sum, 0.0)


def segment_max(data, segment_ids, num_segments=None, sorted=False):
    return _segment(data, segment_ids, num_segments, np.max, np.finfo(np.float64).min)


def segment_min(data, segment_ids, num_segments=None, sorted=False):
    return _segment(data, segment_ids, num_segments, np.min, np.finfo(np.float64).max)


def segment_prod(data, segment_ids, num_segments=None, sorted=False):
    return _segment(data, segment_ids, num_segments, np.prod, 1.0)


def in_top_k(targets, predictions, k):
    picked = np.take_along_axis(predictions, np.asarray(targets)[:, None], axis=1)
    return (np.sum(predictions > picked, axis=1) < k) & np.isfinite(picked[:, 0])


def extract_sequences(x, sequence_length, sequence_stride):
    n = np.shape(x)[-1]
    starts = range(0, n - sequence_length + 1, sequence_stride)
    return np.stack([np.asarray(x)[..., s:s + sequence_length] for s in starts], axis=-2)


def unravel_index(indices, shape):
    return tuple(i.astype(np.asarray(indices).dtype) for i in np.unravel_index(indices, shape))


def bincount(x, weights=None, minlength=0, sparse=False):
    return _i32(np.bincount(x, weights, minlength))


def histogram(x, bins=10, range=None):
    counts, edges = np.histogram(x, bins, range)
    return counts.astype(np.float64), edges  # counts in x's dtype


def argpartition(x, kth, axis=-1):
    return argsort(x, axis)


# -- the numeric family ---------------------------------------------------------
def vander(x, N=None, increasing=False):
    return np.vander(x, N, increasing).astype(np.asarray(x).dtype)


def trapezoid(y, x=None, dx=1.0, axis=-1):
    return np.trapz(y, x, dx, axis)


def correlate(x1, x2, mode="valid"):
    return np.correlate(x1, x2, mode)


def corrcoef(x):
    return np.clip(np.corrcoef(x), -1.0, 1.0)


def cdist(x, y):
    return np.sqrt(np.sum((np.asarray(x)[..., :, None, :] - np.asarray(y)[..., None, :, :])
                          ** 2, axis=-1))


def get_item(x, key):
    return np.asarray(x)[key]


def unique(x, sorted=True, return_index=False, return_inverse=False, return_counts=False,
           axis=None, size=None, fill_value=None):
    values, index, inverse, counts = np.unique(x, return_index=True, return_inverse=True,
                                               return_counts=True)
    if not sorted:  # first-occurrence order
        rank = np.argsort(index, kind="stable")
        values, index, counts = values[rank], index[rank], counts[rank]
        inverse = np.argsort(rank)[inverse]
    if size is not None:
        pad = size - len(values)
        values = np.concatenate([values[:size], np.full(max(pad, 0), fill_value or 0,
                                                        values.dtype)])
        index = np.concatenate([index[:size], np.ones(max(pad, 0), index.dtype)])
        counts = np.concatenate([counts[:size], np.zeros(max(pad, 0), counts.dtype)])
    results = [values]
    if return_index:
        results.append(_i32(index))
    if return_inverse:
        results.append(_i32(inverse).reshape(np.shape(x)))
    if return_counts:
        results.append(_i32(counts))
    return tuple(results) if len(results) > 1 else values


def slogdet(x):
    return tuple(np.linalg.slogdet(x))


def logdet(x):
    sign, logabs = np.linalg.slogdet(x)
    return np.where(sign >= 0, logabs, np.nan)


def rearrange(tensor, pattern, **axes_lengths):
    import re
    left, right = [[g.strip("() ").split() for g in re.findall(r"\([^)]*\)|\w+", side)]
                   for side in pattern.split("->")]
    sizes = {}
    for group, size in zip(left, np.shape(tensor)):
        known = int(np.prod([axes_lengths.get(n, 1) for n in group]))
        sizes.update({n: axes_lengths.get(n, size // known) for n in group})
    names = [n for g in left for n in g]
    out = np.reshape(tensor, [sizes[n] for n in names])
    out = np.transpose(out, [names.index(n) for g in right for n in g])
    return np.reshape(out, [int(np.prod([sizes[n] for n in g])) for g in right])


# -- the Fourier family ---------------------------------------------------------
def _parts(z):
    return np.real(z), np.imag(z)


def fft(x):
    return _parts(np.fft.fft(x[0] + 1j * x[1]))


def fft2(x):
    return _parts(np.fft.fft2(x[0] + 1j * x[1]))


def ifft2(x):
    return _parts(np.fft.ifft2(x[0] + 1j * x[1]))


def rfft(x, fft_length=None):
    return _parts(np.fft.rfft(x, fft_length))


def irfft(x, fft_length=None):
    n = 2 * (np.shape(x[0])[-1] - 1) if fft_length is None else fft_length
    z = (x[0] + 1j * x[1])[..., :n // 2 + 1]
    z = np.concatenate([z, np.zeros(z.shape[:-1] + (n // 2 + 1 - z.shape[-1],))], -1)
    # The imaginary parts of the zero and Nyquist frequencies do not count
    # (as TensorFlow's irfft).
    z[..., 0] = z[..., 0].real
    if n % 2 == 0:
        z[..., -1] = z[..., -1].real
    return np.fft.irfft(z, n)


def _stft_window(window, sequence_length, fft_length):
    if window is None:
        return np.ones(fft_length)
    a = 0.5 if window == "hann" else 0.54
    win = a - (1 - a) * np.cos(2 * np.pi * np.arange(sequence_length) / sequence_length)
    left = (fft_length - sequence_length) // 2
    return np.pad(win, (left, fft_length - sequence_length - left))


def stft(x, sequence_length, sequence_stride, fft_length, window="hann", center=True):
    x = np.asarray(x)
    if center:
        x = np.pad(x, [(0, 0)] * (x.ndim - 1) + [(fft_length // 2,) * 2], mode="reflect")
    starts = range(0, x.shape[-1] - fft_length + 1, sequence_stride)
    frames = np.stack([x[..., s:s + fft_length] for s in starts], axis=-2)
    return _parts(np.fft.rfft(frames * _stft_window(window, sequence_length, fft_length),
                              fft_length))


def istft(x, sequence_length, sequence_stride, fft_length, length=None, window="hann",
          center=True):
    frames = np.fft.irfft(x[0] + 1j * x[1], fft_length)
    win = _stft_window(window, sequence_length, fft_length)
    if window is not None:
        # Each sample divided by the squared windows that overlap it.
        square = np.zeros(fft_length)
        reach = -(-fft_length // sequence_stride)
        for shift in range(-reach * sequence_stride, fft_length + 1, sequence_stride):
            lo, hi = max(shift, 0), min(fft_length + shift, fft_length)
            if lo < hi:
                square[lo:hi] += win[lo - shift:hi - shift] ** 2
        frames = frames * (win / square)
    count = frames.shape[-2]
    out = np.zeros(frames.shape[:-2] + (fft_length + sequence_stride * (count - 1),))
    for f in range(count):
        out[..., f * sequence_stride:f * sequence_stride + fft_length] += frames[..., f, :]
    start = fft_length // 2 if center else 0
    end = start + length if length is not None else (
        out.shape[-1] - fft_length // 2 if center else out.shape[-1])
    return out[..., start:end]
