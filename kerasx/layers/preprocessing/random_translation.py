"""RandomTranslation: shift images at random, as keras.layers.RandomTranslation."""
import numpy as np

from kerasx.layers.preprocessing.base_affine_layer import BaseAffineLayer
from kerasx.layers.preprocessing.base_image_layer import parse_factor


class RandomTranslation(BaseAffineLayer):
    """Shift each image by fractions of its height and width drawn
    uniformly in training (positive: down and right); identity in inference.

    Args:
        height_factor, width_factor: f (range [-f, f]) or a pair, within
            [-1, 1], fractions of the height and width.
        fill_mode, interpolation, seed, fill_value, data_format: as
            BaseAffineLayer.

    Raises:
        ValueError: a factor outside [-1, 1].
    """

    def __init__(self, height_factor, width_factor, fill_mode="reflect",
                 interpolation="bilinear", seed=None, fill_value=0.0, data_format=None,
                 **kwargs):
        super().__init__(fill_mode, interpolation, seed, fill_value, data_format, **kwargs)
        self.height_factor = height_factor
        self.width_factor = width_factor
        self.height_range = parse_factor(height_factor, (-1, 1), "height_factor",
                                         symmetric_low=lambda f: -f)
        self.width_range = parse_factor(width_factor, (-1, 1), "width_factor",
                                        symmetric_low=lambda f: -f)

    def matrices(self, rng, batch, height, width):
        dy = rng.uniform(*self.height_range, batch) * height
        dx = rng.uniform(*self.width_range, batch) * width
        ones, zeros = np.ones(batch), np.zeros(batch)
        # float32 shifts first, as Keras computes them.
        dx, dy = dx.astype("float32"), dy.astype("float32")
        return np.stack([ones, zeros, -dx, zeros, ones, -dy, zeros, zeros], axis=1)

    def get_config(self):
        return {**super().get_config(), "height_factor": self.height_factor,
                "width_factor": self.width_factor}
