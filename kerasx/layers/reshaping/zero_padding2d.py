"""ZeroPadding2D: pad rows and columns of images with zeros."""
from kerasx.layers.reshaping.base_zero_padding import BaseZeroPadding


class ZeroPadding2D(BaseZeroPadding):
    """Zero padding of the height and width axes, as keras.layers.ZeroPadding2D.

    Args:
        padding: int, (symmetric_height, symmetric_width), or
            ((top, bottom), (left, right)); default (1, 1).
        data_format: "channels_last" or "channels_first".

    Raises:
        ValueError: for a malformed or negative padding.
    """

    def __init__(self, padding=(1, 1), data_format=None, **kwargs):
        super().__init__(2, padding, data_format=data_format, **kwargs)
