"""UpSampling1D: repeat each step of sequences."""
from kerasx.layers.reshaping.base_up_sampling import BaseUpSampling


class UpSampling1D(BaseUpSampling):
    """Repeat each step `size` times along the steps axis of (batch, steps,
    features) inputs, as keras.layers.UpSampling1D.

    Args:
        size: positive int, the upsampling factor (default 2).

    Raises:
        TypeError: for a `size` that is not an int.
        ValueError: for a `size` below 1.
    """

    def __init__(self, size=2, **kwargs):
        if isinstance(size, bool) or not isinstance(size, int):
            raise TypeError(f"Expected an integer value for `size`, got {size!r} "
                            f"of type {type(size).__name__}.")
        if size <= 0:
            raise ValueError(f"Argument `size` should be a positive integer. "
                             f"Received: size={size}")
        super().__init__(1, (size,), data_format="channels_last", **kwargs)
        self.size = size

    def get_config(self):
        return {**super().get_config(), "size": self.size}
