"""GaussianDropout: multiplicative 1-centred Gaussian noise."""
import math

from kerasx.backend import get_ops
from kerasx.layers.layer import Layer
from kerasx.layers.regularization.alpha_dropout import check_rate
from kerasx.random.host_draws import host_tensor
from kerasx.random.sampling import normal_array
from kerasx.random.seed_generator import SeedGenerator


class GaussianDropout(Layer):
    """Multiplies its input by N(1, rate / (1 - rate)) noise in training, as
    keras.layers.GaussianDropout; the identity in inference. The noise is
    drawn on the host from the portable generator, so every backend applies
    the same noise for the same seed.

    Args:
        rate: drop probability of the equivalent dropout, in [0, 1].
        seed: int seed of this layer's own stream.

    Raises:
        ValueError: for a rate outside [0, 1].
    """

    def __init__(self, rate, seed=None, **kwargs):
        super().__init__(**kwargs)
        check_rate(rate)
        self.rate = rate
        self.seed = seed
        self.seed_generator = SeedGenerator(seed) if rate > 0 else None
        self.supports_masking = True
        self.built = True

    def call(self, inputs, training=False):
        if not training or self.rate == 0:
            return inputs
        ops = get_ops()
        shape = ops.shape(inputs)
        stddev = math.sqrt(self.rate / (1.0 - self.rate))
        noise = host_tensor(lambda: normal_array(shape, 1.0, stddev, self.seed_generator),
                            ops.dtype(inputs))
        return ops.multiply(inputs, noise)

    def compute_output_shape(self, input_shape):
        return input_shape

    def get_config(self):
        return {**super().get_config(), "rate": self.rate, "seed": self.seed}
