"""Identity: a layer that returns its input."""
from kerasx.layers.layer import Layer


class Identity(Layer):
    """Returns its inputs unchanged (masks pass through), as
    keras.layers.Identity: a placeholder where no operation is wanted."""

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self.supports_masking = True
        self.built = True

    def call(self, inputs):
        return inputs

    def compute_output_shape(self, input_shape):
        return input_shape
