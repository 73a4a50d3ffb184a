"""The shared part of the affine augmentation layers (RandomRotation,
RandomZoom, RandomTranslation, RandomShear): arguments, and applying a
batch of host-drawn transforms with `affine_transform`."""
from kerasx.layers.preprocessing.base_image_layer import (FILL_MODES, INTERPOLATIONS,
                                                          BaseImagePreprocessingLayer,
                                                          check_choice)


class BaseAffineLayer(BaseImagePreprocessingLayer):
    """An image layer that resamples each image through a random projective
    transform (Keras's fill modes and interpolations).

    Subclasses implement `matrices(rng, batch, height, width)`: a (batch, 8)
    NumPy array of transforms (output pixel -> input pixel).

    Args:
        fill_mode: "reflect", "wrap", "constant" or "nearest".
        interpolation: "bilinear" or "nearest".
        fill_value: the value of "constant" filling.
        seed, data_format: as BaseImagePreprocessingLayer.

    Raises:
        NotImplementedError: an unknown fill mode or interpolation (as Keras).
    """

    def __init__(self, fill_mode="reflect", interpolation="bilinear", seed=None,
                 fill_value=0.0, data_format=None, **kwargs):
        super().__init__(data_format=data_format, seed=seed, **kwargs)
        check_choice("fill_mode", fill_mode, FILL_MODES)
        check_choice("interpolation", interpolation, INTERPOLATIONS)
        self.fill_mode = fill_mode
        self.interpolation = interpolation
        self.fill_value = fill_value

    def matrices(self, rng, batch, height, width):
        """(batch, 8) transforms drawn from the NumPy Generator `rng`."""
        raise NotImplementedError(f"{type(self).__name__} must implement matrices.")

    def transform_images(self, ops, images, training):
        if not training:
            return images
        batched, batch, height, width = self.image_dims(ops, images)
        transform = self.draw(ops, lambda rng: self.matrices(rng, batch, height, width),
                              (batch, 8))
        if not batched:
            transform = ops.reshape(transform, (8,))
        return ops.affine_transform(images, transform, self.interpolation, self.fill_mode,
                                    self.fill_value, self.data_format)

    def get_config(self):
        return {**super().get_config(), "fill_mode": self.fill_mode,
                "interpolation": self.interpolation, "fill_value": self.fill_value}
