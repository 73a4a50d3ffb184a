"""plot_bounding_box_gallery: a gallery of images with their true and
predicted boxes, as keras.visualization.plot_bounding_box_gallery."""
import numpy as np

from kerasx import backend
from kerasx.visualization.arrays import shape_of, to_numpy
from kerasx.visualization.draw_bounding_boxes import draw_bounding_boxes
from kerasx.visualization.plot_image_gallery import plot_image_gallery, pyplot


def plot_bounding_box_gallery(images, bounding_box_format, y_true=None, y_pred=None,
                              value_range=(0, 255), true_color=(0, 188, 212),
                              pred_color=(255, 235, 59), line_thickness=2, font_scale=1.0,
                              text_thickness=None, class_mapping=None,
                              ground_truth_mapping=None, prediction_mapping=None, legend=False,
                              legend_handles=None, rows=None, cols=None, data_format=None,
                              **kwargs):
    """Plot a gallery of images with ground-truth and predicted bounding
    boxes, as keras.visualization.plot_bounding_box_gallery.

    The boxes are drawn with draw_bounding_boxes (which makes the images
    uint8, as Keras), then the images are plotted with plot_image_gallery.

    Args:
        images: a 4D tensor or array of images.
        bounding_box_format: the format of the boxes.
        y_true: the true boxes, a dict as draw_bounding_boxes takes.
            Defaults to None.
        y_pred: the predicted boxes, the same structure. Defaults to None.
        value_range: the images' value range. Defaults to (0, 255).
        true_color: the RGB color of true boxes. Defaults to (0, 188, 212).
        pred_color: the RGB color of predicted boxes. Defaults to
            (255, 235, 59).
        line_thickness: the box outline thickness. Defaults to 2.
        font_scale: the label size. Defaults to 1.0.
        text_thickness: the label thickness. Defaults to `line_thickness`.
        class_mapping: a dict from class id to name, for both kinds of box.
        ground_truth_mapping: the same for true boxes (overrides
            `class_mapping`).
        prediction_mapping: the same for predicted boxes (overrides
            `class_mapping`).
        legend: whether to add a legend of the two colors. Defaults to False.
        legend_handles: matplotlib handles for the legend (not with `legend`).
        rows: the gallery's rows. Defaults as plot_image_gallery.
        cols: the gallery's columns. Defaults as plot_image_gallery.
        data_format: "channels_last" or "channels_first". Defaults to
            kerasx.config.image_data_format().
        **kwargs: passed to plot_image_gallery (path, show, scale...).

    Returns:
        What plot_image_gallery returns (None).

    Raises:
        ValueError: `images` not 4D, or both `legend` and `legend_handles`.
        ImportError: matplotlib is not installed.
    """
    pyplot("plot_bounding_box_gallery")
    from matplotlib import patches

    prediction_mapping = prediction_mapping or class_mapping
    ground_truth_mapping = ground_truth_mapping or class_mapping
    data_format = data_format or backend.image_data_format()
    shape = shape_of(images)
    if len(shape) != 4:
        raise ValueError(f"`images` must be batched 4D tensor. Received: images.shape={shape}")
    plotted = to_numpy(images)
    if data_format == "channels_first":
        plotted = np.transpose(plotted, (0, 2, 3, 1))
    common = dict(bounding_box_format=bounding_box_format, line_thickness=line_thickness,
                  text_thickness=text_thickness, font_scale=font_scale,
                  data_format="channels_last")
    if y_true is not None:
        plotted = draw_bounding_boxes(plotted, y_true, color=true_color,
                                      class_mapping=ground_truth_mapping, **common)
    if y_pred is not None:
        plotted = draw_bounding_boxes(plotted, y_pred, color=pred_color,
                                      class_mapping=prediction_mapping, **common)
    if legend:
        if legend_handles:
            raise ValueError("Only pass `legend` OR `legend_handles` to "
                             "`kerasx.visualization.plot_bounding_box_gallery()`.")
        legend_handles = [
            patches.Patch(color=np.array(true_color) / 255.0, label="Ground Truth"),
            patches.Patch(color=np.array(pred_color) / 255.0, label="Prediction")]
    return plot_image_gallery(plotted, value_range=value_range, legend_handles=legend_handles,
                              rows=rows, cols=cols, data_format="channels_last", **kwargs)
