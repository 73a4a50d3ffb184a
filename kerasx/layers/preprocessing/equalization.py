"""Equalization: histogram equalization per channel, as keras.layers.Equalization."""
import numpy as np

from kerasx.layers.preprocessing.base_image_layer import (BaseImagePreprocessingLayer,
                                                          check_value_range,
                                                          transform_value_range)

#: Pixels counted per one-hot block (bounds the memory of the histogram).
_CHUNK = 1 << 16


class Equalization(BaseImagePreprocessingLayer):
    """In training, equalize the histogram of each channel, pooled over the
    batch (Keras's rule): values mapped to [0, 255], binned into `bins`,
    remapped through the rounded normalised cumulative histogram, mapped
    back; a channel with a single occupied bin is left as it is. Identity in
    inference, as Keras.

    Args:
        value_range: the images' (min, max).
        bins: the number of histogram bins.
        data_format: as BaseImagePreprocessingLayer.

    Raises:
        ValueError: a bad value_range.
    """

    def __init__(self, value_range=(0, 255), bins=256, data_format=None, **kwargs):
        kwargs.pop("seed", None)
        super().__init__(data_format=data_format, **kwargs)
        self.bins = int(bins)
        self.value_range = check_value_range(value_range)

    def _equalize(self, ops, channel):
        bins = self.bins
        x = transform_value_range(ops, channel, self.value_range, (0, 255))
        index = ops.clip(ops.cast(ops.divide(ops.multiply(x, float(bins - 1)), 255.0),
                                  "int32"), 0, bins - 1)
        flat = ops.reshape(index, (-1,))
        count = ops.shape(flat)[0]
        hist = None
        for start in range(0, count, _CHUNK):
            part = ops.slice(flat, (start,), (min(_CHUNK, count - start),))
            block = ops.sum(ops.one_hot(part, bins, "float32"), axis=0)
            hist = block if hist is None else ops.add(hist, block)
        hist = ops.cast(hist, "float64")
        cdf = ops.matmul(ops.reshape(hist, (1, bins)),
                         ops.convert_to_tensor(np.triu(np.ones((bins, bins))), "float64"))
        cdf = ops.reshape(cdf, (bins,))
        cdf_min = ops.min(ops.where(ops.greater(cdf, 0.0), cdf,
                                    ops.full((bins,), float(count) + 1, "float64")))
        total = ops.slice(cdf, (bins - 1,), (1,))
        denominator = ops.subtract(total, cdf_min)
        denominator = ops.where(ops.equal(denominator, 0.0), ops.ones_like(denominator),
                                denominator)
        table = ops.clip(ops.round(ops.divide(ops.multiply(ops.subtract(cdf, cdf_min), 255.0),
                                              denominator)), 0.0, 255.0)
        table = ops.cast(table, ops.dtype(channel))
        lookup = ops.cast(ops.clip(ops.multiply(ops.divide(x, 255.0), float(bins - 1)),
                                   0.0, float(bins - 1)), "int32")
        equalized = ops.take(table, lookup)
        occupied = ops.sum(ops.cast(ops.greater(hist, 0.0), "float32"))
        equalized = ops.where(ops.less_equal(occupied, 1.0), x, equalized)
        return transform_value_range(ops, equalized, (0, 255), self.value_range)

    def transform_images(self, ops, images, training):
        if not training:
            return images
        axis = -1 if self.data_format == "channels_last" else -3
        channels = ops.split(images, ops.shape(images)[axis], axis=axis)
        return ops.concatenate([self._equalize(ops, c) for c in channels], axis=axis)

    def get_config(self):
        config = super().get_config()
        config.pop("seed")
        return {**config, "value_range": self.value_range, "bins": self.bins}
