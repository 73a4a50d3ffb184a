"""BasePooling: windowed max / average pooling (1-D, 2-D and 3-D)."""
from kerasx import config
from kerasx.backend import get_ops
from kerasx.layers.convolutional.base_conv import (conv_output_shape, standardize_padding,
                                                    standardize_tuple)
from kerasx.layers.input_spec import InputSpec
from kerasx.layers.layer import Layer


class BasePooling(Layer):
    """Pooling over a window, as Keras's BasePooling.

    Args:
        pool_size: int or tuple of `pool_dimensions` ints.
        strides: int, tuple, or None (= pool_size).
        pool_dimensions: 1, 2 or 3.
        pool_mode: "max" or "average".
        padding: "valid" or "same" (TensorFlow's; "same" average pooling
            does not count the padding).
        data_format: "channels_last" or "channels_first".

    Raises:
        ValueError: for bad tuples, an unknown padding or pool_mode, or an
            input whose pooled size would be empty.
    """

    def __init__(self, pool_size, strides, pool_dimensions, pool_mode="max",
                 padding="valid", data_format=None, **kwargs):
        super().__init__(**kwargs)
        if pool_mode not in ("max", "average"):
            raise ValueError("`pool_mode` must be 'max' or 'average'. "
                             f"Received: pool_mode={pool_mode!r}.")
        self.pool_dimensions = pool_dimensions
        self.pool_size = standardize_tuple(pool_size, pool_dimensions, "pool_size")
        self.strides = standardize_tuple(pool_size if strides is None else strides,
                                         pool_dimensions, "strides")
        self.pool_mode = pool_mode
        self.padding = standardize_padding(padding)
        self.data_format = config.standardize_data_format(data_format)
        self.input_spec = InputSpec(ndim=pool_dimensions + 2)
        self.built = True

    def call(self, inputs):
        ops = get_ops()
        pool = ops.max_pool if self.pool_mode == "max" else ops.average_pool
        return pool(inputs, self.pool_size, self.strides, self.padding, self.data_format)

    def compute_output_shape(self, input_shape):
        return conv_output_shape(self.name, input_shape, None, self.pool_size,
                                 self.strides, self.padding, self.data_format,
                                 (1,) * self.pool_dimensions)

    def get_config(self):
        return {
            **super().get_config(),
            "pool_size": self.pool_size,
            "padding": self.padding,
            "strides": self.strides,
            "data_format": self.data_format,
        }
