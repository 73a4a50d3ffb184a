"""Cropping1D: remove steps at the start and end of sequences."""
from kerasx.layers.reshaping.base_cropping import BaseCropping


class Cropping1D(BaseCropping):
    """Crop the steps axis of (batch, steps, features) inputs, as
    keras.layers.Cropping1D.

    Args:
        cropping: int or (start, end) pair of non-negative ints (default
            (1, 1)).

    Raises:
        ValueError: for a malformed or negative cropping, or one that leaves
            no step.
    """

    def __init__(self, cropping=(1, 1), **kwargs):
        super().__init__(1, cropping, data_format="channels_last", **kwargs)

    def get_config(self):
        config = super().get_config()
        del config["data_format"]  # Keras's Cropping1D has none
        return config
