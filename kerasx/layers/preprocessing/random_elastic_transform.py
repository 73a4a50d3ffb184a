"""RandomElasticTransform: elastic deformations at random, as keras.layers.RandomElasticTransform."""
from kerasx.layers.preprocessing.base_image_layer import (INTERPOLATIONS,
                                                          BaseImagePreprocessingLayer,
                                                          check_choice, parse_factor)
from kerasx.ops.image_random import elastic_warp, gaussian_blur_host

FILL_MODES = ("reflect", "wrap", "constant", "nearest")


class RandomElasticTransform(BaseImagePreprocessingLayer):
    """In training, with a probability drawn from the factor's range, move
    the pixels of each image by Gaussian-smoothed noise (Keras's rule: a
    distortion d drawn from `scale`, alpha = 0.1 d max(H, W),
    sigma = 0.05 d min(H, W)), then clip to `value_range`; identity in
    inference. The displacement fields are drawn and smoothed on the host
    (x and y independent), so one seed deforms alike on every backend.

    Args:
        factor: the probability f (range [0, f]) or a pair, within [0, 1].
        scale: the distortion's range d (range [0, d]) or a pair, within [0, 1].
        interpolation: "bilinear" or "nearest".
        fill_mode: "reflect", "wrap", "constant" or "nearest"; fill_value.
        value_range: the images' (min, max).
        seed, data_format: as BaseImagePreprocessingLayer.

    Raises:
        ValueError: a bad factor or scale. NotImplementedError: a bad
            interpolation or fill mode.
    """

    def __init__(self, factor=1.0, scale=1.0, interpolation="bilinear", fill_mode="reflect",
                 fill_value=0.0, value_range=(0, 255), seed=None, data_format=None, **kwargs):
        super().__init__(data_format=data_format, seed=seed, **kwargs)
        self.factor = parse_factor(factor, (0, 1))
        self.scale = parse_factor(scale, (0, 1), "scale")
        check_choice("interpolation", interpolation, INTERPOLATIONS)
        check_choice("fill_mode", fill_mode, FILL_MODES)
        self.interpolation = interpolation
        self.fill_mode = fill_mode
        self.fill_value = fill_value
        self.value_range = value_range

    def transform_images(self, ops, images, training):
        if not training or self.scale[1] == 0 or self.factor[1] == 0:
            return images
        batched, batch, height, width = self.image_dims(ops, images)

        def draws(rng):
            probability = rng.uniform(*self.factor, batch)
            apply = rng.uniform(0, 1, batch) < probability
            distortion = rng.uniform(*self.scale)
            alpha = max(height, width) * 0.1 * distortion
            sigma = min(height, width) * 0.05 * distortion
            noise = rng.standard_normal((2, batch, height, width)) * sigma
            shift = gaussian_blur_host(noise, sigma) * alpha if sigma > 0 else noise * 0
            return [apply[None].repeat(height * width, 0).T.reshape(batch, height, width),
                    shift[0], shift[1]]

        drawn = self.draw(ops, draws, (3, batch, height, width))
        apply, displacement = ops.split(drawn, [1], axis=0)
        apply = ops.greater(ops.reshape(ops.slice(apply, (0, 0, 0, 0), (1, batch, 1, 1)),
                                        (batch,)), 0.5)
        x = images if batched else ops.expand_dims(images, 0)
        warped = elastic_warp(ops, x, displacement, self.interpolation, self.fill_mode,
                              self.fill_value, self.data_format)
        out = ops.where(ops.reshape(apply, (-1, 1, 1, 1)), warped, x)
        out = ops.clip(out, float(self.value_range[0]), float(self.value_range[1]))
        return out if batched else ops.squeeze(out, 0)

    def get_config(self):
        return {**super().get_config(), "factor": self.factor, "scale": self.scale,
                "interpolation": self.interpolation, "fill_mode": self.fill_mode,
                "fill_value": self.fill_value, "value_range": self.value_range}
