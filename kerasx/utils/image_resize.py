"""Image resizing on the host with TensorFlow's rules (tf.image.resize:
half-pixel centres, no antialiasing), for image_dataset_from_directory."""
import numpy as np


def _bilinear_axis(in_size, out_size):
    scale = np.float32(in_size / out_size)
    position = (np.arange(out_size, dtype="float32") + np.float32(0.5)) * scale - \
        np.float32(0.5)
    floor = np.floor(position)
    lower = np.maximum(floor.astype("int64"), 0)
    upper = np.minimum(np.ceil(position).astype("int64"), in_size - 1)
    return lower, upper, (position - floor).astype("float32")


def resize_bilinear(image, size):
    """`image` (height, width, channels) resized to `size` = (height, width),
    float32, as tf.image.resize(method="bilinear")."""
    image = np.asarray(image, dtype="float32")
    y0, y1, ylerp = _bilinear_axis(image.shape[0], size[0])
    x0, x1, xlerp = _bilinear_axis(image.shape[1], size[1])
    xlerp = xlerp[None, :, None]
    top = image[y0][:, x0] + (image[y0][:, x1] - image[y0][:, x0]) * xlerp
    bottom = image[y1][:, x0] + (image[y1][:, x1] - image[y1][:, x0]) * xlerp
    return top + (bottom - top) * ylerp[:, None, None]


def resize_nearest(image, size):
    """`image` resized as tf.image.resize(method="nearest"), float32."""
    image = np.asarray(image, dtype="float32")
    rows = np.minimum(np.floor((np.arange(size[0]) + 0.5) * (image.shape[0] / size[0])),
                      image.shape[0] - 1).astype("int64")
    cols = np.minimum(np.floor((np.arange(size[1]) + 0.5) * (image.shape[1] / size[1])),
                      image.shape[1] - 1).astype("int64")
    return image[rows][:, cols]


def resize(image, size, interpolation):
    """Resize with "bilinear" or "nearest".

    Raises:
        ValueError: for another interpolation (kerasx implements these two).
    """
    if interpolation == "bilinear":
        return resize_bilinear(image, size)
    if interpolation == "nearest":
        return resize_nearest(image, size)
    raise ValueError(f"kerasx resizes images with interpolation 'bilinear' or 'nearest'; "
                     f"received interpolation={interpolation!r}.")


def center_crop_to_aspect(image, size):
    """The largest centred crop of `image` with the aspect ratio of `size`
    (keras.preprocessing.image.smart_resize's crop)."""
    height, width = image.shape[0], image.shape[1]
    crop_height = max(min(height, int(float(width * size[0]) / size[1])), 1)
    crop_width = max(min(width, int(float(height * size[1]) / size[0])), 1)
    top = int(float(height - crop_height) / 2)
    left = int(float(width - crop_width) / 2)
    return image[top:top + crop_height, left:left + crop_width]


def smart_resize(x, size, interpolation="bilinear", data_format="channels_last"):
    """Resize images to `size` without distorting them: the largest centred
    crop of the target aspect ratio, then a resize, as
    keras.preprocessing.image.smart_resize. Returns a NumPy float32 array
    (Keras returns a backend tensor of the same values).

    Args:
        x: an image (height, width, channels) or a batch of them (NumPy or
            nested lists), channels first with data_format="channels_first".
        size: (height, width).
        interpolation: "bilinear" or "nearest".

    Raises:
        ValueError: for a `size` that is not two integers or an input of rank
            other than 3 or 4.
    """
    if len(size) != 2:
        raise ValueError(f"Expected `size` to be a tuple of 2 integers, but got: {size}.")
    images = np.asarray(x)
    if images.ndim not in (3, 4):
        raise ValueError("Expected an image array with shape `(height, width, channels)`, "
                         "or `(batch_size, height, width, channels)`, but got input with "
                         f"incorrect rank, of shape {images.shape}.")
    batch = images if images.ndim == 4 else images[None]
    if data_format == "channels_first":
        batch = batch.transpose(0, 2, 3, 1)
    out = np.stack([resize(center_crop_to_aspect(image, size), size, interpolation)
                    for image in batch]).astype("float32")
    if data_format == "channels_first":
        out = out.transpose(0, 3, 1, 2)
    return out if images.ndim == 4 else out[0]
