"""Cropping2D: remove rows and columns at the borders of images."""
from kerasx.layers.reshaping.base_cropping import BaseCropping


class Cropping2D(BaseCropping):
    """Crop the height and width axes, as keras.layers.Cropping2D.

    Args:
        cropping: int, (symmetric_height, symmetric_width), or
            ((top, bottom), (left, right)); default no cropping.
        data_format: "channels_last" or "channels_first".

    Raises:
        ValueError: for a malformed or negative cropping, or one that leaves
            nothing of the input.
    """

    def __init__(self, cropping=((0, 0), (0, 0)), data_format=None, **kwargs):
        super().__init__(2, cropping, data_format=data_format, **kwargs)
