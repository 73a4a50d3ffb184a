"""RandomShear: shear images at random, as keras.layers.RandomShear."""
import numpy as np

from kerasx.layers.preprocessing.base_affine_layer import BaseAffineLayer
from kerasx.layers.preprocessing.base_image_layer import parse_factor


class RandomShear(BaseAffineLayer):
    """Shear each image along x and y by factors drawn uniformly, with a
    random sign per image, in training; identity in inference. The shear is
    about the image's origin (top-left), as Keras's.

    Args:
        x_factor, y_factor: f (range [-f, f]) or a pair, within [0, 1].
        interpolation, fill_mode, fill_value, data_format, seed: as
            BaseAffineLayer.

    Raises:
        ValueError: a factor outside [0, 1].
    """

    def __init__(self, x_factor=0.0, y_factor=0.0, interpolation="bilinear",
                 fill_mode="reflect", fill_value=0.0, data_format=None, seed=None, **kwargs):
        super().__init__(fill_mode, interpolation, seed, fill_value, data_format, **kwargs)
        self.x_factor = parse_factor(x_factor, (0, 1), "x_factor", symmetric_low=lambda f: -f)
        self.y_factor = parse_factor(y_factor, (0, 1), "y_factor", symmetric_low=lambda f: -f)

    def matrices(self, rng, batch, height, width):
        sign = np.where(rng.random(batch) > 0.5, -1.0, 1.0)
        shear_y = rng.uniform(*self.y_factor, batch) * sign
        shear_x = rng.uniform(*self.x_factor, batch) * sign
        ones, zeros = np.ones(batch), np.zeros(batch)
        return np.stack([ones, shear_x, zeros, shear_y, ones, zeros, zeros, zeros], axis=1)

    def get_config(self):
        return {**super().get_config(), "x_factor": self.x_factor, "y_factor": self.y_factor}
