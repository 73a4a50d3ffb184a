"""GaussianNoise: additive zero-mean noise during training."""
from kerasx.backend import get_ops
from kerasx.layers.layer import Layer
from kerasx.random.host_draws import host_tensor
from kerasx.random.sampling import normal_array
from kerasx.random.seed_generator import SeedGenerator


class GaussianNoise(Layer):
    """Adds N(0, stddev ** 2) noise in training; the identity in inference,
    as keras.layers.GaussianNoise. The noise is drawn on the host from the
    portable generator (float64, then cast), so every backend adds the same
    noise for the same seed.

    Args:
        stddev: standard deviation of the noise, in [0, 1] (as Keras).
        seed: int seed of the layer's own stream (default: from the global
            seed).

    Raises:
        ValueError: for a stddev outside [0, 1].
    """

    def __init__(self, stddev, seed=None, **kwargs):
        super().__init__(**kwargs)
        if not isinstance(stddev, (int, float)) or not 0 <= stddev <= 1:
            raise ValueError("Invalid value received for argument `stddev`. Expected a "
                             f"float value between 0 and 1. Received: stddev={stddev!r}")
        self.stddev = stddev
        self.seed = seed
        self.seed_generator = SeedGenerator(seed) if stddev > 0 else None
        self.supports_masking = True
        self.built = True

    def call(self, inputs, training=None):
        if not training or self.stddev == 0:
            return inputs
        ops = get_ops()
        shape = ops.shape(inputs)
        noise = host_tensor(lambda: normal_array(shape, 0.0, self.stddev, self.seed_generator),
                            ops.dtype(inputs))
        return ops.add(inputs, noise)

    def compute_output_shape(self, input_shape):
        return input_shape

    def get_config(self):
        return {**super().get_config(), "stddev": self.stddev, "seed": self.seed}
