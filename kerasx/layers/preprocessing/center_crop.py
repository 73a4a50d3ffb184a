"""CenterCrop: crop the centre of images, as keras.layers.CenterCrop."""
from kerasx.layers.preprocessing.base_image_layer import BaseImagePreprocessingLayer


class CenterCrop(BaseImagePreprocessingLayer):
    """Crop the central (height, width) box; an image smaller than the box
    is resized instead (cropped to the box's aspect ratio first, Keras's
    smart_resize), in training and inference alike.

    Args:
        height, width: the output size.
        data_format: "channels_last" or "channels_first".
    """

    def __init__(self, height, width, data_format=None, **kwargs):
        kwargs.pop("seed", None)
        super().__init__(data_format=data_format, **kwargs)
        self.height, self.width = height, width

    def transform_images(self, ops, images, training):
        batched, _, height, width = self.image_dims(ops, images)
        if height >= self.height and width >= self.width:
            top, left = (height - self.height) // 2, (width - self.width) // 2
            return ops.crop_images(images, top_cropping=top, left_cropping=left,
                                   target_height=self.height, target_width=self.width,
                                   data_format=self.data_format)
        return ops.resize(images, (self.height, self.width), "bilinear",
                          crop_to_aspect_ratio=True, data_format=self.data_format)

    def compute_output_shape(self, input_shape):
        shape = list(input_shape)
        h, w = self.spatial_axes()
        shape[h], shape[w] = self.height, self.width
        return tuple(shape)

    def get_config(self):
        config = super().get_config()
        config.pop("seed")
        return {**config, "height": self.height, "width": self.width}
