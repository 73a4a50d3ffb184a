"""Cropping3D: remove entries at the borders of volumes."""
from kerasx.layers.reshaping.base_cropping import BaseCropping


class Cropping3D(BaseCropping):
    """Crop the three spatial axes, as keras.layers.Cropping3D.

    Args:
        cropping: int, a tuple of 3 ints (symmetric per axis), or 3
            (before, after) pairs; default ((1, 1), (1, 1), (1, 1)).
        data_format: "channels_last" or "channels_first".

    Raises:
        ValueError: for a malformed or negative cropping, or one that leaves
            nothing of the input.
    """

    def __init__(self, cropping=((1, 1), (1, 1), (1, 1)), data_format=None, **kwargs):
        super().__init__(3, cropping, data_format=data_format, **kwargs)
