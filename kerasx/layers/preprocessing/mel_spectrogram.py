"""MelSpectrogram: audio signals to (decibel) Mel spectrograms, as
keras.layers.MelSpectrogram."""
import numpy as np

from kerasx.backend import get_ops, registry
from kerasx.layers.layer import Layer
from kerasx.layers.preprocessing.base_image_layer import _framework_graph_tensor
from kerasx.random.host_draws import tracing

#: The HTK mel scale: mel(f) = 1127 * ln(1 + f / 700).
_MEL_BREAK_HERTZ = 700.0
_MEL_HIGH_Q = 1127.0


def _hertz_to_mel(hertz):
    return _MEL_HIGH_Q * np.log(1.0 + hertz / _MEL_BREAK_HERTZ)


def linear_to_mel_weight_matrix(num_mel_bins=20, num_spectrogram_bins=129, sampling_rate=8000,
                                lower_edge_hertz=125.0, upper_edge_hertz=3800.0,
                                dtype="float32"):
    """A (num_spectrogram_bins, num_mel_bins) NumPy matrix re-weighting a
    linear spectrogram's bins (frequencies evenly spaced over [0,
    sampling_rate / 2]) into triangular mel bands spanning [lower_edge_hertz,
    upper_edge_hertz] on the HTK mel scale, each peaking at 1 (the
    frequency-0 bin gets no weight), as tf.signal.linear_to_mel_weight_matrix
    and Keras's MelSpectrogram compute it. Built on the host in float64."""
    frequencies = np.linspace(0.0, sampling_rate / 2.0, num_spectrogram_bins)[1:]
    bins_mel = _hertz_to_mel(frequencies)[:, None]
    edges = np.linspace(_hertz_to_mel(float(lower_edge_hertz)),
                        _hertz_to_mel(float(upper_edge_hertz)), num_mel_bins + 2)
    lower, center, upper = edges[None, :-2], edges[None, 1:-1], edges[None, 2:]
    rising = (bins_mel - lower) / (center - lower)
    falling = (upper - bins_mel) / (upper - center)
    weights = np.maximum(0.0, np.minimum(rising, falling))
    return np.pad(weights, ((1, 0), (0, 0))).astype(dtype)


class MelSpectrogram(Layer):
    """Mel spectrograms of audio signals, as keras.layers.MelSpectrogram:
    the magnitude of the centred short-time Fourier transform (`ops.stft`)
    raised to `mag_exp`, projected on `num_mel_bins` HTK mel bands, and by
    default converted to decibels relative to `ref_power`, floored at the
    largest value of the whole input minus `top_db`. No weights. Usable in a
    model and in a tf.data map (any backend), as Keras's data layers are.

    Args:
        fft_length: FFT size (default 2048).
        sequence_stride: samples between frames (default 512).
        sequence_length: window length, at most fft_length (default
            fft_length).
        window: "hann" (default), "hamming", an array of sequence_length
            values, or None.
        sampling_rate: the signal's sample rate (default 16000).
        num_mel_bins: mel bands (default 128).
        min_freq: lowest band edge in Hz (default 20).
        max_freq: highest band edge in Hz (default sampling_rate / 2).
        power_to_db: convert to decibels (default True).
        top_db: the dynamic range kept below the maximum, in dB (default 80).
        mag_exp: exponent of the magnitude (1 magnitude, 2 power; default 2).
        min_power: floor of the power and of ref_power (default 1e-10).
        ref_power: the power of 0 dB (default 1).

    Input shape: (samples,) or (batch, samples).

    Output shape: (num_mel_bins, frames) or (batch, num_mel_bins, frames).

    Raises:
        ValueError: fft_length below sequence_length.
    """

    def __init__(self, fft_length=2048, sequence_stride=512, sequence_length=None,
                 window="hann", sampling_rate=16000, num_mel_bins=128, min_freq=20.0,
                 max_freq=None, power_to_db=True, top_db=80.0, mag_exp=2.0, min_power=1e-10,
                 ref_power=1.0, **kwargs):
        self.fft_length = fft_length
        self.sequence_stride = sequence_stride
        self.sequence_length = sequence_length or fft_length
        if self.fft_length < self.sequence_length:
            raise ValueError("`fft_length` must be greater than or equal to "
                             f"`sequence_length`. Received: `sequence_length`="
                             f"{self.sequence_length}, `fft_length`={self.fft_length}.")
        self.window = window
        self.sampling_rate = sampling_rate
        self.num_mel_bins = num_mel_bins
        self.min_freq = min_freq
        self.max_freq = max_freq or int(sampling_rate / 2)
        self.power_to_db = power_to_db
        self.top_db = top_db
        self.mag_exp = mag_exp
        self.min_power = min_power
        self.ref_power = ref_power
        super().__init__(**kwargs)
        self.built = True

    def __call__(self, inputs, *args, **kwargs):
        framework = _framework_graph_tensor(inputs)
        if framework is not None and (framework != get_ops().name or not tracing()):
            # A tf.data map (any backend): run per batch with that
            # framework's plugin, eagerly at run time.
            ops = registry.load(framework)
            shape = tuple(self.compute_output_shape(tuple(inputs.shape)))
            return ops.run_eagerly(lambda x: self._compute(ops, x), inputs, shape,
                                   self.compute_dtype)
        return super().__call__(inputs, *args, **kwargs)

    def call(self, inputs):
        return self._compute(get_ops(), inputs)

    def _compute(self, ops, inputs):
        # stft computes in float32 or float64 only (as Keras).
        dtype = self.compute_dtype if self.compute_dtype in ("float32", "float64") \
            else "float32"
        x = ops.cast(ops.convert_to_tensor(inputs), dtype)
        real, imag = ops.stft(x, sequence_length=self.sequence_length,
                              sequence_stride=self.sequence_stride,
                              fft_length=self.fft_length, window=self.window, center=True)
        spec = ops.sqrt(ops.add(ops.square(real), ops.square(imag)))
        spec = ops.power(spec, ops.convert_to_tensor(np.asarray(self.mag_exp, dtype)))
        matrix = linear_to_mel_weight_matrix(
            self.num_mel_bins, ops.shape(spec)[-1], self.sampling_rate, self.min_freq,
            self.max_freq, dtype)
        mel = ops.tensordot(spec, ops.convert_to_tensor(matrix), axes=1)
        if self.power_to_db:
            mel = self._to_db(ops, mel, dtype)
        return ops.cast(ops.swapaxes(mel, -1, -2), self.compute_dtype)

    def _to_db(self, ops, power, dtype):
        log10 = ops.multiply(ops.log10(ops.maximum(power, self.min_power)), 10.0)
        reference = 10.0 * np.log10(max(abs(float(self.ref_power)), self.min_power))
        log10 = ops.subtract(log10, ops.convert_to_tensor(np.asarray(reference, dtype)))
        # The floor is relative to the maximum of the whole input (the batch).
        return ops.maximum(log10, ops.subtract(ops.max(log10), float(self.top_db)))

    def compute_output_shape(self, input_shape):
        # Keras's formula (the frame count of the centred STFT).
        samples = input_shape[-1]
        frames = None if samples is None else (samples + self.sequence_stride + 1) \
            // self.sequence_stride
        return tuple(input_shape[:-1]) + (self.num_mel_bins, frames)

    def get_config(self):
        window = self.window.tolist() if isinstance(self.window, np.ndarray) else self.window
        return {**super().get_config(), "fft_length": self.fft_length,
                "sequence_stride": self.sequence_stride,
                "sequence_length": self.sequence_length, "window": window,
                "sampling_rate": self.sampling_rate, "num_mel_bins": self.num_mel_bins,
                "min_freq": self.min_freq, "max_freq": self.max_freq,
                "power_to_db": self.power_to_db, "top_db": self.top_db,
                "mag_exp": self.mag_exp, "min_power": self.min_power,
                "ref_power": self.ref_power}
