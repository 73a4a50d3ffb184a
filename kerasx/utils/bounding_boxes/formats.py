"""Bounding-box formats and `convert_format`, as keras.utils.bounding_boxes.

Every conversion goes through "xyxy" (left, top, right, bottom in pixels),
with the arithmetic Keras uses, in kerasx ops, so it runs on every backend
and inside a model.
"""
from kerasx import ops
from kerasx.backend import is_keras_tensor

#: The formats `convert_format` reads and writes (case-insensitive).
SUPPORTED_FORMATS = ("xyxy", "yxyx", "xywh", "center_xywh", "center_yxhw", "rel_xyxy",
                     "rel_yxyx", "rel_xywh", "rel_center_xywh")


def as_tensor(value, dtype=None):
    """`value` (a tensor, NumPy array, list or Python number) as a tensor,
    cast to `dtype` when given (a symbolic KerasTensor stays symbolic)."""
    if ops.is_tensor(value) or is_keras_tensor(value):
        return value if dtype is None else ops.cast(value, dtype)
    return ops.convert_to_tensor(value, dtype)


def corners(boxes):
    """The four coordinates of `boxes` (..., 4) as four (..., 1) tensors."""
    return ops.split(boxes, 4, axis=-1)


def _join(*parts):
    return ops.concatenate(list(parts), axis=-1)


def _half(x):
    return ops.divide(x, 2.0)


# -- to xyxy -------------------------------------------------------------------
def _from_yxyx(boxes, height, width):
    y1, x1, y2, x2 = corners(boxes)
    return _join(x1, y1, x2, y2)


def _from_xywh(boxes, height, width):
    x1, y1, w, h = corners(boxes)
    return _join(x1, y1, ops.add(x1, w), ops.add(y1, h))


def _from_center(cx, cy, w, h):
    half_w, half_h = _half(w), _half(h)
    return _join(ops.subtract(cx, half_w), ops.subtract(cy, half_h),
                 ops.add(cx, half_w), ops.add(cy, half_h))


def _from_center_xywh(boxes, height, width):
    cx, cy, w, h = corners(boxes)
    return _from_center(cx, cy, w, h)


def _from_center_yxhw(boxes, height, width):
    cy, cx, h, w = corners(boxes)
    return _from_center(cx, cy, w, h)


def _scale(x1, y1, x2, y2, height, width):
    return _join(ops.multiply(x1, width), ops.multiply(y1, height),
                 ops.multiply(x2, width), ops.multiply(y2, height))


def _from_rel_xyxy(boxes, height, width):
    return _scale(*corners(boxes), height, width)


def _from_rel_yxyx(boxes, height, width):
    y1, x1, y2, x2 = corners(boxes)
    return _scale(x1, y1, x2, y2, height, width)


def _from_rel_xywh(boxes, height, width):
    x1, y1, w, h = corners(boxes)
    return _scale(x1, y1, ops.add(x1, w), ops.add(y1, h), height, width)


def _from_rel_center_xywh(boxes, height, width):
    cx, cy, w, h = corners(boxes)
    half_w, half_h = _half(w), _half(h)
    return _scale(ops.subtract(cx, half_w), ops.subtract(cy, half_h),
                  ops.add(cx, half_w), ops.add(cy, half_h), height, width)


# -- from xyxy -----------------------------------------------------------------
def _to_yxyx(boxes, height, width):
    x1, y1, x2, y2 = corners(boxes)
    return _join(y1, x1, y2, x2)


def _to_xywh(boxes, height, width):
    x1, y1, x2, y2 = corners(boxes)
    return _join(x1, y1, ops.subtract(x2, x1), ops.subtract(y2, y1))


def _centers(boxes):
    x1, y1, x2, y2 = corners(boxes)
    w, h = ops.subtract(x2, x1), ops.subtract(y2, y1)
    return ops.add(x1, _half(w)), ops.add(y1, _half(h)), w, h


def _to_center_xywh(boxes, height, width):
    return _join(*_centers(boxes))


def _to_center_yxhw(boxes, height, width):
    cx, cy, w, h = _centers(boxes)
    return _join(cy, cx, h, w)


def _to_rel_xyxy(boxes, height, width):
    x1, y1, x2, y2 = corners(boxes)
    return _join(ops.divide(x1, width), ops.divide(y1, height),
                 ops.divide(x2, width), ops.divide(y2, height))


def _to_rel_yxyx(boxes, height, width):
    x1, y1, x2, y2 = corners(boxes)
    return _join(ops.divide(y1, height), ops.divide(x1, width),
                 ops.divide(y2, height), ops.divide(x2, width))


def _to_rel_xywh(boxes, height, width):
    x1, y1, x2, y2 = corners(boxes)
    return _join(ops.divide(x1, width), ops.divide(y1, height),
                 ops.divide(ops.subtract(x2, x1), width),
                 ops.divide(ops.subtract(y2, y1), height))


def _to_rel_center_xywh(boxes, height, width):
    cx, cy, w, h = _centers(boxes)
    return _join(ops.divide(cx, width), ops.divide(cy, height),
                 ops.divide(w, width), ops.divide(h, height))


def _identity(boxes, height, width):
    return boxes


_TO_XYXY = {"xyxy": _identity, "yxyx": _from_yxyx, "xywh": _from_xywh,
            "center_xywh": _from_center_xywh, "center_yxhw": _from_center_yxhw,
            "rel_xyxy": _from_rel_xyxy, "rel_yxyx": _from_rel_yxyx,
            "rel_xywh": _from_rel_xywh, "rel_center_xywh": _from_rel_center_xywh}
_FROM_XYXY = {"xyxy": _identity, "yxyx": _to_yxyx, "xywh": _to_xywh,
              "center_xywh": _to_center_xywh, "center_yxhw": _to_center_yxhw,
              "rel_xyxy": _to_rel_xyxy, "rel_yxyx": _to_rel_yxyx,
              "rel_xywh": _to_rel_xywh, "rel_center_xywh": _to_rel_center_xywh}


def convert_format(boxes, source, target, height=None, width=None, dtype="float32"):
    """Convert bounding boxes from the format `source` to `target`, as
    keras.utils.bounding_boxes.convert_format.

    Formats (case-insensitive): "xyxy" (left, top, right, bottom), "yxyx",
    "xywh" (left, top, width, height), "center_xywh", "center_yxhw", and the
    relative "rel_xyxy", "rel_yxyx", "rel_xywh", "rel_center_xywh", whose
    coordinates are fractions of the image's `height` and `width`.

    Args:
        boxes: a tensor or array (..., 4), or a dict whose "boxes" entry is
            one (a new dict is returned, its "boxes" converted).
        source: the format of `boxes`.
        target: the format to return.
        height: the image height (needed with a relative format).
        width: the image width (needed with a relative format).
        dtype: the dtype of the result. Defaults to "float32".

    Returns:
        The converted boxes (a tensor), or the dict with them.

    Raises:
        ValueError: the last axis is not 4, an unknown format, or a relative
            format without `height` and `width`.
    """
    if isinstance(boxes, dict):
        return {**boxes, "boxes": convert_format(boxes["boxes"], source, target, height=height,
                                                 width=width, dtype=dtype)}
    boxes = as_tensor(boxes)
    shape = tuple(ops.shape(boxes))
    if shape[-1] != 4:
        raise ValueError("`boxes` must be a tensor with the last dimension of 4. "
                         f"Received: boxes.shape={shape}")
    source, target = source.lower(), target.lower()
    if source not in SUPPORTED_FORMATS or target not in SUPPORTED_FORMATS:
        raise ValueError(f"Invalid source or target format (source={source!r}, "
                         f"target={target!r}). Supported formats: {SUPPORTED_FORMATS}")
    if (source.startswith("rel_") or target.startswith("rel_")) and (
            height is None or width is None):
        raise ValueError("convert_format() must receive `height` and `width` to convert "
                         f"between relative and absolute formats. Received source={source!r}, "
                         f"target={target!r}, height={height} and width={width}.")
    boxes = ops.cast(boxes, dtype)
    if source == target:
        return boxes
    height = None if height is None else as_tensor(height, dtype)
    width = None if width is None else as_tensor(width, dtype)
    if source.startswith("rel_") and target.startswith("rel_"):
        # Relative to relative: the image size cancels, so convert as absolute.
        source, target = source[4:], target[4:]
    return _FROM_XYXY[target](_TO_XYXY[source](boxes, height, width), height, width)
