"""draw_bounding_boxes: box outlines (and class labels) drawn on a batch of
images, as keras.visualization.draw_bounding_boxes, in NumPy (no OpenCV)."""
import numpy as np

from kerasx import backend
from kerasx.utils.bounding_boxes import convert_format
from kerasx.visualization.arrays import as_uint8, shape_of, to_numpy
from kerasx.visualization.raster import rectangle_mask, text_mask


def _pixel(color, channels):
    """`color` as the uint8 value of each channel (missing channels 0, values
    rounded and saturated, as OpenCV writes a color)."""
    values = [float(c) for c in color][:channels]
    values += [0.0] * (channels - len(values))
    return np.clip(np.round(values), 0, 255).astype("uint8")


def _text_location(x, y, font_scale, thickness):
    # Above the box when there is room for two lines of text, else inside it.
    font_height = int(font_scale * 12)
    if y - 8 - 2 * font_height > 0:
        return x, y - 8
    return x + 3, y + 2 * font_height + thickness + 3


def draw_bounding_boxes(images, bounding_boxes, bounding_box_format, class_mapping=None,
                        color=(128, 128, 128), line_thickness=2, text_thickness=1,
                        font_scale=1.0, data_format=None):
    """Draw bounding boxes (and their class labels) on a batch of images, as
    keras.visualization.draw_bounding_boxes.

    The outlines are OpenCV's `cv2.rectangle` pixels, drawn with NumPy.
    Labels are written with matplotlib's default font at about the size of
    OpenCV's FONT_HERSHEY_SIMPLEX (OpenCV's Hershey glyphs are not
    reproduced), so labelled pixels differ from Keras's; boxes do not.

    Args:
        images: a batch of images, a 4D tensor or array. Float images whose
            maximum is at most 1 are scaled by 255; others are clipped to
            [0, 255]; the result is uint8.
        bounding_boxes: a dict with "boxes" (batch, num_boxes, 4) in
            `bounding_box_format`, "labels" (batch, num_boxes) (a box with
            label -1 is not drawn) and optionally "confidences"
            (batch, num_boxes), written after the label.
        bounding_box_format: the format of the boxes (see
            kerasx.utils.bounding_boxes.convert_format).
        class_mapping: a dict from class id to the label to write. Defaults to
            None (no labels).
        color: the RGB color of boxes and labels. Defaults to (128, 128, 128).
        line_thickness: the outline thickness in pixels (negative: filled).
            Defaults to 2.
        text_thickness: the label thickness. Defaults to 1 (0 or None:
            `line_thickness`).
        font_scale: the label size. Defaults to 1.0.
        data_format: "channels_last" or "channels_first". Defaults to
            kerasx.config.image_data_format().

    Returns:
        A uint8 NumPy array of the images with the boxes drawn, shaped as
        `images` (channels_first images are drawn in that layout too, where
        Keras's OpenCV call fails).

    Raises:
        ValueError: `images` not 4D, or `bounding_boxes` without "boxes" and
            "labels".
        TypeError: `bounding_boxes` not a dict.
    """
    class_mapping = class_mapping or {}
    text_thickness = text_thickness or line_thickness
    data_format = data_format or backend.image_data_format()
    shape = shape_of(images)
    if len(shape) != 4:
        raise ValueError(f"`images` must be batched 4D tensor. Received: images.shape={shape}")
    if not isinstance(bounding_boxes, dict):
        raise TypeError(f"`bounding_boxes` should be a dict. Received: bounding_boxes="
                        f"{bounding_boxes} of type {type(bounding_boxes)}")
    if "boxes" not in bounding_boxes or "labels" not in bounding_boxes:
        raise ValueError("`bounding_boxes` should be a dict containing 'boxes' and 'labels' "
                         f"keys. Received: bounding_boxes={bounding_boxes}")
    channels_first = data_format == "channels_first"
    height, width = shape[2:4] if channels_first else shape[1:3]
    bounding_boxes = convert_format(bounding_boxes, bounding_box_format, "xyxy", height, width)
    images = as_uint8(to_numpy(images))
    if channels_first:
        images = np.ascontiguousarray(np.transpose(images, (0, 2, 3, 1)))
    boxes = to_numpy(bounding_boxes["boxes"])
    labels = to_numpy(bounding_boxes["labels"])
    confidences = (to_numpy(bounding_boxes["confidences"])
                   if "confidences" in bounding_boxes else None)
    pixel = _pixel(color, images.shape[-1])
    for i, image in enumerate(images):
        for j, box in enumerate(boxes[i]):
            label = int(np.asarray(labels[i][j]).astype("int32"))
            if label == -1:
                continue
            # Truncated toward zero, as Keras's astype("int32").
            x1, y1, x2, y2 = (int(v) for v in box.astype("int32"))
            image[rectangle_mask(height, width, x1, y1, x2, y2, line_thickness)] = pixel
            if label in class_mapping:
                text = class_mapping[label]
                if confidences is not None:
                    text = f"{text} | {confidences[i][j]:.2f}"
                tx, ty = _text_location(x1, y1, font_scale, text_thickness)
                image[text_mask(height, width, str(text), tx, ty, font_scale,
                                text_thickness)] = pixel
    if channels_first:
        images = np.transpose(images, (0, 3, 1, 2))
    return images
