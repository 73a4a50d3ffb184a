"""AutoContrast: stretch each image's values to the full range, as keras.layers.AutoContrast."""
from kerasx.layers.preprocessing.base_image_layer import (BaseImagePreprocessingLayer,
                                                          check_value_range,
                                                          transform_value_range)


class AutoContrast(BaseImagePreprocessingLayer):
    """Map each image and channel linearly so that its minimum becomes the
    bottom and its maximum the top of `value_range` (a constant channel is
    left as it was); in training and inference alike, as Keras.

    Args:
        value_range: the images' (min, max).

    Raises:
        ValueError: a bad value_range.
    """

    def __init__(self, value_range=(0, 255), **kwargs):
        kwargs.pop("seed", None)
        super().__init__(**kwargs)
        self.value_range = check_value_range(value_range)

    def transform_images(self, ops, images, training):
        original = images
        x = transform_value_range(ops, images, self.value_range, (0, 255))
        axes = (-3, -2) if self.data_format == "channels_last" else (-2, -1)
        low = ops.min(x, axis=axes, keepdims=True)
        high = ops.max(x, axis=axes, keepdims=True)
        spread = ops.subtract(high, low)
        flat = ops.equal(spread, 0.0)
        scale = ops.divide(255.0, ops.where(flat, ops.ones_like(spread), spread))
        x = ops.clip(ops.add(ops.multiply(x, scale), ops.negative(ops.multiply(low, scale))),
                     0.0, 255.0)
        x = transform_value_range(ops, x, (0, 255), self.value_range)
        # Keras divides by zero there and keeps the original values (NaN).
        return ops.where(ops.broadcast_to(flat, ops.shape(x)), original, x)

    def get_config(self):
        config = super().get_config()
        config.pop("seed")
        return {**config, "value_range": self.value_range}
