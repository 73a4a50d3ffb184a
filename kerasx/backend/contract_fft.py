"""The Fourier family of the contract (`keras.ops` fft, fft2, ifft2, rfft,
irfft, stft, istft). Complex tensors are (real, imag) pairs of float
tensors, as in Keras, so the contract needs no complex dtype.

All are composites: a discrete Fourier transform is a product with the
cosine and sine matrices of its length (computed on the host in float64,
then cast), exact up to rounding and differentiable everywhere. It costs
O(n^2) per transform where a fast transform costs O(n log n); a plugin may
override one with its framework's FFT where that gives the same numbers.
"""
import numpy as np

from kerasx.backend.op_roles import composite


def _window(window, length):
    """A periodic Hann or Hamming window (as tf.signal), or the given one."""
    if isinstance(window, str):
        if window not in ("hann", "hamming"):
            raise ValueError('If a string is passed to `window`, it must be one of "hann", '
                             f'"hamming". Received: window={window!r}')
        a = 0.5 if window == "hann" else 0.54
        return a - (1.0 - a) * np.cos(2.0 * np.pi * np.arange(length) / length)
    return None if window is None else np.asarray(window, np.float64)


class FftContract:
    """Mixin of `Backend`: the Fourier family (see the module's docstring)."""

    def _pair(self, x, op):
        if not isinstance(x, (tuple, list)) or len(x) != 2:
            raise ValueError(f"{op}: `x` must be a tuple (real, imag) of two tensors.")
        real, imag = x
        if self.shape(real) != self.shape(imag) or self.dtype(real) != self.dtype(imag):
            raise ValueError(f"{op}: the real and imaginary parts must have the same shape "
                             f"and dtype; received {self.shape(real)} {self.dtype(real)} "
                             f"and {self.shape(imag)} {self.dtype(imag)}.")
        if not self.dtype(real).startswith("float"):
            raise TypeError(f"{op}: the parts must be float tensors; received "
                            f"{self.dtype(real)}.")
        return real, imag

    def _trig(self, rows, cols, n, dtype, scale=1.0):
        """(cos, sin) of 2 pi j k / n for j < rows, k < cols, times `scale`."""
        angle = 2.0 * np.pi * np.outer(np.arange(rows), np.arange(cols)) / n
        return (self.convert_to_tensor((np.cos(angle) * scale).astype(dtype)),
                self.convert_to_tensor((np.sin(angle) * scale).astype(dtype)))

    def _dft(self, real, imag, inverse=False):
        """The DFT (or inverse DFT) of (real, imag) along the last axis."""
        n = self.shape(real)[-1]
        c, s = self._trig(n, n, n, self.dtype(real), 1.0 / n if inverse else 1.0)
        if inverse:
            s = self.negative(s)
        return (self.add(self.matmul(real, c), self.matmul(imag, s)),
                self.subtract(self.matmul(imag, c), self.matmul(real, s)))

    def _fit_length(self, x, n):
        """`x` cut or zero-padded to length `n` along the last axis."""
        length = self.shape(x)[-1]
        if n < length:
            return self.slice(x, (0,) * self.ndim(x), self.shape(x)[:-1] + (n,))
        if n > length:
            return self.pad(x, ((0, 0),) * (self.ndim(x) - 1) + ((0, n - length),))
        return x

    @composite(tensors=("x",))
    def fft(self, x):
        """Discrete Fourier transform along the last axis of the complex
        tensor x = (real, imag); returns (real, imag)."""
        return self._dft(*self._pair(x, "fft"))

    def _fft2(self, x, inverse, op):
        real, imag = self._pair(x, op)
        if self.ndim(real) < 2:
            raise ValueError(f"{op}: the input must be at least 2-D.")
        real, imag = self._dft(real, imag, inverse)
        real, imag = self._dft(self.swapaxes(real, -1, -2), self.swapaxes(imag, -1, -2),
                               inverse)
        return self.swapaxes(real, -1, -2), self.swapaxes(imag, -1, -2)

    @composite(tensors=("x",))
    def fft2(self, x):
        """2-D discrete Fourier transform over the last two axes of
        x = (real, imag)."""
        return self._fft2(x, False, "fft2")

    @composite(tensors=("x",))
    def ifft2(self, x):
        """Inverse of `fft2` (scaled by 1 / (rows * columns))."""
        return self._fft2(x, True, "ifft2")

    @composite(tensors=("x",))
    def rfft(self, x, fft_length=None):
        """Fourier transform of the real `x` along its last axis (cut or
        zero-padded to `fft_length`): the fft_length // 2 + 1 non-negative
        frequencies, as (real, imag)."""
        n = self.shape(x)[-1] if fft_length is None else int(fft_length)
        x = self._fit_length(x, n)
        c, s = self._trig(n, n // 2 + 1, n, self.dtype(x))
        return self.matmul(x, c), self.negative(self.matmul(x, s))

    @composite(tensors=("x",))
    def irfft(self, x, fft_length=None):
        """Inverse of `rfft`: the real signal of length `fft_length`
        (default 2 * (frequencies - 1)) whose non-negative frequencies are
        x = (real, imag), cut or zero-padded to fft_length // 2 + 1. The
        imaginary parts of the zero and Nyquist frequencies do not count."""
        real, imag = self._pair(x, "irfft")
        n = 2 * (self.shape(real)[-1] - 1) if fft_length is None else int(fft_length)
        bins = n // 2 + 1
        real, imag = self._fit_length(real, bins), self._fit_length(imag, bins)
        weight = np.full((bins, 1), 2.0)
        weight[0] = 1.0
        if n % 2 == 0:
            weight[-1] = 1.0
        angle = 2.0 * np.pi * np.outer(np.arange(bins), np.arange(n)) / n
        dtype = self.dtype(real)
        c = self.convert_to_tensor((weight * np.cos(angle) / n).astype(dtype))
        s = self.convert_to_tensor((-weight * np.sin(angle) / n).astype(dtype))
        return self.add(self.matmul(real, c), self.matmul(imag, s))

    def _stft_window(self, window, sequence_length, fft_length, dtype):
        """The window of `sequence_length` centred in `fft_length` (host)."""
        if self.is_tensor(window):
            window = self.to_numpy(window)
        win = _window(window, sequence_length)
        if win is None:
            return None
        if win.shape != (sequence_length,):
            raise ValueError("The shape of `window` must be equal to [sequence_length]."
                             f"Received: window shape={win.shape}")
        left = (fft_length - sequence_length) // 2
        return np.pad(win, (left, fft_length - sequence_length - left))

    @composite(tensors=("x",))
    def stft(self, x, sequence_length, sequence_stride, fft_length, window="hann",
             center=True):
        """Short-time Fourier transform of the real `x` along its last axis,
        as keras.ops.stft: frames of `fft_length` every `sequence_stride`
        (after reflect-padding fft_length // 2 on both sides when `center`),
        each multiplied by the window of `sequence_length` ("hann",
        "hamming", an array, or None) centred in it; returns (real, imag)
        of shape (..., frames, fft_length // 2 + 1)."""
        if self.dtype(x) not in ("float32", "float64"):
            raise TypeError("Invalid input type. Expected `float32` or `float64`. "
                            f"Received: input type={self.dtype(x)}")
        if fft_length < sequence_length:
            raise ValueError("`fft_length` must equal or larger than `sequence_length`. "
                             f"Received: sequence_length={sequence_length}, "
                             f"fft_length={fft_length}")
        win = self._stft_window(window, sequence_length, fft_length, self.dtype(x))
        if center:
            half, n = fft_length // 2, self.shape(x)[-1]
            reflect = np.concatenate([np.arange(half, 0, -1), np.arange(n),
                                      np.arange(n - 2, n - 2 - half, -1)])
            x = self._host_gather(x, reflect, self.ndim(x) - 1)
        frames = self.extract_sequences(x, fft_length, sequence_stride)
        if win is not None:
            frames = self.multiply(frames, self.convert_to_tensor(win.astype(self.dtype(x))))
        return self.rfft(frames, fft_length)

    @composite(tensors=("x",))
    def istft(self, x, sequence_length, sequence_stride, fft_length, length=None,
              window="hann", center=True):
        """Inverse of `stft` (tf.signal.inverse_stft's overlap-add with its
        window normalisation), as keras.ops.istft: x = (real, imag) of shape
        (..., frames, fft_length // 2 + 1); the output is cut to `length`
        samples (from fft_length // 2 when `center`)."""
        real, _ = self._pair(x, "istft")
        dtype = self.dtype(real)
        frames = self.irfft(x, fft_length)
        win = self._stft_window(window, sequence_length, fft_length, dtype)
        if win is not None:
            # tf.signal.inverse_stft_window_fn: the window over the sum of
            # the squared windows overlapping each sample.
            overlaps = -(-fft_length // sequence_stride)
            denom = np.pad(win ** 2, (0, overlaps * sequence_stride - fft_length))
            denom = np.tile(denom.reshape(overlaps, sequence_stride).sum(0), overlaps)
            inverse = win / denom[:fft_length]
            frames = self.multiply(frames, self.convert_to_tensor(inverse.astype(dtype)))
        out = self._overlap_add(frames, sequence_stride)
        total = self.shape(out)[-1]
        start = fft_length // 2 if center else 0
        if length is not None:
            end = start + length
        else:
            end = total - fft_length // 2 if center else total
        return self.get_item(out, (Ellipsis, slice(start, end)))

    def _overlap_add(self, frames, step):
        """Sum of `frames` (..., F, L) placed every `step` samples:
        (..., L + step * (F - 1)). Frames are cut into blocks of `step`;
        block b of frame f lands in output block f + b."""
        shape = self.shape(frames)
        count, length = shape[-2], shape[-1]
        blocks = -(-length // step)
        lead = shape[:-2]
        padded = self.pad(frames, ((0, 0),) * (len(shape) - 1)
                          + ((0, blocks * step - length),))
        parts = self.reshape(padded, lead + (count, blocks, step))
        total = None
        for b in range(blocks):
            part = self.get_item(parts, (Ellipsis, b, slice(None)))
            placed = self.pad(part, ((0, 0),) * len(lead) + ((b, blocks - 1 - b), (0, 0)))
            total = placed if total is None else self.add(total, placed)
        flat = self.reshape(total, lead + ((count + blocks - 1) * step,))
        return self.slice(flat, (0,) * len(shape[:-1]),
                          lead + (length + step * (count - 1),))
