"""CutMix: paste a box of another image of the batch, as keras.layers.CutMix."""
import numpy as np

from kerasx.layers.preprocessing.base_image_layer import (BaseImagePreprocessingLayer,
                                                          parse_factor)


class CutMix(BaseImagePreprocessingLayer):
    """In training, paste into each image of a batch a box of the image at
    a random permutation of the batch; labels (given a dict of "images" and
    "labels") are mixed by the area kept. The box's sides are
    sqrt(1 - w) of the image's, w drawn per image from Beta(a, a) with a
    drawn from the factor's range (Keras's rule). Single images and
    inference pass through.

    Args:
        factor: a (range [0, a]) or a pair, within [0, 1].
        seed, data_format: as BaseImagePreprocessingLayer.

    Raises:
        ValueError: a factor outside [0, 1].
    """

    def __init__(self, factor=1.0, seed=None, data_format=None, **kwargs):
        super().__init__(data_format=data_format, seed=seed, **kwargs)
        self.factor = parse_factor(factor, (0, 1))

    def transform_images(self, ops, images, training):
        return self.transform_data(ops, {"images": images}, training)["images"]

    def transform_data(self, ops, data, training):
        images = data["images"] = self._cast(ops, data["images"])
        if not training or len(ops.shape(images)) == 3:
            return data
        _, batch, height, width = self.image_dims(ops, images)
        last = self.data_format == "channels_last"

        def draws(rng):
            alpha = rng.uniform(*self.factor) + 1e-6
            ratio = np.sqrt(1.0 - rng.beta(alpha, alpha, batch))
            bounds = []
            for length in (width, height):
                size = ratio * length
                start = rng.uniform(0, 1, batch) * (length - size)
                bounds.append((start, start + size))
            (x0, x1), (y0, y1) = bounds
            order = rng.permutation(batch)
            ys, xs = np.arange(height)[None, :, None], np.arange(width)[None, None, :]
            mask = ((xs >= x0[:, None, None]) & (xs < x1[:, None, None]) &
                    (ys >= y0[:, None, None]) & (ys < y1[:, None, None]))
            kept = 1.0 - (x1 - x0) * (y1 - y0) / (width * height)
            return np.concatenate([order, kept, mask.reshape(-1)])

        size = batch * height * width
        drawn = self.draw(ops, draws, (2 * batch + size,))
        order = ops.cast(ops.slice(drawn, (0,), (batch,)), "int32")
        kept = ops.slice(drawn, (batch,), (batch,))
        mask = ops.reshape(ops.slice(drawn, (2 * batch,), (size,)), (batch, height, width))
        mask = ops.greater(ops.expand_dims(mask, -1 if last else 1), 0.5)
        data["images"] = ops.where(mask, ops.take(images, order, axis=0), images)
        if "labels" in data:
            labels = ops.cast(data["labels"], self.compute_dtype)
            w = ops.reshape(kept, (-1,) + (1,) * (len(ops.shape(labels)) - 1))
            data["labels"] = ops.add(ops.multiply(w, labels), ops.multiply(
                ops.subtract(1.0, w), ops.take(labels, order, axis=0)))
        return data

    def pipeline_spec(self, key, shape, dtype):
        if key == "labels":  # mixed labels are floats
            return shape, self.compute_dtype
        return super().pipeline_spec(key, shape, dtype)

    def get_config(self):
        return {**super().get_config(), "factor": self.factor}
