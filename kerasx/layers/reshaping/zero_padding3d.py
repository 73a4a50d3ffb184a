"""ZeroPadding3D: pad volumes with zeros."""
from kerasx.layers.reshaping.base_zero_padding import BaseZeroPadding


class ZeroPadding3D(BaseZeroPadding):
    """Zero padding of the three spatial axes, as keras.layers.ZeroPadding3D.

    Args:
        padding: int, a tuple of 3 ints (symmetric per axis), or 3
            (before, after) pairs; default ((1, 1), (1, 1), (1, 1)).
        data_format: "channels_last" or "channels_first".

    Raises:
        ValueError: for a malformed or negative padding.
    """

    def __init__(self, padding=((1, 1), (1, 1), (1, 1)), data_format=None, **kwargs):
        super().__init__(3, padding, data_format=data_format, **kwargs)
