"""Random initializers with Keras's formulas and defaults."""
import math

import numpy as np

from kerasx.initializers.base import Initializer
from kerasx.random.sampling import normal_array, truncated_normal_array, uniform_array


def compute_fans(shape, input_axes=None, output_axes=None):
    """(fan_in, fan_out) as Keras: kernels (*window, in, out), or the products
    of the sizes of `input_axes` and `output_axes` when both are given."""
    if input_axes is not None and output_axes is not None:
        return (math.prod(shape[a] for a in input_axes),
                math.prod(shape[a] for a in output_axes))
    if len(shape) == 0:
        return 1, 1
    if len(shape) == 1:
        return shape[0], shape[0]
    receptive = math.prod(shape[:-2]) if len(shape) > 2 else 1
    return shape[-2] * receptive, shape[-1] * receptive


class _Seeded(Initializer):
    def __init__(self, seed=None):
        # As Keras 3: an int seed gives the same values at every call; None
        # draws from the global generator (fixed by set_random_seed).
        self.seed = seed
        self._generator = seed

    def get_config(self):
        return {"seed": self.seed if isinstance(self.seed, int) else None}


class RandomNormal(_Seeded):
    def __init__(self, mean=0.0, stddev=0.05, seed=None):
        super().__init__(seed)
        self.mean, self.stddev = mean, stddev

    def sample(self, shape):
        return normal_array(shape, self.mean, self.stddev, self._generator)

    def get_config(self):
        return {"mean": self.mean, "stddev": self.stddev, **super().get_config()}


class RandomUniform(_Seeded):
    def __init__(self, minval=-0.05, maxval=0.05, seed=None):
        super().__init__(seed)
        self.minval, self.maxval = minval, maxval

    def sample(self, shape):
        return uniform_array(shape, self.minval, self.maxval, self._generator)

    def get_config(self):
        return {"minval": self.minval, "maxval": self.maxval, **super().get_config()}


class TruncatedNormal(_Seeded):
    def __init__(self, mean=0.0, stddev=0.05, seed=None):
        super().__init__(seed)
        self.mean, self.stddev = mean, stddev

    def sample(self, shape):
        return truncated_normal_array(shape, self.mean, self.stddev, self._generator)

    def get_config(self):
        return {"mean": self.mean, "stddev": self.stddev, **super().get_config()}


class VarianceScaling(_Seeded):
    """Draws scaled by the fan: stddev (or limit) from scale / fan.

    Raises:
        ValueError: for an unknown mode or distribution, or scale <= 0.
    """

    def __init__(self, scale=1.0, mode="fan_in", distribution="truncated_normal",
                 seed=None, input_axes=None, output_axes=None):
        super().__init__(seed)
        distribution = str(distribution).lower()
        if distribution == "normal":
            distribution = "truncated_normal"
        if scale <= 0:
            raise ValueError(f"`scale` must be positive; received {scale!r}.")
        if mode not in ("fan_in", "fan_out", "fan_avg"):
            raise ValueError(f"Invalid `mode` {mode!r}: use fan_in, fan_out or fan_avg.")
        if distribution not in ("truncated_normal", "untruncated_normal", "uniform"):
            raise ValueError(f"Invalid `distribution` {distribution!r}: use "
                             "truncated_normal, untruncated_normal or uniform.")
        self.scale, self.mode, self.distribution = scale, mode, distribution
        self.input_axes, self.output_axes = input_axes, output_axes

    def sample(self, shape):
        fan_in, fan_out = compute_fans(shape, self.input_axes, self.output_axes)
        fan = {"fan_in": fan_in, "fan_out": fan_out,
               "fan_avg": (fan_in + fan_out) / 2.0}[self.mode]
        scale = self.scale / max(1.0, fan)
        if self.distribution == "truncated_normal":
            # 0.879... is the stddev of a unit normal truncated at +-2.
            return truncated_normal_array(shape, 0.0, math.sqrt(scale) / 0.87962566103423978,
                                          self._generator)
        if self.distribution == "untruncated_normal":
            return normal_array(shape, 0.0, math.sqrt(scale), self._generator)
        limit = math.sqrt(3.0 * scale)
        return uniform_array(shape, -limit, limit, self._generator)

    def get_config(self):
        return {"scale": self.scale, "mode": self.mode,
                "distribution": self.distribution, **super().get_config(),
                "input_axes": self.input_axes, "output_axes": self.output_axes}


def _preset(name, scale, mode, distribution):
    def __init__(self, seed=None, input_axes=None, output_axes=None):
        VarianceScaling.__init__(self, scale, mode, distribution, seed, input_axes,
                                 output_axes)

    def get_config(self):
        return {**_Seeded.get_config(self), "input_axes": self.input_axes,
                "output_axes": self.output_axes}

    return type(name, (VarianceScaling,), {"__init__": __init__, "get_config": get_config,
                                           "__doc__": f"VarianceScaling({scale}, "
                                                      f"{mode!r}, {distribution!r})."})


GlorotUniform = _preset("GlorotUniform", 1.0, "fan_avg", "uniform")
GlorotNormal = _preset("GlorotNormal", 1.0, "fan_avg", "truncated_normal")
HeUniform = _preset("HeUniform", 2.0, "fan_in", "uniform")
HeNormal = _preset("HeNormal", 2.0, "fan_in", "truncated_normal")
LecunUniform = _preset("LecunUniform", 1.0, "fan_in", "uniform")
LecunNormal = _preset("LecunNormal", 1.0, "fan_in", "truncated_normal")


class Orthogonal(_Seeded):
    """gain * an orthogonal matrix from the QR decomposition of normal draws.

    Raises:
        ValueError: for shapes of rank below 2.
    """

    def __init__(self, gain=1.0, seed=None):
        super().__init__(seed)
        self.gain = gain

    def sample(self, shape):
        if len(shape) < 2:
            raise ValueError(f"Orthogonal initializer needs rank >= 2; received {shape}.")
        rows, cols = math.prod(shape[:-1]), shape[-1]
        flat = normal_array((max(rows, cols), min(rows, cols)), 0.0, 1.0, self._generator)
        q, r = np.linalg.qr(flat)
        q = q * np.sign(np.diag(r))
        if rows < cols:
            q = q.T
        return self.gain * q.reshape(shape)

    def get_config(self):
        return {"gain": self.gain, **super().get_config()}
