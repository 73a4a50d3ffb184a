"""ActivityRegularization: an activity penalty on its input."""
from kerasx import regularizers
from kerasx.layers.layer import Layer


class ActivityRegularization(Layer):
    """Returns its input unchanged and adds `l1 * sum(|x|) + l2 * sum(x ** 2)`
    to the layer's losses, as keras.layers.ActivityRegularization.

    Args:
        l1, l2: non-negative penalty factors (default 0).
    """

    def __init__(self, l1=0.0, l2=0.0, **kwargs):
        kwargs.pop("activity_regularizer", None)  # Keras's config may carry it
        super().__init__(activity_regularizer=regularizers.L1L2(l1=l1, l2=l2), **kwargs)
        self.supports_masking = True
        self.l1 = l1
        self.l2 = l2
        self.built = True

    def call(self, inputs):
        return inputs

    def compute_output_shape(self, input_shape):
        return input_shape

    def get_config(self):
        config = super().get_config()
        config.pop("activity_regularizer", None)
        return {**config, "l1": self.l1, "l2": self.l2}
