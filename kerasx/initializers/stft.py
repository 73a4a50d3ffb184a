"""The STFT initializer: convolution kernels computing one side (real or
imaginary) of a short-time Fourier transform, as keras.initializers.STFT."""
import numpy as np

from kerasx.initializers.base import Initializer


def _window(name, length, periodic):
    try:
        import scipy.signal
    except ImportError as exc:
        raise ImportError("The STFT initializer builds named windows with SciPy, which is "
                          "not installed: pip install scipy") from exc
    return scipy.signal.get_window(name, length, fftbins=periodic)


class STFT(Initializer):
    """Kernels of shape (frame_length, 1, fft_length // 2 + 1) whose
    convolution with a signal gives the real (cos) or imaginary (-sin) part
    of its short-time Fourier transform, windowed and normalised.

    Values are computed in float64 and then cast (Keras computes in the
    requested dtype, so its float32 kernels carry rounding error of the order
    of 1e-5 for long frames).

    Args:
        side: "real" or "imag".
        window: a `scipy.signal.windows` name ("hann", "hamming"...), an
            array of `frame_length` values, or None.
        scaling: "density" (divide by the window's L2 norm), "spectrum" (by
            its L1 norm) or None.
        periodic: treat a named window as periodic.

    Raises:
        ValueError: an unknown side, window or scaling, or a window whose
            length is not the kernel's frame length.
    """

    def __init__(self, side="real", window="hann", scaling="density", periodic=False):
        if side not in ("real", "imag"):
            raise ValueError(f"side should be 'real' or 'imag', not {side}")
        if isinstance(window, str):
            _window(window, 1, periodic)  # an unknown name fails here, as in Keras
        if scaling is not None and scaling not in ("density", "spectrum"):
            raise ValueError("Scaling is invalid, it must be `None`, 'density' or "
                             f"'spectrum'. Received scaling={scaling}")
        self.side, self.window, self.scaling, self.periodic = side, window, scaling, periodic

    def sample(self, shape):
        if len(shape) != 3:
            raise ValueError("The STFT initializer expects a shape (frame_length, 1, "
                             f"fft_length // 2 + 1); received {shape}.")
        frame_length, _, bins = shape
        freq = np.arange(bins, dtype=np.float64).reshape(1, 1, bins) / ((bins - 1) * 2)
        time = np.arange(frame_length, dtype=np.float64).reshape(frame_length, 1, 1)
        args = -2 * time * freq * np.pi
        kernel = np.cos(args) if self.side == "real" else np.sin(args)
        if self.window is None:
            return kernel
        win = (_window(self.window, frame_length, self.periodic) if isinstance(self.window, str)
               else np.asarray(self.window, dtype=np.float64))
        if win.ndim != 1 or win.shape[-1] != frame_length:
            raise ValueError("The shape of `window` must be equal to [frame_length]."
                             f"Received: window shape={win.shape}")
        win = win.reshape(frame_length, 1, 1)
        scale = {"density": np.sqrt(np.sum(win ** 2)), "spectrum": np.sum(np.abs(win)),
                 None: 1.0}[self.scaling]
        return kernel * win / scale

    def get_config(self):
        window = self.window.tolist() if isinstance(self.window, np.ndarray) else self.window
        return {"side": self.side, "window": window, "scaling": self.scaling,
                "periodic": self.periodic}
