"""MaxNumBoundingBoxes: pad or truncate bounding boxes to a fixed count, as keras.layers.MaxNumBoundingBoxes."""
from kerasx.layers.preprocessing.base_image_layer import BaseImagePreprocessingLayer


class MaxNumBoundingBoxes(BaseImagePreprocessingLayer):
    """Make the "bounding_boxes" of a data dict ({"boxes": (B, N, 4),
    "labels": (B, N)}) hold exactly `max_number` boxes: the first ones kept,
    missing ones filled with `fill_value`. Images and labels pass through.

    Args:
        max_number: the number of boxes.
        fill_value: the value of the padding boxes and labels.
        bounding_box_format: the boxes' format (required with boxes, as
            Keras; the boxes are not converted).

    Raises:
        ValueError: boxes given without a bounding_box_format.
    """

    _casts_inputs = False

    def __init__(self, max_number, fill_value=-1, bounding_box_format=None, **kwargs):
        kwargs.pop("seed", None)
        super().__init__(**kwargs)
        self.max_number = int(max_number)
        self.fill_value = int(fill_value)
        self.bounding_box_format = bounding_box_format

    def transform_images(self, ops, images, training):
        return images

    def transform_data(self, ops, data, training):
        if "bounding_boxes" not in data:
            return data
        if not self.bounding_box_format:
            raise ValueError("You passed an input with a 'bounding_boxes' key, but you didn't "
                             "specify a bounding box format. Pass a `bounding_box_format` "
                             f"argument to your {type(self).__name__} layer, e.g. "
                             "`bounding_box_format='xyxy'`.")
        boxes = dict(data["bounding_boxes"])
        extra = sorted(set(boxes) - {"boxes", "labels"})
        if extra:
            raise KeyError(f"There are unsupported keys in `bounding_boxes`: {extra}. Only "
                           "`boxes` and `labels` are supported.")
        for key in ("boxes", "labels"):
            value = ops.convert_to_tensor(boxes[key]) if not ops.is_tensor(boxes[key]) \
                else boxes[key]
            shape = tuple(ops.shape(value))
            kept = min(shape[1], self.max_number)
            value = ops.slice(value, (0,) * len(shape), (shape[0], kept) + shape[2:])
            missing = self.max_number - kept
            if missing:
                pads = [(0, 0), (0, missing)] + [(0, 0)] * (len(shape) - 2)
                value = ops.pad(value, pads, constant_values=self.fill_value)
            boxes[key] = value
        data["bounding_boxes"] = boxes
        return data

    def pipeline_spec(self, key, shape, dtype):
        if key in (("bounding_boxes", "boxes"), ("bounding_boxes", "labels")):
            return (shape[0], self.max_number) + tuple(shape[2:]), dtype
        return super().pipeline_spec(key, shape, dtype)

    def compute_output_shape(self, input_shape):
        if isinstance(input_shape, dict) and "bounding_boxes" in input_shape:
            shapes = dict(input_shape["bounding_boxes"])
            for key in ("boxes", "labels"):
                shape = list(shapes[key])
                shape[1] = self.max_number
                shapes[key] = tuple(shape)
            input_shape = {**input_shape, "bounding_boxes": shapes}
        return input_shape

    def get_config(self):
        config = super().get_config()
        config.pop("seed")
        return {**config, "max_number": self.max_number, "fill_value": self.fill_value,
                "bounding_box_format": self.bounding_box_format}
