"""RandomZoom: zoom images in or out at random, as keras.layers.RandomZoom."""
import numpy as np

from kerasx.layers.preprocessing.base_affine_layer import BaseAffineLayer
from kerasx.layers.preprocessing.base_image_layer import parse_factor


def _zoom_factor(factor, name):
    # Keras: each value in (-1, 1]: -1 would zoom to a point.
    values = factor if isinstance(factor, (list, tuple)) else [factor]
    if any(isinstance(v, (int, float)) and v <= -1.0 for v in values):
        raise ValueError(f"The `{name}` argument should be a number (or a list of two "
                         f"numbers) in the range (-1.0, 1.0]. Received: {name}={factor}")
    return parse_factor(factor, (-1, 1), name)


class RandomZoom(BaseAffineLayer):
    """Zoom each image about its centre in training; identity in inference.
    A factor z in [lower, upper] samples the input at (1 + z) times the
    output's spacing: positive zooms out, negative zooms in (as Keras).

    Args:
        height_factor: f (range [-f, f]) or a pair, within (-1, 1].
        width_factor: the same for the width; None keeps the aspect ratio
            (the height's zoom is used).
        fill_mode, interpolation, seed, fill_value, data_format: as
            BaseAffineLayer.

    Raises:
        ValueError: a factor outside (-1, 1].
    """

    def __init__(self, height_factor, width_factor=None, fill_mode="reflect",
                 interpolation="bilinear", seed=None, fill_value=0.0, data_format=None,
                 **kwargs):
        super().__init__(fill_mode, interpolation, seed, fill_value, data_format, **kwargs)
        self.height_factor = height_factor
        self.width_factor = width_factor
        self.height_range = _zoom_factor(height_factor, "height_factor")
        self.width_range = (None if width_factor is None
                            else _zoom_factor(width_factor, "width_factor"))

    def matrices(self, rng, batch, height, width):
        zy = rng.uniform(1.0 + self.height_range[0], 1.0 + self.height_range[1], batch)
        zx = zy if self.width_range is None else rng.uniform(
            1.0 + self.width_range[0], 1.0 + self.width_range[1], batch)
        zeros = np.zeros(batch)
        return np.stack([zx, zeros, (width - 1.0) / 2.0 * (1.0 - zx), zeros, zy,
                         (height - 1.0) / 2.0 * (1.0 - zy), zeros, zeros], axis=1)

    def get_config(self):
        return {**super().get_config(), "height_factor": self.height_factor,
                "width_factor": self.width_factor}
