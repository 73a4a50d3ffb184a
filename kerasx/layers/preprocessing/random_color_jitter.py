"""RandomColorJitter: random brightness, contrast, saturation and hue, as keras.layers.RandomColorJitter."""
from kerasx.layers.preprocessing.base_image_layer import BaseImagePreprocessingLayer
from kerasx.layers.preprocessing.random_brightness import RandomBrightness
from kerasx.layers.preprocessing.random_contrast import RandomContrast
from kerasx.layers.preprocessing.random_hue import RandomHue
from kerasx.layers.preprocessing.random_saturation import RandomSaturation


class RandomColorJitter(BaseImagePreprocessingLayer):
    """In training, apply in turn the adjustments whose factor is given:
    RandomBrightness, RandomContrast, RandomSaturation, RandomHue (each as
    that layer, drawing from this layer's stream); identity in inference.

    Args:
        value_range: the images' (min, max).
        brightness_factor, contrast_factor, saturation_factor, hue_factor:
            the factors of the four layers (None: skipped).
        seed, data_format: as BaseImagePreprocessingLayer.
    """

    def __init__(self, value_range=(0, 255), brightness_factor=None, contrast_factor=None,
                 saturation_factor=None, hue_factor=None, seed=None, data_format=None,
                 **kwargs):
        super().__init__(data_format=data_format, seed=seed, **kwargs)
        self.value_range = value_range
        self.brightness_factor = brightness_factor
        self.contrast_factor = contrast_factor
        self.saturation_factor = saturation_factor
        self.hue_factor = hue_factor
        common = dict(value_range=value_range, seed=seed)
        self._adjustments = [layer for layer in (
            brightness_factor is not None and RandomBrightness(brightness_factor, **common),
            contrast_factor is not None and RandomContrast(contrast_factor, **common),
            saturation_factor is not None and RandomSaturation(
                saturation_factor, data_format=self.data_format, **common),
            hue_factor is not None and RandomHue(hue_factor, data_format=self.data_format,
                                                 **common)) if layer]

    def transform_images(self, ops, images, training):
        if not training:
            return images
        for layer in self._adjustments:
            # One stream for the whole jitter, as Keras's.
            layer.generator = self.generator
            layer._draw_ops = self._draw_ops
            try:
                images = layer.transform_images(ops, images, training)
            finally:
                layer._draw_ops = None
        return images

    def get_config(self):
        return {**super().get_config(), "value_range": self.value_range,
                "brightness_factor": self.brightness_factor,
                "contrast_factor": self.contrast_factor,
                "saturation_factor": self.saturation_factor, "hue_factor": self.hue_factor}
