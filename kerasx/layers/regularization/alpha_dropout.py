"""AlphaDropout: dropout that keeps SELU's self-normalising statistics."""
from kerasx.backend import get_ops
from kerasx.layers.layer import Layer
from kerasx.random.host_draws import host_tensor
from kerasx.random.sampling import dropout_mask
from kerasx.random.seed_generator import SeedGenerator

# SELU's constants; dropped units take SELU's negative saturation value.
_ALPHA = 1.6732632423543772848170429916717
_SCALE = 1.0507009873554804934193349852946


def check_rate(rate):
    """Raise ValueError unless 0 <= rate <= 1 (Keras's check for the
    AlphaDropout and GaussianDropout rates)."""
    if not isinstance(rate, (int, float)) or isinstance(rate, bool) or not 0 <= rate <= 1:
        raise ValueError("Invalid value received for argument `rate`. Expected a float "
                         f"value between 0 and 1. Received: rate={rate!r}")


class AlphaDropout(Layer):
    """Dropout for SELU networks, as keras.layers.AlphaDropout: in training,
    each unit is kept with probability 1 - rate, a dropped unit is set to
    alpha' = -alpha * scale (SELU's saturation), and the result is mapped to
    `a * x + b` with a = ((1 - rate) * (1 + rate * alpha' ** 2)) ** -0.5 and
    b = -a * alpha' * rate, which keeps a zero-mean, unit-variance input's
    mean and variance. The identity in inference.

    The keep mask comes from the portable generator (uniform >= rate, as
    Keras draws it), so one seed drops the same units on every backend.

    Args:
        rate: drop probability, in [0, 1].
        noise_shape: shape of the mask, broadcast over the input (None
            entries take the input's size).
        seed: int seed of this layer's own stream.

    Raises:
        ValueError: for a rate outside [0, 1].
    """

    def __init__(self, rate, noise_shape=None, seed=None, **kwargs):
        super().__init__(**kwargs)
        check_rate(rate)
        self.rate = rate
        self.seed = seed
        self.noise_shape = noise_shape
        self.seed_generator = SeedGenerator(seed) if rate > 0 else None
        self.supports_masking = True
        self.built = True

    def call(self, inputs, training=False):
        if not training or self.rate == 0:
            return inputs
        ops = get_ops()
        shape = tuple(ops.shape(inputs))
        mask_shape = shape if self.noise_shape is None else tuple(
            s if n is None else n for s, n in zip(shape, self.noise_shape))
        kept = host_tensor(lambda: dropout_mask(mask_shape, self.rate, self.seed_generator),
                           ops.dtype(inputs))
        if mask_shape != shape:
            kept = ops.broadcast_to(kept, shape)
        alpha_p = -_ALPHA * _SCALE
        a = ((1 - self.rate) * (1 + self.rate * alpha_p ** 2)) ** -0.5
        b = -a * alpha_p * self.rate
        x = ops.add(ops.multiply(inputs, kept),
                    ops.multiply(ops.subtract(ops.ones_like(kept), kept), alpha_p))
        return ops.add(ops.multiply(x, a), b)

    def compute_output_shape(self, input_shape):
        return input_shape

    def get_config(self):
        return {**super().get_config(), "rate": self.rate, "seed": self.seed,
                "noise_shape": self.noise_shape}
