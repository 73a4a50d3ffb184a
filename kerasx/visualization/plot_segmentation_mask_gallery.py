"""plot_segmentation_mask_gallery: each image beside its true and predicted
masks, as keras.visualization.plot_segmentation_mask_gallery."""
import numpy as np

from kerasx import backend
from kerasx.visualization.arrays import shape_of, to_numpy
from kerasx.visualization.draw_segmentation_masks import draw_segmentation_masks
from kerasx.visualization.plot_image_gallery import plot_image_gallery


def plot_segmentation_mask_gallery(images, num_classes, value_range=(0, 255), y_true=None,
                                   y_pred=None, color_mapping=None, blend=True, alpha=0.8,
                                   ignore_index=-1, data_format=None, **kwargs):
    """Plot a gallery with one row per image: the image, then the image with
    its true masks, then with its predicted masks (those given), as
    keras.visualization.plot_segmentation_mask_gallery.

    Args:
        images: a 4D tensor or array of images.
        num_classes: the number of classes.
        value_range: the images' value range. Defaults to (0, 255).
        y_true: the true class masks (batch, height, width[, 1]). Defaults to
            None.
        y_pred: the predicted class masks, shaped as `y_true`. Defaults to
            None.
        color_mapping: a dict from class index to RGB color. Defaults to
            Keras's palette.
        blend: whether to blend the colors with the images. Defaults to True.
        alpha: the opacity of the colors. Defaults to 0.8.
        ignore_index: the mask value left unpainted. Defaults to -1.
        data_format: "channels_last" or "channels_first" (images and masks).
            Defaults to kerasx.config.image_data_format().
        **kwargs: passed to plot_image_gallery (path, show, scale...).

    Returns:
        What plot_image_gallery returns (None).

    Raises:
        ValueError: `images` not 4D.
        ImportError: matplotlib is not installed.
    """
    data_format = data_format or backend.image_data_format()
    shape = shape_of(images)
    if len(shape) != 4:
        raise ValueError(f"`images` must be batched 4D tensor. Received: images.shape={shape}")
    images = to_numpy(images)
    if data_format == "channels_first":
        images = np.transpose(images, (0, 2, 3, 1))
    draw = dict(num_classes=num_classes, color_mapping=color_mapping, alpha=alpha,
                ignore_index=ignore_index, blend=blend, data_format="channels_last")
    drawn = []
    for masks in (y_true, y_pred):
        if masks is None:
            continue
        masks = to_numpy(masks)
        if data_format == "channels_first" and masks.ndim == 4:
            masks = np.transpose(masks, (0, 2, 3, 1))
        drawn.append(draw_segmentation_masks(images, masks.astype("int32"), **draw))
    gallery = [image for i in range(shape[0]) for image in [images[i]] + [d[i] for d in drawn]]
    return plot_image_gallery(np.stack(gallery, axis=0), value_range=value_range,
                              rows=shape[0], cols=1 + len(drawn),
                              data_format="channels_last", **kwargs)
