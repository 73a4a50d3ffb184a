"""Bounding-box utilities, as keras.utils.bounding_boxes: format conversion,
clipping, cropping, padding, affine maps, anchor deltas and IoU, all in
kerasx ops (every backend, eager or inside a model)."""
from kerasx.utils.bounding_boxes.deltas import decode_deltas_to_boxes, encode_box_to_deltas
from kerasx.utils.bounding_boxes.formats import convert_format
from kerasx.utils.bounding_boxes.iou import compute_ciou, compute_iou
from kerasx.utils.bounding_boxes.transforms import (affine_transform, clip_to_image_size, crop,
                                                    pad)

__all__ = ["affine_transform", "clip_to_image_size", "compute_ciou", "compute_iou",
           "convert_format", "crop", "decode_deltas_to_boxes", "encode_box_to_deltas", "pad"]
