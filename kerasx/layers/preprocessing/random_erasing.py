"""RandomErasing: erase a random box of images, as keras.layers.RandomErasing."""
import numpy as np

from kerasx.layers.preprocessing.base_image_layer import (BaseImagePreprocessingLayer,
                                                          parse_factor)


class RandomErasing(BaseImagePreprocessingLayer):
    """In training, with a probability drawn from the factor's range, fill
    a box of each image with `fill_value` (None: Gaussian noise times the
    top of `value_range`); the box's sides are sqrt(s) of the image's, s
    drawn from `scale` per side, at a uniform position (Keras's rule);
    identity in inference.

    Args:
        factor: the probability f (range [0, f]) or a pair, within [0, 1].
        scale: the box's area fraction range, within [0, 1].
        fill_value: None, a number, or three numbers (per channel).
        value_range: the images' (min, max).
        seed, data_format: as BaseImagePreprocessingLayer.

    Raises:
        ValueError: a bad factor, scale or fill_value.
    """

    def __init__(self, factor=1.0, scale=(0.02, 0.33), fill_value=None, value_range=(0, 255),
                 seed=None, data_format=None, **kwargs):
        super().__init__(data_format=data_format, seed=seed, **kwargs)
        self.factor = parse_factor(factor, (0, 1))
        self.scale = parse_factor(scale, (0, 1), "scale")
        if fill_value is not None and not (
                isinstance(fill_value, (int, float)) or
                (isinstance(fill_value, (tuple, list)) and len(fill_value) == 3)):
            raise ValueError("The `fill_value` argument should be a number (or a list of "
                             f"three numbers). Received: fill_value={fill_value}")
        self.fill_value = fill_value
        self.value_range = value_range

    def transform_images(self, ops, images, training):
        if not training:
            return images
        batched, batch, height, width = self.image_dims(ops, images)
        shape = tuple(ops.shape(images)) if batched else (1,) + tuple(ops.shape(images))
        last = self.data_format == "channels_last"

        def draws(rng):
            sides = np.sqrt(rng.uniform(*self.scale, (batch, 2)))
            boxes = []
            for side, length in ((sides[:, 0], width), (sides[:, 1], height)):
                size = side * length
                start = rng.uniform(0, 1, batch) * (length - size)
                boxes.append((start, start + size))
            probability = rng.uniform(*self.factor, batch)
            apply = rng.uniform(0, 1, batch) < probability
            ys, xs = np.arange(height)[None, :, None], np.arange(width)[None, None, :]
            (x0, x1), (y0, y1) = [(a[:, None, None], b[:, None, None]) for a, b in boxes]
            mask = (xs >= x0) & (xs < x1) & (ys >= y0) & (ys < y1) & apply[:, None, None]
            mask = mask[..., None] if last else mask[:, None]
            if self.fill_value is None:
                fill = rng.standard_normal(shape) * self.value_range[1]
            else:
                fill = np.broadcast_to(np.asarray(self.fill_value, "float64").reshape(
                    (-1,) if last else (-1, 1, 1)), shape[1:])[None].repeat(batch, 0)
            return np.stack([np.broadcast_to(mask, shape), fill])

        drawn = self.draw(ops, draws, (2,) + shape)
        mask = ops.greater(ops.squeeze(ops.slice(drawn, (0,) * (len(shape) + 1),
                                                 (1,) + shape), 0), 0.5)
        fill = ops.cast(ops.squeeze(ops.slice(drawn, (1,) + (0,) * len(shape), (1,) + shape),
                                    0), ops.dtype(images))
        x = images if batched else ops.expand_dims(images, 0)
        out = ops.where(mask, fill, x)
        return out if batched else ops.squeeze(out, 0)

    def get_config(self):
        return {**super().get_config(), "factor": self.factor, "scale": self.scale,
                "fill_value": self.fill_value, "value_range": self.value_range}
