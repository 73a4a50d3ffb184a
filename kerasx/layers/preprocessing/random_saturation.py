"""RandomSaturation: scale each image's saturation at random, as keras.layers.RandomSaturation."""
from kerasx.backend import epsilon
from kerasx.layers.preprocessing.base_image_layer import (BaseImagePreprocessingLayer,
                                                          check_value_range, parse_factor)


class RandomSaturation(BaseImagePreprocessingLayer):
    """In training, multiply each image's HSV saturation by f / (1 - f),
    f drawn uniformly from the factor's range (0.5 keeps the image, 0 makes
    it grey, 1 saturates it), clipped to `value_range`; identity in
    inference. As Keras, the HSV conversion is applied to the values as
    they are.

    Args:
        factor: f or a pair, within [-1, 1] (Keras's bounds).
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
        eps = epsilon()

        def factors(rng):
            f = rng.uniform(*self.factor, batch).astype("float32")
            return f / (1 - f + eps)

        scale = ops.cast(self.per_image(ops, self.draw(ops, factors, (batch,)), batched),
                         ops.dtype(images))
        axis = -1 if self.data_format == "channels_last" else -3
        h, s, v = ops.split(ops.rgb_to_hsv(images, self.data_format), 3, axis=axis)
        s = ops.clip(ops.multiply(s, scale), float(self.value_range[0]),
                     float(self.value_range[1]))
        return ops.hsv_to_rgb(ops.concatenate([h, s, v], axis=axis), self.data_format)

    def get_config(self):
        return {**super().get_config(), "factor": self.factor,
                "value_range": self.value_range}
