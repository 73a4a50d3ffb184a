"""AugMix: blend chains of random augmentations, as keras.layers.AugMix."""
import numpy as np

from kerasx.layers.preprocessing.base_augment_layer import BaseAugmentLayer, augmenters
from kerasx.layers.preprocessing.base_image_layer import parse_factor

ALL = ("random_shear", "random_translation", "random_rotation", "random_posterization",
       "solarization", "auto_contrast", "equalization", "random_brightness",
       "random_color_degeneration", "random_contrast", "random_sharpness")
GEOMETRIC_AND_TONE = ALL[:7]


class AugMix(BaseAugmentLayer):
    """In training, build `num_chains` chains of up to `chain_depth`
    augmentations (each step one of the bank or none, drawn uniformly, as
    Keras), mix the chains with Dirichlet(alpha) weights, and blend the mix
    with the original image by a Beta(alpha, alpha) weight, then clip to
    `value_range`; identity in inference.

    Args:
        value_range: the images' (min, max).
        num_chains, chain_depth: the chains' number and length.
        factor: the augmentations' strength f (range [0, f]) or a pair,
            within [0, 1].
        alpha: the Dirichlet and Beta parameter.
        all_ops: use the eleven augmentations (False: the seven geometric and
            tone ones, without colour changes).
        interpolation: of the geometric augmentations.
        seed, data_format: as BaseImagePreprocessingLayer.
    """

    def __init__(self, value_range=(0, 255), num_chains=3, chain_depth=3, factor=0.3,
                 alpha=1.0, all_ops=True, interpolation="bilinear", seed=None,
                 data_format=None, **kwargs):
        super().__init__(data_format=data_format, seed=seed, **kwargs)
        self.value_range = value_range
        self.num_chains = num_chains
        self.chain_depth = chain_depth
        self.factor = parse_factor(factor, (0, 1))
        self.alpha = alpha
        self.all_ops = all_ops
        self.interpolation = interpolation
        self._bank = augmenters(ALL if all_ops else GEOMETRIC_AND_TONE, self.factor,
                                value_range, interpolation, seed, self.data_format)

    def transform_images(self, ops, images, training):
        if not training:
            return images
        chains, depth, n = self.num_chains, self.chain_depth, len(self._bank)

        def draws(rng):
            weights = rng.dirichlet([self.alpha] * chains)
            keep = rng.beta(self.alpha, self.alpha)
            steps = rng.integers(0, n + 1, chains * depth)  # n: no augmentation
            return np.concatenate([weights, [keep], steps])

        drawn = self.draw(ops, draws, (chains + 1 + chains * depth,))
        dtype = ops.dtype(images)
        mixed = None
        for c in range(chains):
            chain = images
            for d in range(depth):
                index = ops.reshape(ops.slice(drawn, (chains + 1 + c * depth + d,), (1,)), ())
                chain = self.apply_one(ops, chain, self._bank, index)
            weight = ops.cast(ops.reshape(ops.slice(drawn, (c,), (1,)), ()), dtype)
            term = ops.multiply(chain, weight)
            mixed = term if mixed is None else ops.add(mixed, term)
        keep = ops.cast(ops.reshape(ops.slice(drawn, (chains,), (1,)), ()), dtype)
        out = ops.add(ops.multiply(keep, images), ops.multiply(ops.subtract(1.0, keep), mixed))
        return ops.clip(out, float(self.value_range[0]), float(self.value_range[1]))

    def get_config(self):
        return {**super().get_config(), "value_range": self.value_range,
                "num_chains": self.num_chains, "chain_depth": self.chain_depth,
                "factor": self.factor, "alpha": self.alpha, "all_ops": self.all_ops,
                "interpolation": self.interpolation}
