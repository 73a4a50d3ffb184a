"""Deterministic initializers."""
import numpy as np

from kerasx.initializers.base import Initializer


class Zeros(Initializer):
    def sample(self, shape):
        return np.zeros(shape)


class Ones(Initializer):
    def sample(self, shape):
        return np.ones(shape)


class Constant(Initializer):
    def __init__(self, value=0.0):
        self.value = value

    def sample(self, shape):
        return np.full(shape, self.value, dtype=np.float64)

    def get_config(self):
        return {"value": self.value}


class Identity(Initializer):
    """gain * the identity matrix (2-D shapes only).

    Raises:
        ValueError: for a shape that is not 2-D.
    """

    def __init__(self, gain=1.0):
        self.gain = gain

    def sample(self, shape):
        if len(shape) != 2:
            raise ValueError(f"Identity initializer needs a 2-D shape; received {shape}.")
        return self.gain * np.eye(*shape)

    def get_config(self):
        return {"gain": self.gain}
