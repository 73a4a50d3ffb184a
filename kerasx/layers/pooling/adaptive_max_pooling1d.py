"""AdaptiveMaxPooling1D: 1-D max pooling to a fixed output size."""
from kerasx.layers.pooling.base_adaptive_pooling import BaseAdaptivePooling


class AdaptiveMaxPooling1D(BaseAdaptivePooling):
    """Adaptive 1-D max pooling, as keras.layers.AdaptiveMaxPooling1D:
    the maximum of each of output_size bins per spatial axis, whatever the
    input's size.

    Inputs (batch, length, channels) ("channels_last") or channels first.

    Args:
        output_size: int or tuple of 1 int, the output length.
        data_format: "channels_last" or "channels_first".

    Raises:
        TypeError, ValueError: for a bad output_size (see BaseAdaptivePooling).
    """

    def __init__(self, output_size, data_format=None, **kwargs):
        super().__init__(1, output_size, "max", data_format=data_format, **kwargs)
