"""SpatialDropout1D/2D/3D: drop whole feature maps (channels)."""
from kerasx import config
from kerasx.backend import get_ops
from kerasx.layers.input_spec import InputSpec
from kerasx.layers.regularization.dropout import Dropout
from kerasx.random.host_draws import host_tensor
from kerasx.random.sampling import dropout_mask


class BaseSpatialDropout(Dropout):
    """Dropout of whole feature maps of a rank-`rank` + 2 input: each
    (sample, channel) pair is kept with probability 1 - rate (kept maps
    scaled by 1 / (1 - rate)), the mask broadcast over the spatial axes.
    The mask comes from the portable generator, so every backend drops the
    same maps for the same seed.

    Raises:
        ValueError: for a rate outside [0, 1), an unknown data_format, or an
            input of another rank.
    """

    def __init__(self, rank, rate, data_format=None, seed=None, name=None, dtype=None,
                 **kwargs):
        super().__init__(rate, seed=seed, name=name, dtype=dtype, **kwargs)
        self.rank = rank
        self.data_format = config.standardize_data_format(data_format)
        self.input_spec = InputSpec(ndim=rank + 2)

    def _mask_shape(self, shape):
        ones = (1,) * self.rank
        if self.data_format == "channels_first":
            return (shape[0], shape[1]) + ones
        return (shape[0],) + ones + (shape[-1],)

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


class SpatialDropout1D(BaseSpatialDropout):
    """Dropout of entire 1-D feature maps, as keras.layers.SpatialDropout1D:
    inputs (batch, steps, channels), mask (batch, 1, channels).

    Args:
        rate: fraction of feature maps to drop, in [0, 1).
        seed: int seed of the layer's own stream.

    Raises:
        ValueError: for a rate outside [0, 1), or an input that is not 3-D.
    """

    def __init__(self, rate, seed=None, name=None, dtype=None, **kwargs):
        super().__init__(1, rate, data_format="channels_last", seed=seed, name=name,
                         dtype=dtype, **kwargs)

    def get_config(self):
        config = super().get_config()
        del config["data_format"]  # Keras's SpatialDropout1D has none
        return config


class SpatialDropout2D(BaseSpatialDropout):
    """Dropout of entire 2-D feature maps, as keras.layers.SpatialDropout2D:
    mask (batch, 1, 1, channels) or (batch, channels, 1, 1).

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
        super().__init__(2, rate, data_format=data_format, seed=seed, name=name,
                         dtype=dtype, **kwargs)


class SpatialDropout3D(BaseSpatialDropout):
    """Dropout of entire 3-D feature maps, as keras.layers.SpatialDropout3D:
    mask (batch, 1, 1, 1, channels) or (batch, channels, 1, 1, 1).

    Args:
        rate: fraction of feature maps to drop, in [0, 1).
        data_format: "channels_last" (default: the global image_data_format)
            or "channels_first".
        seed: int seed of the layer's own stream.

    Raises:
        ValueError: for a rate outside [0, 1), an unknown data_format, or an
            input that is not 5-D.
    """

    def __init__(self, rate, data_format=None, seed=None, name=None, dtype=None,
                 **kwargs):
        super().__init__(3, rate, data_format=data_format, seed=seed, name=name,
                         dtype=dtype, **kwargs)
