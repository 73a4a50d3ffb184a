"""The initializer base class."""
from kerasx.backend import get_ops


class Initializer:
    """Callable returning a tensor of the given shape and dtype.

    Subclasses implement `sample(shape)` returning a float64 NumPy array (or
    override `__call__`)."""

    def __call__(self, shape, dtype=None):
        from kerasx import config

        return get_ops().convert_to_tensor(self.sample(tuple(shape)),
                                           dtype=dtype or config.floatx())

    def sample(self, shape):
        raise NotImplementedError(f"{type(self).__name__} must implement sample(shape).")

    def get_config(self):
        return {}

    @classmethod
    def from_config(cls, config):
        return cls(**config)
