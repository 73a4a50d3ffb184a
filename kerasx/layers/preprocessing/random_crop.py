"""RandomCrop: crop images at a random position, as keras.layers.RandomCrop."""
import numpy as np

from kerasx.layers.preprocessing.base_image_layer import BaseImagePreprocessingLayer


class RandomCrop(BaseImagePreprocessingLayer):
    """Crop a (height, width) box at a random position (one for the whole
    batch, as Keras) in training. An input not larger than the box in both
    directions is instead sliced from the offsets of its centred box of the
    target's aspect ratio and resized to the target (Keras's fallback). In inference the input passes through unchanged (Keras
    3's behaviour).

    Args:
        height, width: the crop size.
        seed, data_format: as BaseImagePreprocessingLayer.
    """

    def __init__(self, height, width, seed=None, data_format=None, **kwargs):
        super().__init__(data_format=data_format, seed=seed, **kwargs)
        self.height, self.width = height, width

    def transform_images(self, ops, images, training):
        if not training:
            return images
        batched, _, height, width = self.image_dims(ops, images)
        h_axis, w_axis = self.spatial_axes()
        rank = len(ops.shape(images))
        if height > self.height and width > self.width:
            size_h, size_w = self.height, self.width

            def rows_and_columns(rng):
                top = int(rng.uniform(0, height - size_h + 1))
                left = int(rng.uniform(0, width - size_w + 1))
                return np.concatenate([top + np.arange(size_h), left + np.arange(size_w)])

            index = ops.cast(self.draw(ops, rows_and_columns, (size_h + size_w,)), "int32")
            rows = ops.slice(index, (0,), (size_h,))
            cols = ops.slice(index, (size_h,), (size_w,))
            out = ops.take(images, rows, axis=rank + h_axis)
            return ops.take(out, cols, axis=rank + w_axis)
        # Keras's fallback: the offsets of the centred box of the target's
        # aspect ratio, then a slice of the target's size from there (clipped
        # by the image), resized to the target when it falls short.
        box_h = max(min(height, int(float(width * self.height) / self.width)), 1)
        box_w = max(min(width, int(float(height * self.width) / self.height)), 1)
        top, left = int(float(height - box_h) / 2), int(float(width - box_w) / 2)
        rows, cols = min(self.height, height - top), min(self.width, width - left)
        out = ops.crop_images(images, top_cropping=top, left_cropping=left,
                              target_height=rows, target_width=cols,
                              data_format=self.data_format)
        if (rows, cols) != (self.height, self.width):
            out = ops.resize(out, (self.height, self.width), "bilinear",
                             data_format=self.data_format)
        return out

    def compute_output_shape(self, input_shape):
        shape = list(input_shape)
        h, w = self.spatial_axes()
        shape[h], shape[w] = self.height, self.width
        return tuple(shape)

    def get_config(self):
        return {**super().get_config(), "height": self.height, "width": self.width}
