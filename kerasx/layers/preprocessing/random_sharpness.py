"""RandomSharpness: sharpen or soften images at random, as keras.layers.RandomSharpness."""
import numpy as np

from kerasx.layers.preprocessing.base_image_layer import (BaseImagePreprocessingLayer,
                                                          check_value_range, parse_factor)

#: The smoothing kernel of Keras (and PIL's ImageEnhance.Sharpness).
_SMOOTH = np.array([[1, 1, 1], [1, 5, 1], [1, 1, 1]]) / 13.0


class RandomSharpness(BaseImagePreprocessingLayer):
    """In training, x + (1 - 2f)(smooth(x) - x) per image, f drawn
    uniformly from the factor's range (0.5 keeps the image, below blurs,
    above sharpens), clipped to `value_range`; identity in inference.

    Args:
        factor: f or a pair, within [0, 1] (a single f gives [0, f]).
        value_range: the images' (min, max).
        data_format, seed: as BaseImagePreprocessingLayer.

    Raises:
        ValueError: a bad factor or value_range.
    """

    def __init__(self, factor, value_range=(0, 255), data_format=None, seed=None, **kwargs):
        super().__init__(data_format=data_format, seed=seed, **kwargs)
        self.factor = parse_factor(factor, (0, 1))
        self.value_range = check_value_range(value_range)

    def transform_images(self, ops, images, training):
        if not training:
            return images
        batched, batch, _, _ = self.image_dims(ops, images)
        f = self.draw(ops, lambda rng: rng.uniform(*self.factor, batch), (batch,))
        f = ops.cast(self.per_image(ops, ops.multiply(f, 2.0), batched), ops.dtype(images))
        x = images if batched else ops.expand_dims(images, 0)
        channels = ops.shape(x)[-1 if self.data_format == "channels_last" else 1]
        kernel = np.tile(_SMOOTH[:, :, None, None], (1, 1, 1, channels))
        smooth = ops.conv(x, ops.convert_to_tensor(kernel, ops.dtype(x)), 1, "same",
                          self.data_format)
        if not batched:
            smooth = ops.squeeze(smooth, 0)
        out = ops.add(images, ops.multiply(ops.subtract(1.0, f), ops.subtract(smooth, images)))
        return ops.clip(out, float(self.value_range[0]), float(self.value_range[1]))

    def get_config(self):
        return {**super().get_config(), "factor": self.factor,
                "value_range": self.value_range}
