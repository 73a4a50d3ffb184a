"""Masking: mark the time steps whose features all equal `mask_value`."""
from kerasx.backend import get_ops
from kerasx.layers.layer import Layer, set_keras_mask


class Masking(Layer):
    """Mask steps of a (batch, time, features) input, as keras.layers.Masking.

    A step is masked (skipped by recurrent layers, pooling and losses) when all
    its features equal `mask_value`; masked steps are set to 0 in the output.

    Args:
        mask_value: the padding value (default 0.0).
    """

    def __init__(self, mask_value=0.0, **kwargs):
        super().__init__(**kwargs)
        self.mask_value = mask_value
        self.supports_masking = True
        self.built = True

    def compute_mask(self, inputs, mask=None):
        ops = get_ops()
        return ops.any(ops.not_equal(inputs, self.mask_value), axis=-1)

    def call(self, inputs):
        ops = get_ops()
        keep = ops.any(ops.not_equal(inputs, self.mask_value), axis=-1, keepdims=True)
        outputs = ops.where(ops.broadcast_to(keep, ops.shape(inputs)), inputs,
                            ops.zeros_like(inputs))
        set_keras_mask(outputs, ops.squeeze(keep, axis=-1))
        return outputs

    def compute_output_shape(self, input_shape):
        return tuple(input_shape)

    def get_config(self):
        return {**super().get_config(), "mask_value": self.mask_value}
