"""RandomContrast: scale each image's contrast at random, as keras.layers.RandomContrast."""
from kerasx.layers.preprocessing.base_image_layer import (BaseImagePreprocessingLayer,
                                                          parse_factor)


class RandomContrast(BaseImagePreprocessingLayer):
    """In training, (x - mean) * c + mean per image and channel (mean over
    height and width), c drawn uniformly from [1 - lower, 1 + upper], then
    clipped to `value_range`; identity in inference.

    Args:
        factor: f or a pair (lower, upper), within [0, 1]; a single f gives
            Keras 3's range [1, 1 + f] (its factor bounds start at 0).
        value_range: the images' (min, max).
        seed: as BaseImagePreprocessingLayer.

    Raises:
        ValueError: a factor outside [0, 1].
    """

    def __init__(self, factor, value_range=(0, 255), seed=None, **kwargs):
        super().__init__(seed=seed, **kwargs)
        self.factor = parse_factor(factor, (0, 1))
        self.value_range = value_range

    def transform_images(self, ops, images, training):
        if not training:
            return images
        batched, batch, _, _ = self.image_dims(ops, images)
        lower, upper = self.factor
        c = self.draw(ops, lambda rng: rng.uniform(1.0 - lower, 1.0 + upper, batch), (batch,))
        c = ops.cast(self.per_image(ops, c, batched), ops.dtype(images))
        h_axis, w_axis = self.spatial_axes()
        mean = ops.mean(ops.mean(images, axis=h_axis, keepdims=True), axis=w_axis,
                        keepdims=True)
        out = ops.add(ops.multiply(ops.subtract(images, mean), c), mean)
        return ops.clip(out, float(self.value_range[0]), float(self.value_range[1]))

    def get_config(self):
        return {**super().get_config(), "factor": self.factor,
                "value_range": self.value_range}
