"""BaseCropping: remove leading and trailing entries of the spatial axes
(Cropping1D, Cropping2D, Cropping3D)."""
from kerasx import config
from kerasx.backend import get_ops
from kerasx.layers.input_spec import InputSpec
from kerasx.layers.layer import Layer
from kerasx.layers.reshaping._pairs import (as_pairs, checked_shape, spatial_axes,
                                            standardize_pairs)


class BaseCropping(Layer):
    """Crop each spatial axis of a rank-`rank` + 2 input by (before, after).

    Args:
        rank: number of spatial axes (1, 2 or 3).
        cropping: int, a tuple of `rank` ints, or `rank` (before, after)
            pairs (rank 1: an int or one pair).
        data_format: "channels_last" or "channels_first".

    Raises:
        ValueError: for a malformed or negative cropping, or one that leaves
            nothing of the input.
    """

    def __init__(self, rank, cropping, data_format=None, **kwargs):
        super().__init__(**kwargs)
        self.rank = rank
        self.data_format = config.standardize_data_format(data_format)
        self.cropping = standardize_pairs(cropping, "cropping", rank)
        self.input_spec = InputSpec(ndim=rank + 2)
        self.built = True

    def compute_output_shape(self, input_shape):
        out = list(checked_shape(self, input_shape, self.rank))
        axes = spatial_axes(self.rank, self.data_format)
        for axis, (before, after) in zip(axes, as_pairs(self.cropping, self.rank)):
            if out[axis] is None:
                continue
            if before + after >= out[axis]:
                raise ValueError(
                    "Values in `cropping` must be smaller than the corresponding "
                    f"spatial dimension of the input. Received: input shape "
                    f"{tuple(input_shape)}, cropping={self.cropping}, "
                    f"data_format={self.data_format!r}.")
            out[axis] -= before + after
        return tuple(out)

    def call(self, inputs):
        ops = get_ops()
        shape = ops.shape(inputs)
        out = self.compute_output_shape(shape)
        start = [0] * len(shape)
        axes = spatial_axes(self.rank, self.data_format)
        for axis, (before, _) in zip(axes, as_pairs(self.cropping, self.rank)):
            start[axis] = before
        return ops.slice(inputs, tuple(start), tuple(out))

    def get_config(self):
        return {**super().get_config(), "cropping": self.cropping,
                "data_format": self.data_format}
