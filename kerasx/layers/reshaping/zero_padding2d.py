"""ZeroPadding2D: pad rows and columns of images with zeros."""
from kerasx import config
from kerasx.backend import get_ops
from kerasx.layers.input_spec import InputSpec
from kerasx.layers.layer import Layer
from kerasx.layers.reshaping._pairs import check_rank_4, spatial_axes_2d, standardize_pairs


class ZeroPadding2D(Layer):
    """Zero padding of the height and width axes, as keras.layers.ZeroPadding2D.

    Args:
        padding: int, (symmetric_height, symmetric_width), or
            ((top, bottom), (left, right)); default (1, 1).
        data_format: "channels_last" or "channels_first".

    Raises:
        ValueError: for a malformed or negative padding.
    """

    def __init__(self, padding=(1, 1), data_format=None, **kwargs):
        super().__init__(**kwargs)
        self.data_format = config.standardize_data_format(data_format)
        self.padding = standardize_pairs(padding, "padding")
        self.input_spec = InputSpec(ndim=4)
        self.built = True

    def call(self, inputs):
        widths = [(0, 0)] * 4
        for axis, pair in zip(spatial_axes_2d(self.data_format), self.padding):
            widths[axis] = pair
        return get_ops().pad(inputs, tuple(widths))

    def compute_output_shape(self, input_shape):
        out = list(check_rank_4(self, input_shape))
        for axis, (before, after) in zip(spatial_axes_2d(self.data_format), self.padding):
            if out[axis] is not None:
                out[axis] += before + after
        return tuple(out)

    def get_config(self):
        return {**super().get_config(), "padding": self.padding,
                "data_format": self.data_format}
