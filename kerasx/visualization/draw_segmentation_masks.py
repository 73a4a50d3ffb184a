"""draw_segmentation_masks: class masks painted over a batch of images, as
keras.visualization.draw_segmentation_masks."""
import numpy as np

from kerasx import backend
from kerasx.visualization.arrays import shape_of, to_numpy


def _palette(num_classes):
    # Keras's default colors: i * (2**25 - 1, 2**15 - 1, 2**21 - 1) mod 255.
    factors = np.array([2 ** 25 - 1, 2 ** 15 - 1, 2 ** 21 - 1])
    return [((i * factors) % 255).tolist() for i in range(num_classes)]


def draw_segmentation_masks(images, segmentation_masks, num_classes=None, color_mapping=None,
                            alpha=0.8, blend=True, ignore_index=-1, data_format=None):
    """Paint segmentation masks over images, as
    keras.visualization.draw_segmentation_masks.

    Each pixel of class c in [0, num_classes) takes the color of c; with
    `blend` the colors are mixed with the image (`alpha` of the color) except
    where the mask is `ignore_index`. As Keras, class `num_classes` and
    above are not painted.

    Args:
        images: a batch of images, a 4D tensor or array (any value range).
        segmentation_masks: integer class masks (batch, height, width, 1) or
            (batch, height, width).
        num_classes: the number of classes. Defaults to the masks' maximum.
        color_mapping: a dict from class index (0 to num_classes - 1) to an
            RGB color. Defaults to Keras's palette.
        alpha: the opacity of the colors when blending. Defaults to 0.8.
        blend: whether to blend the colors with the images. Defaults to True.
        ignore_index: the mask value left unpainted when blending. Defaults
            to -1.
        data_format: "channels_last" or "channels_first" (both inputs).
            Defaults to kerasx.config.image_data_format().

    Returns:
        A NumPy array, channels last: uint8 when blending; the float32
        painted images otherwise.

    Raises:
        ValueError: `images` not 4D.
        TypeError: masks of a non-integer dtype.
    """
    data_format = data_format or backend.image_data_format()
    shape = shape_of(images)
    if len(shape) != 4:
        raise ValueError(f"`images` must be batched 4D tensor. Received: images.shape={shape}")
    images = to_numpy(images)
    masks = to_numpy(segmentation_masks)
    if data_format == "channels_first":
        images = np.transpose(images, (0, 2, 3, 1))
        if masks.ndim == 4:
            masks = np.transpose(masks, (0, 2, 3, 1))
    images = images.astype("float32")
    if masks.dtype.kind not in "iu":
        raise TypeError("`segmentation_masks` must be in integer dtype. Received: "
                        f"segmentation_masks.dtype={backend.standardize_dtype(masks.dtype)}")
    if masks.ndim == 3:
        masks = masks[..., None]
    if num_classes is None:
        num_classes = int(masks.max())
    colors = (_palette(num_classes) if color_mapping is None
              else [color_mapping[i] for i in range(num_classes)])
    masks = masks[..., 0]
    painted = images.copy()
    for index, color in enumerate(colors):
        painted[masks == index] = np.array(color, dtype="float32")
    if not blend:
        return painted
    mixed = images * (1 - alpha) + painted * alpha
    mixed = np.where((masks != ignore_index)[..., None], mixed, images)
    return mixed.astype("uint8")
