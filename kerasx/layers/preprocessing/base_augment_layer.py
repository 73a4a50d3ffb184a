"""The shared part of RandAugment and AugMix: their bank of augmentation
layers (with Keras's arguments), and applying one of them chosen by a drawn
index (every candidate is computed and the chosen one selected with `where`,
as Keras does, so that a compiled step keeps one graph)."""
from kerasx.layers.preprocessing.auto_contrast import AutoContrast
from kerasx.layers.preprocessing.base_image_layer import BaseImagePreprocessingLayer
from kerasx.layers.preprocessing.equalization import Equalization
from kerasx.layers.preprocessing.random_brightness import RandomBrightness
from kerasx.layers.preprocessing.random_color_degeneration import RandomColorDegeneration
from kerasx.layers.preprocessing.random_contrast import RandomContrast
from kerasx.layers.preprocessing.random_posterization import RandomPosterization
from kerasx.layers.preprocessing.random_rotation import RandomRotation
from kerasx.layers.preprocessing.random_sharpness import RandomSharpness
from kerasx.layers.preprocessing.random_shear import RandomShear
from kerasx.layers.preprocessing.random_translation import RandomTranslation
from kerasx.layers.preprocessing.solarization import Solarization


def augmenters(names, factor, value_range, interpolation, seed, data_format):
    """{name: layer} of Keras's RandAugment / AugMix bank, in `names`' order."""
    make = {
        "random_shear": lambda: RandomShear(factor, factor, interpolation=interpolation,
                                            seed=seed, data_format=data_format),
        "random_translation": lambda: RandomTranslation(factor, factor,
                                                        interpolation=interpolation,
                                                        seed=seed, data_format=data_format),
        "random_rotation": lambda: RandomRotation(factor, interpolation=interpolation,
                                                  seed=seed, data_format=data_format),
        "random_brightness": lambda: RandomBrightness(factor, value_range, seed=seed,
                                                      data_format=data_format),
        "random_color_degeneration": lambda: RandomColorDegeneration(
            factor, value_range, seed=seed, data_format=data_format),
        "random_contrast": lambda: RandomContrast(factor, value_range, seed=seed,
                                                  data_format=data_format),
        "random_sharpness": lambda: RandomSharpness(factor, value_range, seed=seed,
                                                    data_format=data_format),
        "random_posterization": lambda: RandomPosterization(
            max(1, int(8 * factor[1])), value_range, seed=seed, data_format=data_format),
        "solarization": lambda: Solarization(factor, factor, value_range, seed=seed,
                                             data_format=data_format),
        "auto_contrast": lambda: AutoContrast(value_range, data_format=data_format),
        "equalization": lambda: Equalization(value_range, data_format=data_format),
    }
    return {name: make[name]() for name in names}


class BaseAugmentLayer(BaseImagePreprocessingLayer):
    """An image layer that applies augmentations of its bank chosen at random."""

    def apply_one(self, ops, images, bank, index):
        """`images` through the layer of `bank` at `index` (a 0-d float
        tensor; an index past the bank leaves the images as they are)."""
        out = images
        for k, layer in enumerate(bank.values()):
            layer.generator = self.generator  # one stream for the whole layer
            layer._draw_ops = self._draw_ops
            try:
                candidate = layer.transform_images(ops, images, True)
            finally:
                layer._draw_ops = None
            out = ops.where(ops.equal(index, float(k)), candidate, out)
        return out
