"""LeakyReLU layer, as keras.layers.LeakyReLU."""
import warnings

from kerasx.backend import get_ops
from kerasx.layers.layer import Layer


class LeakyReLU(Layer):
    """x for x >= 0, `negative_slope * x` below.

    Args:
        negative_slope: non-negative float; Keras 3's layer default is 0.3
            (the function keras.activations.leaky_relu defaults to 0.2).
            The Keras 2 name `alpha` is accepted with a warning.

    Raises:
        ValueError: if negative_slope is None or negative.
    """

    def __init__(self, negative_slope=0.3, **kwargs):
        if "alpha" in kwargs:
            negative_slope = kwargs.pop("alpha")
            warnings.warn("Argument `alpha` is deprecated. Use `negative_slope` instead.")
        super().__init__(**kwargs)
        if negative_slope is None or negative_slope < 0:
            raise ValueError("The negative_slope value of a Leaky ReLU layer cannot be "
                             "None or negative value. Expected a float. Received: "
                             f"negative_slope={negative_slope}")
        self.negative_slope = negative_slope
        self.supports_masking = True
        self.built = True

    def call(self, inputs):
        return get_ops().leaky_relu(inputs, negative_slope=self.negative_slope)

    def compute_output_shape(self, input_shape):
        return input_shape

    def get_config(self):
        return {**super().get_config(), "negative_slope": self.negative_slope}
