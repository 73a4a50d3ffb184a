"""ReLU layer, as keras.layers.ReLU."""
from kerasx import activations
from kerasx.layers.layer import Layer


class ReLU(Layer):
    """Rectified linear unit with optional cap, leak and threshold:
    `max_value` if x >= max_value, x if threshold <= x < max_value, else
    `negative_slope * (x - threshold)`.

    Args:
        max_value: non-negative float cap, or None (no cap).
        negative_slope: non-negative slope below the threshold (default 0).
        threshold: non-negative float threshold (default 0).

    Raises:
        ValueError: for a negative or None argument (max_value may be None).
    """

    def __init__(self, max_value=None, negative_slope=0.0, threshold=0.0, **kwargs):
        super().__init__(**kwargs)
        if max_value is not None and max_value < 0.0:
            raise ValueError("max_value of a ReLU layer cannot be a negative value. "
                             f"Received: max_value={max_value}")
        if negative_slope is None or negative_slope < 0.0:
            raise ValueError("negative_slope of a ReLU layer cannot be None or a negative "
                             f"value. Received: negative_slope={negative_slope}")
        if threshold is None or threshold < 0.0:
            raise ValueError("threshold of a ReLU layer cannot be None or a negative "
                             f"value. Received: threshold={threshold}")
        self.max_value = max_value
        self.negative_slope = negative_slope
        self.threshold = threshold
        self.supports_masking = True
        self.built = True

    def call(self, inputs):
        return activations.relu(inputs, negative_slope=self.negative_slope,
                                max_value=self.max_value, threshold=self.threshold)

    def compute_output_shape(self, input_shape):
        return input_shape

    def get_config(self):
        return {**super().get_config(), "max_value": self.max_value,
                "negative_slope": self.negative_slope, "threshold": self.threshold}
