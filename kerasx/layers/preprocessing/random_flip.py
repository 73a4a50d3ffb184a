"""RandomFlip: flip images at random, as keras.layers.RandomFlip."""
from kerasx.layers.preprocessing.base_image_layer import BaseImagePreprocessingLayer

HORIZONTAL, VERTICAL = "horizontal", "vertical"
HORIZONTAL_AND_VERTICAL = "horizontal_and_vertical"


class RandomFlip(BaseImagePreprocessingLayer):
    """Flip each image with probability 1/2 in training (one draw per image
    decides both directions in "horizontal_and_vertical" mode, as Keras);
    identity in inference.

    Args:
        mode: "horizontal", "vertical" or "horizontal_and_vertical".
        seed: int seed of the layer's random stream.
        data_format: "channels_last" or "channels_first".

    Raises:
        ValueError: for an unknown mode.
    """

    def __init__(self, mode=HORIZONTAL_AND_VERTICAL, seed=None, data_format=None, **kwargs):
        super().__init__(data_format=data_format, seed=seed, **kwargs)
        if mode not in (HORIZONTAL, VERTICAL, HORIZONTAL_AND_VERTICAL):
            raise ValueError(f"RandomFlip layer {self.name} received an unknown mode "
                             f"argument {mode}")
        self.mode = mode

    def transform_images(self, ops, images, training):
        if not training:
            return images
        batched, batch, _, _ = self.image_dims(ops, images)
        flips = self.draw(ops, lambda rng: rng.random(batch) <= 0.5, (batch,))
        flips = ops.greater(self.per_image(ops, flips, batched), 0.5)
        h_axis, w_axis = self.spatial_axes()
        out = images
        for axis, modes in ((w_axis, (HORIZONTAL, HORIZONTAL_AND_VERTICAL)),
                            (h_axis, (VERTICAL, HORIZONTAL_AND_VERTICAL))):
            if self.mode in modes:
                size = ops.shape(out)[axis]
                reverse = ops.convert_to_tensor(list(range(size - 1, -1, -1)), "int32")
                out = ops.where(flips, ops.take(out, reverse, axis=len(ops.shape(out)) + axis),
                                out)
        return out

    def get_config(self):
        return {**super().get_config(), "mode": self.mode}
