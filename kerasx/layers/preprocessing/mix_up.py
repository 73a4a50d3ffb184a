"""MixUp: blend pairs of images and their labels, as keras.layers.MixUp."""
from kerasx.layers.preprocessing.base_image_layer import BaseImagePreprocessingLayer


class MixUp(BaseImagePreprocessingLayer):
    """In training, replace each image (and its label, when given a dict of
    "images" and "labels") by w x + (1 - w) x[p], with p a random
    permutation of the batch and w drawn per image from Beta(alpha, alpha);
    identity in inference.

    Args:
        alpha: the Beta distribution's parameter.
        data_format, seed: as BaseImagePreprocessingLayer.
    """

    def __init__(self, alpha=0.2, data_format=None, seed=None, **kwargs):
        super().__init__(data_format=data_format, seed=seed, **kwargs)
        self.alpha = alpha

    def _mix(self, ops, batch):
        def draws(rng):
            order = rng.permutation(batch)
            return [order, rng.beta(self.alpha, self.alpha, batch)]

        drawn = self.draw(ops, draws, (2, batch))
        order = ops.cast(ops.reshape(ops.slice(drawn, (0, 0), (1, batch)), (batch,)), "int32")
        return order, ops.reshape(ops.slice(drawn, (1, 0), (1, batch)), (batch,))

    @staticmethod
    def _blend(ops, x, order, weight):
        w = ops.cast(ops.reshape(weight, (-1,) + (1,) * (len(ops.shape(x)) - 1)), ops.dtype(x))
        return ops.add(ops.multiply(w, x), ops.multiply(ops.subtract(1.0, w),
                                                        ops.take(x, order, axis=0)))

    def transform_images(self, ops, images, training):
        return self.transform_data(ops, {"images": images}, training)["images"]

    def transform_data(self, ops, data, training):
        data["images"] = self._cast(ops, data["images"])
        if not training:
            return data
        batched, batch, _, _ = self.image_dims(ops, data["images"])
        order, weight = self._mix(ops, batch)
        images = data["images"] if batched else ops.expand_dims(data["images"], 0)
        images = self._blend(ops, images, order, weight)
        data["images"] = images if batched else ops.squeeze(images, 0)
        if "labels" in data:
            labels = data["labels"]
            labels = labels if batched else ops.expand_dims(labels, 0)
            labels = self._blend(ops, ops.cast(labels, self.compute_dtype), order, weight)
            data["labels"] = labels if batched else ops.squeeze(labels, 0)
        return data

    def pipeline_spec(self, key, shape, dtype):
        if key == "labels":  # mixed labels are floats
            return shape, self.compute_dtype
        return super().pipeline_spec(key, shape, dtype)

    def get_config(self):
        return {**super().get_config(), "alpha": self.alpha}
