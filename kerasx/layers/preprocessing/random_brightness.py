"""RandomBrightness: shift each image's brightness at random, as keras.layers.RandomBrightness."""
from kerasx.layers.preprocessing.base_image_layer import (BaseImagePreprocessingLayer,
                                                          parse_factor)


class RandomBrightness(BaseImagePreprocessingLayer):
    """In training, add to each image delta * (max - min) of `value_range`,
    delta drawn uniformly in the factor's range, then clip to the range;
    identity in inference.

    Args:
        factor: f (range [-f, f]) or a pair, within [-1, 1].
        value_range: the images' (min, max).
        seed: as BaseImagePreprocessingLayer.

    Raises:
        ValueError: a factor outside [-1, 1] or a bad value_range.
    """

    def __init__(self, factor, value_range=(0, 255), seed=None, **kwargs):
        super().__init__(seed=seed, **kwargs)
        self.factor = parse_factor(factor, (-1, 1))
        if not isinstance(value_range, (tuple, list)) or len(value_range) != 2:
            raise ValueError("The `value_range` argument should be a list of two numbers. "
                             f"Received: value_range={value_range}")
        self.value_range = sorted(value_range)

    def transform_images(self, ops, images, training):
        if not training:
            return images
        batched, batch, _, _ = self.image_dims(ops, images)
        low, high = self.value_range
        delta = self.draw(ops, lambda rng: rng.uniform(*self.factor, batch) * (high - low),
                          (batch,))
        delta = ops.cast(self.per_image(ops, delta, batched), ops.dtype(images))
        return ops.clip(ops.add(images, delta), float(low), float(high))

    def get_config(self):
        return {**super().get_config(), "factor": self.factor,
                "value_range": self.value_range}
