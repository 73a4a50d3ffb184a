"""RandAugment: a random choice of augmentations, as keras.layers.RandAugment."""
from kerasx.layers.preprocessing.base_augment_layer import BaseAugmentLayer, augmenters
from kerasx.layers.preprocessing.base_image_layer import parse_factor

NAMES = ("random_shear", "random_translation", "random_rotation", "random_brightness",
         "random_color_degeneration", "random_contrast", "random_sharpness",
         "random_posterization", "solarization", "auto_contrast", "equalization")


class RandAugment(BaseAugmentLayer):
    """In training, apply `num_ops` augmentations drawn uniformly (per
    batch) from Keras's bank of eleven (shear, translation, rotation,
    brightness, colour degeneration, contrast, sharpness, posterization,
    solarization, auto-contrast, equalization), each with range `factor`;
    identity in inference.

    Args:
        value_range: the images' (min, max).
        num_ops: the number of augmentations applied in turn.
        factor: the augmentations' strength f (range [0, f]) or a pair,
            within [0, 1].
        interpolation: of the geometric augmentations.
        seed, data_format: as BaseImagePreprocessingLayer.
    """

    def __init__(self, value_range=(0, 255), num_ops=2, factor=0.5, interpolation="bilinear",
                 seed=None, data_format=None, **kwargs):
        super().__init__(data_format=data_format, seed=seed, **kwargs)
        self.value_range = value_range
        self.num_ops = num_ops
        self.factor = parse_factor(factor, (0, 1))
        self.interpolation = interpolation
        self._bank = augmenters(NAMES, self.factor, value_range, interpolation, seed,
                                self.data_format)

    def transform_images(self, ops, images, training):
        if not training:
            return images
        choice = self.draw(ops, lambda rng: rng.integers(0, len(NAMES), self.num_ops),
                           (self.num_ops,))
        for i in range(self.num_ops):
            index = ops.reshape(ops.slice(choice, (i,), (1,)), ())
            images = self.apply_one(ops, images, self._bank, index)
        return images

    def get_config(self):
        return {**super().get_config(), "value_range": self.value_range,
                "num_ops": self.num_ops, "factor": self.factor,
                "interpolation": self.interpolation}
