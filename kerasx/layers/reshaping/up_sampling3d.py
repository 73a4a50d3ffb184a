"""UpSampling3D: repeat entries of volumes."""
from kerasx.layers.convolutional.base_conv import standardize_tuple
from kerasx.layers.reshaping.base_up_sampling import BaseUpSampling


class UpSampling3D(BaseUpSampling):
    """Repeat each entry size[i] times along spatial axis i (nearest), as
    keras.layers.UpSampling3D.

    Args:
        size: int or tuple of 3 positive ints (default (2, 2, 2)).
        data_format: "channels_last" or "channels_first".

    Raises:
        ValueError: for a bad `size`.
    """

    def __init__(self, size=(2, 2, 2), data_format=None, **kwargs):
        size = standardize_tuple(size, 3, "size")
        super().__init__(3, size, data_format=data_format, **kwargs)
        self.size = size

    def get_config(self):
        return {**super().get_config(), "size": self.size,
                "data_format": self.data_format}
