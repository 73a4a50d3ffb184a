"""Boxes as offsets from anchor boxes (the regression target of a detection
head), as keras.utils.bounding_boxes: encode_box_to_deltas and
decode_deltas_to_boxes."""
from kerasx import backend, ops
from kerasx.utils.bounding_boxes.formats import as_tensor, convert_format

_CENTER_FORMATS = ("center_xywh", "center_yxhw")


def _variance(variance):
    if variance is None:
        return None
    variance = as_tensor(variance, "float32")
    if tuple(ops.shape(variance))[-1:] != (4,):
        raise ValueError(f"`variance` must be length 4, got {variance}")
    return variance


def _size(image_shape):
    if image_shape is None:
        return None, None
    height, width, _ = image_shape
    return height, width


def encode_box_to_deltas(anchors, boxes, anchor_format, box_format,
                         encoding_format="center_yxhw", variance=None, image_shape=None):
    """The deltas that turn `anchors` into `boxes`, as
    keras.utils.bounding_boxes.encode_box_to_deltas: in `encoding_format`,
    the center offsets divided by the anchor's size, then the log of the
    size ratios, all divided by `variance` when given.

    Args:
        anchors: (N, 4) anchor boxes.
        boxes: (N, 4) or (batch, N, 4) boxes.
        anchor_format: the format of `anchors`.
        box_format: the format of `boxes`.
        encoding_format: "center_yxhw" (default) or "center_xywh".
        variance: 4 numbers the deltas are divided by. Defaults to None.
        image_shape: (height, width, channels), needed with relative formats.

    Returns:
        The deltas, shaped like `boxes`.

    Raises:
        ValueError: `variance` not of length 4, or another `encoding_format`.
    """
    variance = _variance(variance)
    if encoding_format not in _CENTER_FORMATS:
        raise ValueError("`encoding_format` should be one of 'center_xywh' or "
                         f"'center_yxhw', got {encoding_format}")
    height, width = _size(image_shape)
    anchors = convert_format(anchors, anchor_format, encoding_format, height=height, width=width)
    boxes = convert_format(boxes, box_format, encoding_format, height=height, width=width)
    anchor_size = ops.maximum(anchors[..., 2:], backend.epsilon())
    box_size = ops.maximum(boxes[..., 2:], backend.epsilon())
    deltas = ops.concatenate([ops.divide(ops.subtract(boxes[..., :2], anchors[..., :2]),
                                         anchor_size),
                              ops.log(ops.divide(box_size, anchor_size))], axis=-1)
    return deltas if variance is None else ops.divide(deltas, variance)


def decode_deltas_to_boxes(anchors, boxes_delta, anchor_format, box_format,
                           encoded_format="center_yxhw", variance=None, image_shape=None):
    """The boxes that `boxes_delta` describe relative to `anchors` (the
    inverse of encode_box_to_deltas), as
    keras.utils.bounding_boxes.decode_deltas_to_boxes.

    Args:
        anchors: (N, 4) anchor boxes, or a dict of them per feature level.
        boxes_delta: (N, 4) or (batch, N, 4) deltas, or a dict of them with
            the keys of `anchors`.
        anchor_format: the format of `anchors`.
        box_format: the format of the returned boxes.
        encoded_format: "center_yxhw" (default) or "center_xywh", the format
            the deltas were computed in.
        variance: 4 numbers the deltas are multiplied by. Defaults to None.
        image_shape: (height, width, channels), needed with relative formats.

    Returns:
        The boxes (a dict of them per level when given dicts).

    Raises:
        ValueError: `variance` not of length 4, or another `encoded_format`.
    """
    variance = _variance(variance)
    if encoded_format not in _CENTER_FORMATS:
        raise ValueError("`encoded_format` should be 'center_xywh' or 'center_yxhw', "
                         f"but got '{encoded_format}'.")
    height, width = _size(image_shape)

    def decode(anchor, delta):
        anchor = convert_format(anchor, anchor_format, encoded_format, height=height,
                                width=width)
        delta = as_tensor(delta)
        if variance is not None:
            delta = ops.multiply(delta, variance)
        size = anchor[..., 2:]
        box = ops.concatenate([ops.add(ops.multiply(delta[..., :2], size), anchor[..., :2]),
                               ops.multiply(ops.exp(delta[..., 2:]), size)], axis=-1)
        return convert_format(box, encoded_format, box_format, height=height, width=width)

    if isinstance(anchors, dict) and isinstance(boxes_delta, dict):
        return {level: decode(anchor, boxes_delta[level]) for level, anchor in anchors.items()}
    return decode(anchors, boxes_delta)
