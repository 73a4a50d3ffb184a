"""RandomRotation: rotate images by random angles, as keras.layers.RandomRotation."""
from kerasx.layers.preprocessing.base_affine_layer import BaseAffineLayer
from kerasx.layers.preprocessing.base_image_layer import affine_matrix, parse_factor


class RandomRotation(BaseAffineLayer):
    """Rotate each image about its centre by an angle drawn uniformly from
    [lower, upper] x 360 degrees in training (positive: counter-clockwise in
    the output); identity in inference.

    Args:
        factor: a fraction f of a full turn (range [-f, f]) or a pair
            (lower, upper), within [-1, 1].
        fill_mode, interpolation, seed, fill_value, data_format: as
            BaseAffineLayer.

    Raises:
        ValueError: a factor outside [-1, 1].
    """

    def __init__(self, factor, fill_mode="reflect", interpolation="bilinear", seed=None,
                 fill_value=0.0, data_format=None, **kwargs):
        super().__init__(fill_mode, interpolation, seed, fill_value, data_format, **kwargs)
        self.factor = parse_factor(factor, (-1, 1))
        self._factor_arg = factor

    def matrices(self, rng, batch, height, width):
        angle = rng.uniform(self.factor[0] * 360.0, self.factor[1] * 360.0, batch)
        return affine_matrix(angle, 0.0, 0.0, 1.0, 0.0, 0.0, height, width)

    def get_config(self):
        return {**super().get_config(), "factor": self.factor}
