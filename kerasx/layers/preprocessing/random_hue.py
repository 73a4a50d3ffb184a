"""RandomHue: rotate each image's hue at random, as keras.layers.RandomHue."""
import numpy as np

from kerasx.layers.preprocessing.base_image_layer import (BaseImagePreprocessingLayer,
                                                          parse_factor, transform_value_range)


class RandomHue(BaseImagePreprocessingLayer):
    """In training, shift each image's hue (in HSV, hue in [0, 1)) by
    +-f / 2, f drawn uniformly from the factor's range and the sign at
    random, wrapping around; identity in inference.

    Args:
        factor: f or a pair, within [0, 1] (a single f gives [0, f]).
        value_range: the images' (min, max).
        data_format, seed: as BaseImagePreprocessingLayer.

    Raises:
        ValueError: a factor outside [0, 1].
    """

    def __init__(self, factor, value_range=(0, 255), data_format=None, seed=None, **kwargs):
        super().__init__(data_format=data_format, seed=seed, **kwargs)
        self.factor = parse_factor(factor, (0, 1))
        self.value_range = value_range

    def transform_images(self, ops, images, training):
        if not training:
            return images
        batched, batch, _, _ = self.image_dims(ops, images)

        def shifts(rng):
            sign = np.where(rng.random(batch) > 0.5, -1.0, 1.0)
            return sign * rng.uniform(*self.factor, batch) * 0.5

        delta = ops.cast(self.per_image(ops, self.draw(ops, shifts, (batch,)), batched),
                         ops.dtype(images))
        axis = -1 if self.data_format == "channels_last" else -3
        x = transform_value_range(ops, images, self.value_range, (0, 1))
        h, s, v = ops.split(ops.rgb_to_hsv(x, self.data_format), 3, axis=axis)
        h = ops.add(h, delta)
        h = ops.where(ops.greater(h, 1.0), ops.subtract(h, 1.0), h)
        h = ops.where(ops.less(h, 0.0), ops.add(h, 1.0), h)
        x = ops.hsv_to_rgb(ops.concatenate([h, s, v], axis=axis), self.data_format)
        x = ops.clip(x, 0.0, 1.0)
        return transform_value_range(ops, x, (0, 1), self.value_range)

    def get_config(self):
        return {**super().get_config(), "factor": self.factor,
                "value_range": self.value_range}
