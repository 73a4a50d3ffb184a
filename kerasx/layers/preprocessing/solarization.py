"""Solarization: invert the pixels above a threshold, as keras.layers.Solarization."""
from kerasx.layers.preprocessing.base_image_layer import (BaseImagePreprocessingLayer,
                                                          check_value_range, parse_factor,
                                                          transform_value_range)


class Solarization(BaseImagePreprocessingLayer):
    """In training, on the values mapped to [0, 255]: add a per-image
    addition drawn from [lower, upper * 255], clip, then invert (255 - x)
    the values at or above a per-image threshold drawn from
    [lower, upper * 255] (Keras's ranges); identity in inference.

    Args:
        addition_factor, threshold_factor: f (range [0, f]) or a pair,
            within [0, 1].
        value_range: the images' (min, max).
        seed: as BaseImagePreprocessingLayer.

    Raises:
        ValueError: a bad factor or value_range.
    """

    def __init__(self, addition_factor=0.0, threshold_factor=0.0, value_range=(0, 255),
                 seed=None, **kwargs):
        super().__init__(seed=seed, **kwargs)
        self.addition_factor = parse_factor(addition_factor, (0, 1), "addition_factor",
                                            symmetric_low=lambda f: 0.0)
        self.threshold_factor = parse_factor(threshold_factor, (0, 1), "threshold_factor",
                                             symmetric_low=lambda f: 0.0)
        self.value_range = check_value_range(value_range)

    def transform_images(self, ops, images, training):
        if not training:
            return images
        batched, batch, _, _ = self.image_dims(ops, images)

        def draws(rng):
            add = rng.uniform(self.addition_factor[0], self.addition_factor[1] * 255, batch)
            threshold = rng.uniform(self.threshold_factor[0], self.threshold_factor[1] * 255,
                                    batch)
            return [add, threshold]

        both = self.draw(ops, draws, (2, batch))
        add, threshold = [ops.cast(self.per_image(ops, ops.reshape(
            ops.slice(both, (i, 0), (1, batch)), (batch,)), batched), ops.dtype(images))
            for i in (0, 1)]
        x = transform_value_range(ops, images, self.value_range, (0, 255))
        x = ops.clip(ops.add(x, add), 0.0, 255.0)
        x = ops.where(ops.less(x, threshold), x, ops.subtract(255.0, x))
        return transform_value_range(ops, x, (0, 255), self.value_range)

    def get_config(self):
        return {**super().get_config(), "addition_factor": self.addition_factor,
                "threshold_factor": self.threshold_factor, "value_range": self.value_range}
