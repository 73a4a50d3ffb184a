"""STFTSpectrogram: short-time Fourier transform spectrograms computed by
convolution with (optionally trainable) STFT kernels, as
keras.layers.STFTSpectrogram."""
import math
import warnings

import numpy as np

from kerasx import config, initializers
from kerasx.backend import get_ops
from kerasx.layers.input_spec import InputSpec
from kerasx.layers.layer import Layer

MODES = ("log", "magnitude", "psd", "real", "imag", "angle", "stft")


def _conv_length(length, frame_length, step, padding):
    """Frames of a 1-D convolution over `length` samples (None stays None)."""
    if length is None:
        return None
    if padding == "same":
        return -(-length // step)
    return (length - frame_length) // step + 1


class STFTSpectrogram(Layer):
    """Spectrogram of each channel of a signal, computed as a strided 1-D
    convolution with STFT kernels (`kerasx.initializers.STFT`), as
    keras.layers.STFTSpectrogram. The kernels are weights (trainable unless
    `trainable=False`), `real_kernel` then `imag_kernel` (only the one a
    mode needs), each of shape (frame_length, 1, fft_length // 2 + 1), so
    weights copy to and from Keras.

    Args:
        mode: "log" (log magnitude, default), "magnitude", "psd" (power
            spectral density: inner frequencies counted twice), "real",
            "imag", "angle" or "stft" (real then imaginary frequencies).
        frame_length: samples per frame (default 256).
        frame_step: samples between frames (default frame_length // 2).
        fft_length: FFT size, at least frame_length (default the smallest
            power of two not below frame_length).
        window: "hann" (default), "hamming", another SciPy window name, an
            array of frame_length values, or None.
        periodic: whether a named window is periodic (default False).
        scaling: "density" (default), "spectrum" or None: the window
            normalisation (see the STFT initializer).
        padding: "valid" (default) or "same".
        expand_dims: put frequencies and channels on separate axes (an
            image-like output) instead of merging them.
        data_format: "channels_last" (inputs (batch, time, channels)) or
            "channels_first" ((batch, channels, time)); None: the global
            image data format.

    Input shape: (batch, time, channels) or (batch, channels, time).

    Output shape: channels_last: (batch, frames, channels * freqs), or
    (batch, frames, freqs, channels) with expand_dims; channels_first:
    (batch, channels * freqs, frames), or (batch, channels, frames, freqs).
    freqs is fft_length // 2 + 1 (twice that for mode "stft").

    Raises:
        ValueError: a bad mode, scaling, padding, window, frame_step or
            fft_length.
        TypeError: a non-float input.
    """

    def __init__(self, mode="log", frame_length=256, frame_step=None, fft_length=None,
                 window="hann", periodic=False, scaling="density", padding="valid",
                 expand_dims=False, data_format=None, **kwargs):
        if frame_step is not None and (frame_step > frame_length or frame_step < 1):
            raise ValueError("`frame_step` should be a positive integer not greater than "
                             f"`frame_length`. Received frame_step={frame_step}, "
                             f"frame_length={frame_length}")
        if fft_length is not None and fft_length < frame_length:
            raise ValueError("`fft_length` should be not less than `frame_length`. "
                             f"Received fft_length={fft_length}, "
                             f"frame_length={frame_length}")
        if fft_length is not None and (fft_length & -fft_length) != fft_length:
            warnings.warn("`fft_length` is recommended to be a power of two. "
                          f"Received fft_length={fft_length}")
        if mode not in MODES:
            raise ValueError(f"Output mode is invalid, it must be one of {', '.join(MODES)}. "
                             f"Received: mode={mode}")
        if scaling is not None and scaling not in ("density", "spectrum"):
            raise ValueError("Scaling is invalid, it must be `None`, 'density' or "
                             f"'spectrum'. Received scaling={scaling}")
        if padding not in ("valid", "same"):
            raise ValueError("Padding is invalid, it should be 'valid', 'same'. "
                             f"Received: padding={padding}")
        # An unknown window name fails now, not at build (as Keras).
        initializers.STFT("real", window, scaling, periodic)
        super().__init__(**kwargs)
        self.mode = mode
        self.frame_length = frame_length
        self.frame_step = frame_step
        self._frame_step = frame_step or frame_length // 2
        self.fft_length = fft_length
        self._fft_length = fft_length or 2 ** int(math.ceil(math.log2(frame_length)))
        self.window = window
        self.periodic = periodic
        self.scaling = scaling
        self.padding = padding
        self.expand_dims = expand_dims
        self.data_format = config.standardize_data_format(data_format)
        self.input_spec = InputSpec(ndim=3)

    def build(self, input_shape):
        shape = (self.frame_length, 1, self._fft_length // 2 + 1)
        if self.mode != "imag":
            self.real_kernel = self.add_weight(
                name="real_kernel", shape=shape,
                initializer=initializers.STFT("real", self.window, self.scaling,
                                              self.periodic))
        if self.mode != "real":
            self.imag_kernel = self.add_weight(
                name="imag_kernel", shape=shape,
                initializer=initializers.STFT("imag", self.window, self.scaling,
                                              self.periodic))
        self.built = True

    def _convolve(self, ops, inputs, kernel):
        """(batch, channels, freqs, frames): each channel convolved alone."""
        if self.data_format == "channels_last":
            _, time, channels = ops.shape(inputs)
            signals = ops.reshape(ops.transpose(inputs, (0, 2, 1)), (-1, time, 1))
        else:
            _, channels, time = ops.shape(inputs)
            signals = ops.reshape(inputs, (-1, 1, time))
        out = ops.conv(signals, ops.cast(kernel, ops.dtype(inputs)), strides=self._frame_step,
                       padding=self.padding, data_format=self.data_format)
        if self.data_format == "channels_last":
            out = ops.transpose(out, (0, 2, 1))
        _, freqs, frames = ops.shape(out)
        return ops.reshape(out, (-1, channels, freqs, frames))

    def _arrange(self, ops, x):
        """(batch, channels, freqs, frames) into the output layout."""
        _, channels, freqs, frames = ops.shape(x)
        if self.expand_dims:
            order = (0, 3, 2, 1) if self.data_format == "channels_last" else (0, 1, 3, 2)
            return ops.transpose(x, order)
        x = ops.reshape(x, (-1, channels * freqs, frames))
        return ops.transpose(x, (0, 2, 1)) if self.data_format == "channels_last" else x

    def call(self, inputs):
        ops = get_ops()
        dtype = ops.dtype(inputs)
        if dtype not in ("float16", "float32", "float64"):
            raise TypeError("Invalid input type. Expected `float16`, `float32` or "
                            f"`float64`. Received: input type={dtype}")
        real = self._convolve(ops, inputs, self.real_kernel.value) \
            if self.mode != "imag" else None
        imag = self._convolve(ops, inputs, self.imag_kernel.value) \
            if self.mode != "real" else None
        if self.mode == "real":
            return self._arrange(ops, real)
        if self.mode == "imag":
            return self._arrange(ops, imag)
        if self.mode == "angle":
            return self._arrange(ops, ops.arctan2(imag, real))
        if self.mode == "stft":
            return self._arrange(ops, ops.concatenate([real, imag], axis=2))
        power = ops.add(ops.square(real), ops.square(imag))
        if self.mode == "psd":
            # One-sided density: every frequency but the first and last twice.
            inner = ops.pad(power[:, :, 1:-1, :], ((0, 0), (0, 0), (1, 1), (0, 0)))
            return self._arrange(ops, ops.add(power, inner))
        magnitude = self._arrange(ops, ops.sqrt(ops.maximum(power, config.epsilon())))
        if self.mode == "magnitude":
            return magnitude
        return ops.log(ops.maximum(magnitude, config.epsilon()))

    def compute_output_shape(self, input_shape):
        last = self.data_format == "channels_last"
        batch = input_shape[0]
        channels = input_shape[-1] if last else input_shape[1]
        time = input_shape[1] if last else input_shape[-1]
        freqs = self._fft_length // 2 + 1
        if self.mode == "stft":
            freqs *= 2
        frames = _conv_length(time, self.frame_length, self._frame_step, self.padding)
        if self.expand_dims:
            return (batch, frames, freqs, channels) if last else (batch, channels, frames, freqs)
        merged = None if channels is None else channels * freqs
        return (batch, frames, merged) if last else (batch, merged, frames)

    def get_config(self):
        window = self.window.tolist() if isinstance(self.window, np.ndarray) else self.window
        return {**super().get_config(), "mode": self.mode,
                "frame_length": self.frame_length, "frame_step": self.frame_step,
                "fft_length": self.fft_length, "window": window, "periodic": self.periodic,
                "scaling": self.scaling, "padding": self.padding,
                "data_format": self.data_format, "expand_dims": self.expand_dims}
