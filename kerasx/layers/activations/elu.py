"""ELU layer, as keras.layers.ELU."""
from kerasx.backend import get_ops
from kerasx.layers.layer import Layer


class ELU(Layer):
    """Exponential linear unit: x for x > 0, `alpha * (exp(x) - 1)` otherwise.

    Args:
        alpha: scale of the negative part (default 1.0).

    get_config also stores `alpha` (Keras 3 omits it, which loses a
    non-default alpha on a round trip; Keras accepts the key).
    """

    def __init__(self, alpha=1.0, **kwargs):
        super().__init__(**kwargs)
        self.alpha = alpha
        self.supports_masking = True
        self.built = True

    def call(self, inputs):
        return get_ops().elu(inputs, alpha=self.alpha)

    def compute_output_shape(self, input_shape):
        return input_shape

    def get_config(self):
        return {**super().get_config(), "alpha": self.alpha}
