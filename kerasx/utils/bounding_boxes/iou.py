"""Overlap of bounding boxes, as keras.utils.bounding_boxes: compute_iou
(pairwise intersection over union) and compute_ciou (Complete IoU)."""
import math

from kerasx import backend, ops
from kerasx.utils.bounding_boxes.formats import as_tensor, convert_format, corners


def _image_size(image_shape):
    if image_shape is None:
        return None, None
    height, width, _ = image_shape
    return height, width


def _yxyx_area(boxes):
    y1, x1, y2, x2 = corners(boxes)
    return ops.squeeze(ops.multiply(ops.subtract(y2, y1), ops.subtract(x2, x1)), axis=-1)


def _pairwise_intersection(boxes1, boxes2):
    """(N, M) or (batch, N, M) intersection areas of yxyx boxes."""
    y1a, x1a, y2a, x2a = corners(boxes1)
    y1b, x1b, y2b, x2b = corners(boxes2)
    perm = (1, 0) if len(ops.shape(boxes2)) == 2 else (0, 2, 1)
    height = ops.subtract(ops.minimum(y2a, ops.transpose(y2b, perm)),
                          ops.maximum(y1a, ops.transpose(y1b, perm)))
    width = ops.subtract(ops.minimum(x2a, ops.transpose(x2b, perm)),
                         ops.maximum(x1a, ops.transpose(x1b, perm)))
    return ops.multiply(ops.maximum(height, 0.0), ops.maximum(width, 0.0))


def compute_iou(boxes1, boxes2, bounding_box_format, use_masking=False, mask_val=-1,
                image_shape=None):
    """The pairwise intersection over union of two sets of boxes, as
    keras.utils.bounding_boxes.compute_iou.

    `boxes1` (M, 4) or (batch, M, 4) and `boxes2` (N, 4) or (batch, N, 4)
    give (M, N), or (batch, M, N) when either is batched.

    Args:
        boxes1: the first boxes.
        boxes2: the second boxes.
        bounding_box_format: their format (see convert_format).
        use_masking: whether pairs with a box whose coordinates are all
            negative (padding) get `mask_val`. Defaults to False.
        mask_val: the value of masked pairs. Defaults to -1.
        image_shape: (height, width, channels), needed with relative formats.

    Returns:
        The IoU table.

    Raises:
        ValueError: boxes of rank other than 2 or 3, or a relative format
            without `image_shape`.
    """
    boxes1, boxes2 = as_tensor(boxes1), as_tensor(boxes2)
    rank1, rank2 = len(ops.shape(boxes1)), len(ops.shape(boxes2))
    for name, rank in (("boxes1", rank1), ("boxes2", rank2)):
        if rank not in (2, 3):
            raise ValueError(
                f"compute_iou() expects {name} to be batched, or to be unbatched. Received "
                f"len(boxes1.shape)={rank1}, len(boxes2.shape)={rank2}. Expected either "
                f"len({name}.shape)=2 or len({name}.shape)=3.")
    if "rel" in bounding_box_format and image_shape is None:
        raise ValueError("When using relative bounding box formats (e.g. `rel_yxyx`) the "
                         f"`image_shape` argument must be provided. Received `image_shape`: "
                         f"{image_shape}")
    height, width = _image_size(image_shape)
    boxes1 = convert_format(boxes1, bounding_box_format, "yxyx", height=height, width=width)
    boxes2 = convert_format(boxes2, bounding_box_format, "yxyx", height=height, width=width)
    intersection = _pairwise_intersection(boxes1, boxes2)
    area1 = ops.expand_dims(_yxyx_area(boxes1), axis=-1)
    area2 = _yxyx_area(boxes2)
    area2 = ops.expand_dims(area2, axis=1 if len(ops.shape(area2)) == 2 else 0)
    union = ops.subtract(ops.add(area1, area2), intersection)
    iou = ops.divide(intersection, ops.add(union, backend.epsilon()))
    if not use_masking:
        return iou
    # (As Keras, the transposition follows the rank of boxes1.)
    perm = (1, 0) if rank1 == 2 else (0, 2, 1)
    padding1 = ops.less(ops.max(boxes1, axis=-1, keepdims=True), 0.0)
    padding2 = ops.less(ops.max(boxes2, axis=-1, keepdims=True), 0.0)
    masked = ops.logical_or(padding1, ops.transpose(padding2, perm))
    fill = ops.multiply(as_tensor(mask_val, ops.dtype(iou)), ops.ones_like(iou))
    return ops.where(masked, fill, iou)


def compute_ciou(boxes1, boxes2, bounding_box_format, image_shape=None):
    """The Complete IoU of boxes paired element-wise, as
    keras.utils.bounding_boxes.compute_ciou: the IoU less the squared
    distance of the centers over the squared diagonal of the enclosing box,
    less an aspect-ratio term.

    Args:
        boxes1: (..., 4) boxes.
        boxes2: (..., 4) boxes, broadcastable with `boxes1`.
        bounding_box_format: their format (not a relative one, as Keras).
        image_shape: (height, width, channels); unused by absolute formats.

    Returns:
        The CIoU, shaped like the boxes without their last axis.

    Raises:
        ValueError: a relative format.
    """
    if "rel" in bounding_box_format:
        raise ValueError("compute_ciou() does not take relative bounding box formats (e.g. "
                         f"`rel_yxyx`), as Keras. Received bounding_box_format="
                         f"{bounding_box_format!r}, image_shape={image_shape}; convert the "
                         "boxes to an absolute format first.")
    eps = backend.epsilon()
    height, width = _image_size(image_shape)
    boxes1 = convert_format(boxes1, bounding_box_format, "xyxy", height=height, width=width)
    boxes2 = convert_format(boxes2, bounding_box_format, "xyxy", height=height, width=width)
    x1a, y1a, x2a, y2a = corners(boxes1)
    x1b, y1b, x2b, y2b = corners(boxes2)
    w1, h1 = ops.subtract(x2a, x1a), ops.add(ops.subtract(y2a, y1a), eps)
    w2, h2 = ops.subtract(x2b, x1b), ops.add(ops.subtract(y2b, y1b), eps)
    inter = ops.multiply(
        ops.maximum(ops.subtract(ops.minimum(x2a, x2b), ops.maximum(x1a, x1b)), 0),
        ops.maximum(ops.subtract(ops.minimum(y2a, y2b), ops.maximum(y1a, y1b)), 0))
    union = ops.add(ops.subtract(ops.add(ops.multiply(w1, h1), ops.multiply(w2, h2)), inter),
                    eps)
    iou = ops.squeeze(ops.divide(inter, ops.add(union, eps)), axis=-1)
    hull_w = ops.subtract(ops.maximum(x2a, x2b), ops.minimum(x1a, x1b))
    hull_h = ops.subtract(ops.maximum(y2a, y2b), ops.minimum(y1a, y1b))
    diagonal = ops.squeeze(ops.add(ops.add(ops.square(hull_w), ops.square(hull_h)), eps),
                           axis=-1)
    center_dx = ops.subtract(ops.divide(ops.add(x1a, x2a), 2), ops.divide(ops.add(x1b, x2b), 2))
    center_dy = ops.subtract(ops.divide(ops.add(y1a, y2a), 2), ops.divide(ops.add(y1b, y2b), 2))
    distance = ops.squeeze(ops.add(ops.square(center_dx), ops.square(center_dy)), axis=-1)
    aspect = ops.subtract(ops.arctan(ops.divide(w2, h2)), ops.arctan(ops.divide(w1, h1)))
    v = ops.squeeze(ops.multiply(4 / math.pi ** 2, ops.square(aspect)), axis=-1)
    alpha = ops.divide(v, ops.add(ops.subtract(v, iou), 1 + eps))
    return ops.subtract(iou, ops.add(ops.divide(distance, diagonal), ops.multiply(v, alpha)))
