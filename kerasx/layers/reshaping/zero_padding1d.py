"""ZeroPadding1D: pad sequences with zeros."""
from kerasx.layers.reshaping.base_zero_padding import BaseZeroPadding


class ZeroPadding1D(BaseZeroPadding):
    """Zero padding of the steps axis, as keras.layers.ZeroPadding1D.

    Args:
        padding: int or (start, end) pair of non-negative ints (default 1).
        data_format: "channels_last" (batch, steps, features) or
            "channels_first" (batch, features, steps).

    Raises:
        ValueError: for a malformed or negative padding.
    """

    def __init__(self, padding=1, data_format=None, **kwargs):
        super().__init__(1, padding, data_format=data_format, **kwargs)
