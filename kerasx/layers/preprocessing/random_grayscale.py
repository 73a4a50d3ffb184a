"""RandomGrayscale: turn images grey at random, as keras.layers.RandomGrayscale."""
from kerasx.layers.preprocessing.base_image_layer import BaseImagePreprocessingLayer


class RandomGrayscale(BaseImagePreprocessingLayer):
    """In training, replace each image with probability `factor` by its luma
    (repeated over the channels); identity in inference.

    Args:
        factor: the probability, in [0, 1].
        data_format, seed: as BaseImagePreprocessingLayer.

    Raises:
        ValueError: a factor outside [0, 1].
    """

    def __init__(self, factor=0.5, data_format=None, seed=None, **kwargs):
        super().__init__(data_format=data_format, seed=seed, **kwargs)
        if factor < 0 or factor > 1:
            raise ValueError(f"`factor` should be between 0 and 1. Received: factor={factor}")
        self.factor = factor

    def transform_images(self, ops, images, training):
        if not training:
            return images
        batched, batch, _, _ = self.image_dims(ops, images)
        apply = self.draw(ops, lambda rng: rng.random(batch) < self.factor, (batch,))
        apply = ops.greater(self.per_image(ops, apply, batched), 0.5)
        gray = ops.rgb_to_grayscale(images, self.data_format)
        return ops.where(apply, ops.broadcast_to(gray, ops.shape(images)), images)

    def get_config(self):
        return {**super().get_config(), "factor": self.factor}
