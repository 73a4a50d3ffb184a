"""Geometric edits of "xyxy" bounding boxes, as keras.utils.bounding_boxes:
clip_to_image_size, affine_transform, crop, pad."""
import math

from kerasx import ops
from kerasx.utils.bounding_boxes.formats import as_tensor, corners


def _xyxy_only(name, bounding_box_format):
    if bounding_box_format != "xyxy":
        raise NotImplementedError(
            f"{name}() supports bounding_box_format='xyxy' only (as Keras). Received: "
            f"bounding_box_format={bounding_box_format!r}; convert the boxes first with "
            "kerasx.utils.bounding_boxes.convert_format.")


def _area(boxes):
    x1, y1, x2, y2 = corners(boxes)
    return ops.multiply(ops.subtract(x2, x1), ops.subtract(y2, y1))


def _clip_corners(boxes, height, width):
    x1, y1, x2, y2 = corners(boxes)
    return ops.concatenate([ops.clip(x1, 0, width), ops.clip(y1, 0, height),
                            ops.clip(x2, 0, width), ops.clip(y2, 0, height)], axis=-1)


def clip_to_image_size(bounding_boxes, height=None, width=None, bounding_box_format="xyxy"):
    """Clip bounding boxes to the image, as
    keras.utils.bounding_boxes.clip_to_image_size. A box left with no area
    gets the label -1.

    Args:
        bounding_boxes: a dict with "boxes" (N, 4) or (batch, N, 4) and
            optionally "labels" (N,) or (batch, N).
        height: the image height (needed for "xyxy").
        width: the image width (needed for "xyxy").
        bounding_box_format: "xyxy" (clipped to [0, width] x [0, height]) or
            "rel_xyxy" (clipped to [0, 1]). Defaults to "xyxy".

    Returns:
        A new dict with the clipped "boxes" and, when given, the "labels".

    Raises:
        NotImplementedError: another format.
        ValueError: "xyxy" without `height` and `width`.
    """
    if bounding_box_format not in ("xyxy", "rel_xyxy"):
        raise NotImplementedError(
            "clip_to_image_size() supports bounding_box_format 'xyxy' and 'rel_xyxy' "
            f"(as Keras). Received: bounding_box_format={bounding_box_format!r}.")
    if bounding_box_format == "xyxy" and (height is None or width is None):
        raise ValueError("`height` and `width` must be set if `format='xyxy'`.")
    boxes = as_tensor(bounding_boxes["boxes"])
    labels = bounding_boxes.get("labels", None)
    if bounding_box_format == "xyxy":
        dtype = ops.dtype(boxes)
        boxes = _clip_corners(boxes, as_tensor(height, dtype), as_tensor(width, dtype))
    else:
        boxes = _clip_corners(boxes, 1.0, 1.0)
    result = dict(bounding_boxes)
    result["boxes"] = boxes
    if labels is not None:
        areas = ops.squeeze(_area(boxes), axis=-1)
        result["labels"] = ops.where(ops.greater(areas, 0), as_tensor(labels), -1)
    return result


def _inverse_affine_matrix(center_x, center_y, angle, translate_x, translate_y, scale,
                           shear_x, shear_y, height, width):
    """The rows (a0, a1, a2) and (b0, b1, b2), each (batch,), of the inverse
    of the affine map (TensorFlow's image-transform convention)."""
    degree = 1.0 / 180.0 * math.pi  # (as Keras: the same float)
    cx = ops.multiply(center_x, width - 1)
    cy = ops.multiply(center_y, height - 1)
    rot = ops.multiply(ops.negative(angle), degree)
    tx = ops.multiply(ops.negative(translate_x), width - 1)
    ty = ops.multiply(ops.negative(translate_y), height - 1)
    sx = ops.multiply(ops.negative(shear_x), degree)
    sy = ops.multiply(ops.negative(shear_y), degree)
    cos_sy, tan_sx = ops.cos(sy), ops.tan(sx)
    rot_minus_sy = ops.subtract(rot, sy)
    cx_tx, cy_ty = ops.add(cx, tx), ops.add(cy, ty)
    # Rotation and shear, without the scale.
    a = ops.divide(ops.cos(rot_minus_sy), cos_sy)
    b = ops.add(ops.multiply(a, tan_sx), ops.sin(rot))
    c = ops.divide(ops.negative(ops.sin(rot_minus_sy)), cos_sy)
    d = ops.subtract(ops.cos(rot), ops.multiply(c, tan_sx))
    # Its inverse (determinant 1) times the scale, then the translation.
    a0, a1 = ops.multiply(d, scale), ops.multiply(ops.negative(b), scale)
    b0, b1 = ops.multiply(ops.negative(c), scale), ops.multiply(a, scale)
    a2 = ops.subtract(ops.subtract(cx, ops.multiply(a0, cx_tx)), ops.multiply(a1, cy_ty))
    b2 = ops.subtract(ops.subtract(cy, ops.multiply(b0, cx_tx)), ops.multiply(b1, cy_ty))
    return (a0, a1, a2), (b0, b1, b2)


def affine_transform(boxes, angle, translate_x, translate_y, scale, shear_x, shear_y, height,
                     width, center_x=None, center_y=None, bounding_box_format="xyxy"):
    """Move "xyxy" boxes by an affine map (rotation, translation, scale,
    shear), as keras.utils.bounding_boxes.affine_transform: each box becomes
    the axis-aligned box around its four mapped corners.

    Args:
        boxes: (batch, N, 4) boxes.
        angle: (batch,) rotation angles in degrees.
        translate_x: (batch,) horizontal translations, fractions of the width.
        translate_y: (batch,) vertical translations, fractions of the height.
        scale: (batch,) scale factors.
        shear_x: (batch,) shear angles along x, in degrees.
        shear_y: (batch,) shear angles along y, in degrees.
        height: the image height.
        width: the image width.
        center_x: the center of the map along x, a fraction of the width.
            Defaults to 0.5.
        center_y: the center of the map along y, a fraction of the height.
            Defaults to 0.5.
        bounding_box_format: "xyxy" only.

    Returns:
        The transformed boxes, (batch, N, 4), in the dtype of `angle`.

    Raises:
        NotImplementedError: another format.
        ValueError: `boxes` not of rank 3.
    """
    _xyxy_only("affine_transform", bounding_box_format)
    angle = as_tensor(angle)
    dtype = ops.dtype(angle)
    params = [as_tensor(p, dtype) if not isinstance(p, (int, float)) else p
              for p in (translate_x, translate_y, scale, shear_x, shear_y)]
    boxes = as_tensor(boxes)
    if len(ops.shape(boxes)) != 3:
        raise ValueError("affine_transform() expects batched boxes (batch, N, 4), one "
                         f"transform per image. Received: boxes.shape={tuple(ops.shape(boxes))}")
    center_x = 0.5 if center_x is None else center_x
    center_y = 0.5 if center_y is None else center_y
    (a0, a1, a2), (b0, b1, b2) = _inverse_affine_matrix(
        center_x, center_y, angle, *params, height, width)
    boxes = ops.cast(boxes, dtype)
    x1, y1, x2, y2 = corners(boxes)
    # The corners (x1, y1), (x2, y1), (x2, y2), (x1, y2): (batch, N, 4) each.
    xs = ops.concatenate([x1, x2, x2, x1], axis=-1)
    ys = ops.concatenate([y1, y1, y2, y2], axis=-1)

    def row(m0, m1, m2):
        m0, m1, m2 = (ops.reshape(m, (-1, 1, 1)) for m in (m0, m1, m2))
        return ops.add(ops.add(ops.multiply(xs, m0), ops.multiply(ys, m1)), m2)

    new_x, new_y = row(a0, a1, a2), row(b0, b1, b2)
    return ops.stack([ops.min(new_x, axis=-1), ops.min(new_y, axis=-1),
                      ops.max(new_x, axis=-1), ops.max(new_y, axis=-1)], axis=-1)


def crop(boxes, top, left, height, width, bounding_box_format="xyxy"):
    """Boxes in the coordinates of the crop of the image at (`top`, `left`)
    of size `height` x `width`, clipped to it, as
    keras.utils.bounding_boxes.crop.

    Args:
        boxes: (N, 4) or (batch, N, 4) "xyxy" boxes.
        top: the crop's top row.
        left: the crop's left column.
        height: the crop's height.
        width: the crop's width.
        bounding_box_format: "xyxy" only.

    Returns:
        The cropped boxes.

    Raises:
        NotImplementedError: another format.
    """
    _xyxy_only("crop", bounding_box_format)
    x1, y1, x2, y2 = corners(as_tensor(boxes))
    moved = ops.concatenate([ops.subtract(x1, left), ops.subtract(y1, top),
                             ops.subtract(x2, left), ops.subtract(y2, top)], axis=-1)
    return _clip_corners(moved, height, width)


def pad(boxes, top, left, height=None, width=None, bounding_box_format="xyxy"):
    """Boxes in the coordinates of the image padded by `top` rows and `left`
    columns, as keras.utils.bounding_boxes.pad.

    Args:
        boxes: (N, 4) or (batch, N, 4) "xyxy" boxes.
        top: the rows added above.
        left: the columns added on the left.
        height: unused (as Keras).
        width: unused (as Keras).
        bounding_box_format: "xyxy" only.

    Returns:
        The moved boxes.

    Raises:
        NotImplementedError: another format.
    """
    _xyxy_only("pad", bounding_box_format)
    x1, y1, x2, y2 = corners(as_tensor(boxes))
    return ops.concatenate([ops.add(x1, left), ops.add(y1, top),
                            ops.add(x2, left), ops.add(y2, top)], axis=-1)
