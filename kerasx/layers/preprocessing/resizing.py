"""Resizing: resize images to a fixed size, as keras.layers.Resizing."""
from kerasx.layers.preprocessing.base_image_layer import BaseImagePreprocessingLayer


class Resizing(BaseImagePreprocessingLayer):
    """Resize images to (height, width) with `kerasx.ops.image.resize`
    (TensorFlow's resize numerics), in training and inference alike.

    Args:
        height, width: the output size.
        interpolation: "bilinear", "nearest", "bicubic", "area", "lanczos3",
            "lanczos5".
        crop_to_aspect_ratio, pad_to_aspect_ratio: crop (or pad with
            `fill_value`) to the target's aspect ratio first.
        fill_mode, fill_value, antialias, data_format: as `resize`.
    """

    _casts_inputs = False

    def __init__(self, height, width, interpolation="bilinear", crop_to_aspect_ratio=False,
                 pad_to_aspect_ratio=False, fill_mode="constant", fill_value=0.0,
                 antialias=False, data_format=None, **kwargs):
        kwargs.pop("seed", None)
        super().__init__(data_format=data_format, **kwargs)
        self.height, self.width = height, width
        self.interpolation = interpolation
        self.crop_to_aspect_ratio = crop_to_aspect_ratio
        self.pad_to_aspect_ratio = pad_to_aspect_ratio
        self.fill_mode = fill_mode
        self.fill_value = fill_value
        self.antialias = bool(antialias)

    def transform_images(self, ops, images, training):
        return ops.resize(images, (self.height, self.width), self.interpolation,
                          self.antialias, self.crop_to_aspect_ratio, self.pad_to_aspect_ratio,
                          self.fill_mode, self.fill_value, self.data_format)

    def compute_output_shape(self, input_shape):
        shape = list(input_shape)
        h, w = self.spatial_axes()
        shape[h], shape[w] = self.height, self.width
        return tuple(shape)

    def get_config(self):
        config = super().get_config()
        config.pop("seed")
        return {**config, "height": self.height, "width": self.width,
                "interpolation": self.interpolation,
                "crop_to_aspect_ratio": self.crop_to_aspect_ratio,
                "pad_to_aspect_ratio": self.pad_to_aspect_ratio,
                "fill_mode": self.fill_mode, "fill_value": self.fill_value,
                "antialias": self.antialias}
