"""Dropout with masks from the portable generator (same mask on every backend)."""
from kerasx.backend import get_ops
from kerasx.layers.layer import Layer
from kerasx.random.host_draws import host_tensor
from kerasx.random.sampling import dropout_mask
from kerasx.random.seed_generator import SeedGenerator


class Dropout(Layer):
    """Sets a fraction `rate` of inputs to 0 during training and scales the rest
    by 1 / (1 - rate), as keras.layers.Dropout.

    Args:
        rate: fraction to drop, in [0, 1).
        noise_shape: shape of the mask, broadcast over the input (None: the
            input's shape; None entries take the input's size).
        seed: int seed of this layer's own stream (default: from the global
            seed).

    Raises:
        ValueError: if rate is outside [0, 1).
    """

    def __init__(self, rate, noise_shape=None, seed=None, **kwargs):
        super().__init__(**kwargs)
        if not 0 <= rate < 1:
            raise ValueError(f"Invalid value received for argument `rate`. Expected a float "
                             f"value between 0 and 1. Received: rate={rate!r}")
        self.rate = rate
        self.noise_shape = noise_shape
        self.seed = seed
        self.seed_generator = SeedGenerator(seed)
        self.supports_masking = True

    def _mask_shape(self, shape):
        if self.noise_shape is None:
            return shape
        return tuple(s if n is None else n for s, n in zip(shape, self.noise_shape))

    def call(self, inputs, training=None):
        if not training or self.rate == 0:
            return inputs
        ops = get_ops()
        shape = ops.shape(inputs)
        mask_shape = self._mask_shape(shape)
        mask = host_tensor(lambda: dropout_mask(mask_shape, self.rate, self.seed_generator))
        if mask_shape != shape:
            mask = ops.broadcast_to(mask, shape)
        return ops.dropout(inputs, mask, self.rate)

    def compute_output_shape(self, input_shape):
        return input_shape

    def get_config(self):
        return {**super().get_config(), "rate": self.rate, "seed": self.seed,
                "noise_shape": self.noise_shape}
