"""SpatialDropout2D: drops whole feature maps (channels)."""
from kerasx import config
from kerasx.backend import get_ops
from kerasx.layers.input_spec import InputSpec
from kerasx.layers.regularization.dropout import Dropout
from kerasx.random.host_draws import host_tensor
from kerasx.random.sampling import dropout_mask


class SpatialDropout2D(Dropout):
    """Dropout of entire 2-D feature maps, as keras.layers.SpatialDropout2D.

    During training, each (sample, channel) pair is kept with probability
    1 - rate (kept maps are scaled by 1 / (1 - rate)) and dropped otherwise.
    The mask, of shape (batch, 1, 1, channels) or (batch, channels, 1, 1),
    comes from the portable generator, so every backend drops the same maps.

    Args:
        rate: fraction of feature maps to drop, in [0, 1).
        data_format: "channels_last" (default: the global image_data_format)
            or "channels_first".
        seed: int seed of the layer's own stream.

    Raises:
        ValueError: for a rate outside [0, 1), an unknown data_format, or an
            input that is not 4-D.
    """

    def __init__(self, rate, data_format=None, seed=None, name=None, dtype=None,
                 **kwargs):
        super().__init__(rate, seed=seed, name=name, dtype=dtype, **kwargs)
        self.data_format = config.standardize_data_format(data_format)
        self.input_spec = InputSpec(ndim=4)

    def _mask_shape(self, shape):
        if self.data_format == "channels_first":
            return (shape[0], shape[1], 1, 1)
        return (shape[0], 1, 1, shape[3])

    def call(self, inputs, training=None):
        if not training or self.rate == 0:
            return inputs
        ops = get_ops()
        shape = ops.shape(inputs)
        mask_shape = self._mask_shape(shape)
        mask = host_tensor(lambda: dropout_mask(mask_shape, self.rate, self.seed_generator))
        return ops.dropout(inputs, ops.broadcast_to(mask, shape), self.rate)

    def get_config(self):
        # Keras's spatial dropouts store exactly these keys.
        return {"rate": self.rate, "seed": self.seed, "name": self.name,
                "dtype": self.dtype, "data_format": self.data_format}
