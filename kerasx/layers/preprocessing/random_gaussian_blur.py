"""RandomGaussianBlur: blur images at random, as keras.layers.RandomGaussianBlur."""
import numpy as np

from kerasx.backend.image_sampling import gaussian_kernel
from kerasx.layers.preprocessing.base_image_layer import (BaseImagePreprocessingLayer,
                                                          parse_factor)


def _kernel_size(value):
    pair = tuple(value) if isinstance(value, (tuple, list)) else (value, value)
    if len(pair) != 2 or any(int(k) % 2 == 0 for k in pair):
        raise ValueError(f"kernel_size must be an odd number. Received: kernel_size={value}")
    return tuple(int(k) for k in pair)


class RandomGaussianBlur(BaseImagePreprocessingLayer):
    """In training, blur each image with a probability drawn from the
    factor's range, with a Gaussian kernel of `kernel_size` whose sigma (one
    per axis, shared by the batch) is drawn from the sigma range, then clip
    to `value_range`; identity in inference.

    Args:
        factor: the probability f (range [0, f]) or a pair, within [0, 1].
        kernel_size: odd int or pair of odd ints.
        sigma: s (range [0, s]) or a pair, within [0, 1] (Keras's bounds).
        value_range: the images' (min, max).
        data_format, seed: as BaseImagePreprocessingLayer.

    Raises:
        ValueError: a bad factor, an even kernel size.
    """

    def __init__(self, factor=1.0, kernel_size=3, sigma=1.0, value_range=(0, 255),
                 data_format=None, seed=None, **kwargs):
        super().__init__(data_format=data_format, seed=seed, **kwargs)
        self.factor = parse_factor(factor, (0, 1))
        self.kernel_size = _kernel_size(kernel_size)
        self.sigma = parse_factor(sigma, (0, 1), "sigma")
        self.value_range = value_range

    def transform_images(self, ops, images, training):
        if not training:
            return images
        batched, batch, _, _ = self.image_dims(ops, images)
        kh, kw = self.kernel_size

        def draws(rng):
            probability = rng.uniform(*self.factor, batch)
            apply = rng.uniform(0, 1, batch) < probability
            sigma = rng.uniform(*self.sigma, 2) + 1e-6
            return np.concatenate([apply, gaussian_kernel((kh, kw), sigma).ravel()])

        drawn = self.draw(ops, draws, (batch + kh * kw,))
        apply = ops.greater(self.per_image(ops, ops.slice(drawn, (0,), (batch,)), batched), 0.5)
        x = images if batched else ops.expand_dims(images, 0)
        channels = ops.shape(x)[-1 if self.data_format == "channels_last" else 1]
        kernel = ops.reshape(ops.slice(drawn, (batch,), (kh * kw,)), (kh, kw, 1, 1))
        kernel = ops.cast(ops.broadcast_to(kernel, (kh, kw, 1, channels)), ops.dtype(x))
        blurred = ops.conv(x, kernel, 1, "same", self.data_format)
        if not batched:
            blurred = ops.squeeze(blurred, 0)
        out = ops.where(apply, blurred, images)
        return ops.clip(out, float(self.value_range[0]), float(self.value_range[1]))

    def get_config(self):
        return {**super().get_config(), "factor": self.factor,
                "kernel_size": self.kernel_size, "sigma": self.sigma,
                "value_range": self.value_range}
