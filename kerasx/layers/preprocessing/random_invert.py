"""RandomInvert: invert images at random, as keras.layers.RandomInvert."""
from kerasx.layers.preprocessing.base_image_layer import (BaseImagePreprocessingLayer,
                                                          parse_factor)


class RandomInvert(BaseImagePreprocessingLayer):
    """In training, replace each image by max - x (max of `value_range`)
    with a probability drawn uniformly from the factor's range; identity in
    inference.

    Args:
        factor: the probability f (range [0, f]) or a pair, within [0, 1].
        value_range: the images' (min, max).
        seed, data_format: as BaseImagePreprocessingLayer.

    Raises:
        ValueError: a factor outside [0, 1].
    """

    def __init__(self, factor=1.0, value_range=(0, 255), seed=None, data_format=None,
                 **kwargs):
        super().__init__(data_format=data_format, seed=seed, **kwargs)
        self.factor = parse_factor(factor, (0, 1))
        self.value_range = value_range

    def transform_images(self, ops, images, training):
        if not training:
            return images
        batched, batch, _, _ = self.image_dims(ops, images)

        def apply(rng):
            probability = rng.uniform(*self.factor, batch)
            return rng.uniform(0, 1, batch) < probability

        flag = ops.greater(self.per_image(ops, self.draw(ops, apply, (batch,)), batched), 0.5)
        return ops.where(flag, ops.subtract(float(self.value_range[1]), images), images)

    def get_config(self):
        return {**super().get_config(), "factor": self.factor,
                "value_range": self.value_range}
