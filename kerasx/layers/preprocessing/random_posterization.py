"""RandomPosterization: reduce the bits per channel at random, as keras.layers.RandomPosterization."""
from kerasx.layers.preprocessing.base_image_layer import (BaseImagePreprocessingLayer,
                                                          check_value_range, parse_factor,
                                                          transform_value_range)


class RandomPosterization(BaseImagePreprocessingLayer):
    """In training, keep b bits of each 8-bit channel value (b drawn per
    image from [lower, upper), or fixed when lower == upper, as Keras's
    randint): values are mapped to [0, 255], truncated to integers, their
    8 - b low bits cleared, and mapped back; identity in inference.

    Args:
        factor: b or a pair, within [1, 8] (a single b gives [1, b]).
        value_range: the images' (min, max).
        data_format, seed: as BaseImagePreprocessingLayer.

    Raises:
        ValueError: a bad factor or value_range.
    """

    def __init__(self, factor, value_range=(0, 255), data_format=None, seed=None, **kwargs):
        super().__init__(data_format=data_format, seed=seed, **kwargs)
        self.factor = parse_factor(factor, (1, 8))
        self.value_range = check_value_range(value_range)

    def transform_images(self, ops, images, training):
        if not training:
            return images
        batched, batch, _, _ = self.image_dims(ops, images)
        low, high = int(self.factor[0]), int(self.factor[1])

        def steps(rng):  # 2 ** (8 - bits): the size of a kept step
            bits = rng.integers(low, high, batch) if low != high else [low] * batch
            return [2.0 ** (8 - b) for b in bits]

        step = ops.cast(self.per_image(ops, self.draw(ops, steps, (batch,)), batched),
                        ops.dtype(images))
        x = transform_value_range(ops, images, self.value_range, (0, 255))
        # (x >> s) << s on the uint8 values (truncation, then floor division).
        x = ops.multiply(ops.floor(ops.divide(ops.floor(ops.clip(x, 0.0, 255.0)), step)), step)
        return transform_value_range(ops, x, (0, 255), self.value_range)

    def get_config(self):
        return {**super().get_config(), "factor": self.factor,
                "value_range": self.value_range}
