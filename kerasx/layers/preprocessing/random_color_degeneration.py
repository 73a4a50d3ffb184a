"""RandomColorDegeneration: blend images toward grey at random, as keras.layers.RandomColorDegeneration."""
from kerasx.layers.preprocessing.base_image_layer import (BaseImagePreprocessingLayer,
                                                          check_value_range, parse_factor)


class RandomColorDegeneration(BaseImagePreprocessingLayer):
    """In training, x + f (gray(x) - x) per image, f drawn uniformly from
    the factor's range, clipped to `value_range`; identity in inference.

    Args:
        factor: f or a pair, within [-1, 1] (a single f gives [-f, f]).
        value_range: the images' (min, max).
        data_format, seed: as BaseImagePreprocessingLayer.

    Raises:
        ValueError: a bad factor or value_range.
    """

    def __init__(self, factor, value_range=(0, 255), data_format=None, seed=None, **kwargs):
        super().__init__(data_format=data_format, seed=seed, **kwargs)
        self.factor = parse_factor(factor, (-1, 1))
        self.value_range = check_value_range(value_range)

    def transform_images(self, ops, images, training):
        if not training:
            return images
        batched, batch, _, _ = self.image_dims(ops, images)
        f = self.draw(ops, lambda rng: rng.uniform(*self.factor, batch), (batch,))
        f = ops.cast(self.per_image(ops, f, batched), ops.dtype(images))
        gray = ops.rgb_to_grayscale(images, self.data_format)
        out = ops.add(images, ops.multiply(f, ops.subtract(gray, images)))
        return ops.clip(out, float(self.value_range[0]), float(self.value_range[1]))

    def get_config(self):
        return {**super().get_config(), "factor": self.factor,
                "value_range": self.value_range}
