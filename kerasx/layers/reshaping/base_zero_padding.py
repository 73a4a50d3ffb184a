"""BaseZeroPadding: zeros before and after each spatial axis (ZeroPadding1D,
ZeroPadding2D, ZeroPadding3D)."""
from kerasx import config
from kerasx.backend import get_ops
from kerasx.layers.input_spec import InputSpec
from kerasx.layers.layer import Layer
from kerasx.layers.reshaping._pairs import (as_pairs, checked_shape, spatial_axes,
                                            standardize_pairs)


class BaseZeroPadding(Layer):
    """Zero padding of each spatial axis of a rank-`rank` + 2 input.

    Args:
        rank: number of spatial axes (1, 2 or 3).
        padding: int, a tuple of `rank` ints, or `rank` (before, after)
            pairs (rank 1: an int or one pair).
        data_format: "channels_last" or "channels_first".

    Raises:
        ValueError: for a malformed or negative padding.
    """

    def __init__(self, rank, padding, data_format=None, **kwargs):
        super().__init__(**kwargs)
        self.rank = rank
        self.data_format = config.standardize_data_format(data_format)
        self.padding = standardize_pairs(padding, "padding", rank)
        self.input_spec = InputSpec(ndim=rank + 2)
        self.built = True

    def call(self, inputs):
        widths = [(0, 0)] * (self.rank + 2)
        axes = spatial_axes(self.rank, self.data_format)
        for axis, pair in zip(axes, as_pairs(self.padding, self.rank)):
            widths[axis] = pair
        return get_ops().pad(inputs, tuple(widths))

    def compute_output_shape(self, input_shape):
        out = list(checked_shape(self, input_shape, self.rank))
        axes = spatial_axes(self.rank, self.data_format)
        for axis, (before, after) in zip(axes, as_pairs(self.padding, self.rank)):
            if out[axis] is not None:
                out[axis] += before + after
        return tuple(out)

    def get_config(self):
        return {**super().get_config(), "padding": self.padding,
                "data_format": self.data_format}
