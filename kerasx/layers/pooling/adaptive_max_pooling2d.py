"""AdaptiveMaxPooling2D: 2-D max pooling to a fixed output size."""
from kerasx.layers.pooling.base_adaptive_pooling import BaseAdaptivePooling


class AdaptiveMaxPooling2D(BaseAdaptivePooling):
    """Adaptive 2-D max pooling, as keras.layers.AdaptiveMaxPooling2D:
    the maximum of each of output_size bins per spatial axis, whatever the
    input's size.

    Inputs (batch, height, width, channels) ("channels_last") or channels first.

    Args:
        output_size: int or (height, width) tuple of the output.
        data_format: "channels_last" or "channels_first".

    Raises:
        TypeError, ValueError: for a bad output_size (see BaseAdaptivePooling).
    """

    def __init__(self, output_size, data_format=None, **kwargs):
        super().__init__(2, output_size, "max", data_format=data_format, **kwargs)
