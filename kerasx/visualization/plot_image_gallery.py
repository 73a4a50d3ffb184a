"""plot_image_gallery: a grid of images in one matplotlib figure, as
keras.visualization.plot_image_gallery."""
import math

import numpy as np

from kerasx import backend
from kerasx.visualization.arrays import shape_of, to_numpy


def pyplot(function):
    """matplotlib.pyplot, imported when a plot is made.

    Raises:
        ImportError: matplotlib is not installed, naming `function`.
    """
    try:
        import matplotlib.pyplot as plt
    except ImportError as exc:
        raise ImportError(f"The `{function}` function requires the `matplotlib` package. "
                          "Please install it with `pip install matplotlib`.") from exc
    return plt


def to_display_range(images, value_range):
    """`images` mapped from `value_range` to [0, 255] in float32, as Keras
    (unchanged when the range already is (0, 255))."""
    low, high = value_range
    if low == 0 and high == 255:
        return images
    images = images.astype("float32")
    low, high = np.float32(low), np.float32(high)
    return (images - low) / (high - low) * np.float32(255) + np.float32(0)


def plot_image_gallery(images, y_true=None, y_pred=None, label_map=None, rows=None, cols=None,
                       value_range=(0, 255), scale=2, path=None, show=None, transparent=True,
                       dpi=60, legend_handles=None, data_format=None):
    """Plot a gallery of images with optional labels and predictions, as
    keras.visualization.plot_image_gallery.

    The figure has `rows` x `cols` axes, each `scale` inches square, showing
    the first `rows * cols` images mapped from `value_range` to [0, 255] and
    cast to uint8. Cells past the last image are left blank (Keras fails).

    Args:
        images: a 4D tensor or array of images.
        y_true: true class indices, one per image (titles). Defaults to None.
        y_pred: predicted class indices (titles). Defaults to None.
        label_map: a dict from class index to name; needed with `y_true` or
            `y_pred`.
        rows: the number of rows. Defaults to ceil(sqrt(batch size)).
        cols: the number of columns. Defaults to batch size // rows.
        value_range: the images' value range. Defaults to (0, 255).
        scale: the size of each image in inches. Defaults to 2.
        path: a file to save the figure to (then closed). Defaults to None.
        show: whether to call plt.show() (then close the figure). Defaults
            to True when `path` is None. With neither, the figure stays open
            (matplotlib's current figure).
        transparent: whether the saved figure has a transparent background.
            Defaults to True.
        dpi: the saved figure's dots per inch. Defaults to 60.
        legend_handles: matplotlib handles for a legend. Defaults to None.
        data_format: "channels_last" or "channels_first". Defaults to
            kerasx.config.image_data_format().

    Returns:
        None, as Keras (the figure is saved, shown, or left current).

    Raises:
        ValueError: both `path` and `show`, labels without `label_map`, or
            `images` not 4D.
        ImportError: matplotlib is not installed.
    """
    plt = pyplot("plot_image_gallery")
    if path is not None and show:
        raise ValueError("plot_gallery() expects either `path` to be set, or `show` to be true.")
    if (y_true is not None or y_pred is not None) and label_map is None:
        raise ValueError("If `y_true` or `y_pred` are provided, a `label_map` must also be "
                         "provided.")
    show = show if show is not None else path is None
    data_format = data_format or backend.image_data_format()
    shape = shape_of(images)
    batch_size = shape[0] if len(shape) == 4 else 1
    rows = rows or int(math.ceil(math.sqrt(batch_size)))
    cols = cols or int(math.ceil(batch_size // rows))
    if len(shape) != 4:
        raise ValueError("`plot_images_gallery()` requires you to batch your `np.array` "
                         "samples together.")
    images = to_numpy(images)[:min(rows * cols, batch_size)]
    if data_format == "channels_first":
        images = np.transpose(images, (0, 2, 3, 1))
    fig, axes = plt.subplots(nrows=rows, ncols=cols, figsize=(cols * scale, rows * scale),
                             frameon=False, layout="tight", squeeze=True, sharex="row",
                             sharey="col")
    fig.subplots_adjust(wspace=0, hspace=0)
    axes = np.asarray(axes).reshape(rows, cols)
    if legend_handles is not None:
        fig.legend(handles=legend_handles, loc="lower center")
    images = to_display_range(images, value_range)
    y_true = None if y_true is None else to_numpy(y_true)
    y_pred = None if y_pred is None else to_numpy(y_pred)
    for row in range(rows):
        for col in range(cols):
            index = row * cols + col
            axis = axes[row, col]
            axis.axis("off")
            if index >= len(images):
                continue
            axis.imshow(images[index].astype("uint8"))
            axis.margins(x=0, y=0)
            title = []
            if y_true is not None and index < len(y_true):
                title.append(f"Label: {label_map.get(y_true[index], 'Unknown')}")
            if y_pred is not None and index < len(y_pred):
                title.append(f"Pred: {label_map.get(y_pred[index], 'Unknown')}")
            if title:
                axis.set_title("  ".join(title), fontsize=8)
    if path is not None:
        plt.savefig(fname=path, pad_inches=0, bbox_inches="tight", transparent=transparent,
                    dpi=dpi)
        plt.close()
    elif show:
        plt.show()
        plt.close()
