"""Image files and arrays, as keras.utils: array_to_img, img_to_array,
save_img, load_img (through Pillow, imported when used)."""
import io
import os

import numpy as np

from kerasx import config

_INTERPOLATIONS = ("nearest", "bilinear", "bicubic", "hamming", "box", "lanczos")


def _pil():
    try:
        from PIL import Image
    except ImportError:
        raise ImportError("Image utilities need Pillow: pip install pillow") from None
    return Image


def _data_format(data_format):
    data_format = data_format or config.image_data_format()
    if data_format not in ("channels_last", "channels_first"):
        raise ValueError(f"Invalid data_format: {data_format!r}; expected "
                         "'channels_last' or 'channels_first'.")
    return data_format


def array_to_img(x, data_format=None, scale=True, dtype=None):
    """A PIL image from a 3-D array (height, width, channels), as Keras.

    Args:
        x: array-like of rank 3 with 1 (grayscale), 3 (RGB) or 4 (RGBA)
            channels.
        data_format: "channels_last" (default: the config's) or
            "channels_first".
        scale: rescale the values to [0, 255] (minimum to 0, maximum to 255).
        dtype: dtype the array is read as (default floatx).

    Raises:
        ValueError: for an array that is not of rank 3 or has another number
            of channels.
    """
    image = _pil()
    x = np.asarray(x, dtype=dtype or config.floatx())
    if x.ndim != 3:
        raise ValueError(f"Expected an image array of rank 3 (single image); received "
                         f"an array of shape {x.shape}.")
    if _data_format(data_format) == "channels_first":
        x = x.transpose(1, 2, 0)
    if scale:
        x = x - np.min(x)
        top = np.max(x)
        if top != 0:
            x = x / top
        x = x * 255
    channels = x.shape[2]
    if channels == 4:
        return image.fromarray(x.astype("uint8"), "RGBA")
    if channels == 3:
        return image.fromarray(x.astype("uint8"), "RGB")
    if channels == 1:
        if np.max(x) > 255:  # 32-bit integer grayscale
            return image.fromarray(x[:, :, 0].astype("int32"), "I")
        return image.fromarray(x[:, :, 0].astype("uint8"), "L")
    raise ValueError(f"Unsupported number of channels: {channels}; expected 1, 3 or 4.")


def img_to_array(img, data_format=None, dtype=None):
    """The array of a PIL image: (height, width, channels) in channels_last,
    (channels, height, width) in channels_first, of dtype floatx by default.

    Raises:
        ValueError: for an image that is not 2-D or 3-D.
    """
    x = np.asarray(img, dtype=dtype or config.floatx())
    channels_first = _data_format(data_format) == "channels_first"
    if x.ndim == 3:
        return x.transpose(2, 0, 1) if channels_first else x
    if x.ndim == 2:
        return x[np.newaxis] if channels_first else x[..., np.newaxis]
    raise ValueError(f"Unsupported image shape: {x.shape}.")


def save_img(path, x, data_format=None, file_format=None, scale=True, **kwargs):
    """Save an image array to `path` (format from the file name unless
    `file_format` is given; an RGBA image is saved as RGB in JPEG)."""
    img = array_to_img(x, data_format=data_format, scale=scale)
    if img.mode == "RGBA" and (file_format or str(path).rsplit(".", 1)[-1]).lower() in (
            "jpg", "jpeg"):
        img = img.convert("RGB")
    img.save(path, format=file_format, **kwargs)


def load_img(path, color_mode="rgb", target_size=None, interpolation="nearest",
             keep_aspect_ratio=False):
    """A PIL image read from `path` (a file name, path object or bytes
    stream), converted to `color_mode` ("grayscale", "rgb" or "rgba") and
    resized to `target_size` (height, width) if given.

    Raises:
        ValueError: for an unknown color_mode or interpolation.
    """
    image = _pil()
    modes = {"grayscale": "L", "rgb": "RGB", "rgba": "RGBA"}
    if color_mode not in modes:
        raise ValueError(f"color_mode must be one of {sorted(modes)}; received "
                         f"{color_mode!r}.")
    if interpolation not in _INTERPOLATIONS:
        raise ValueError(f"interpolation must be one of {list(_INTERPOLATIONS)}; received "
                         f"{interpolation!r}.")
    if isinstance(path, io.BytesIO):
        img = image.open(path)
    elif isinstance(path, (str, os.PathLike)):
        with open(path, "rb") as f:
            img = image.open(io.BytesIO(f.read()))
    else:
        raise TypeError(f"path must be a file name, a path or a BytesIO; received "
                        f"{type(path).__name__}.")
    if img.mode != modes[color_mode] and not (color_mode == "grayscale" and
                                              img.mode in ("L", "I;16", "I")):
        img = img.convert(modes[color_mode])
    if target_size is not None:
        height, width = target_size
        if img.size != (width, height):
            resample = getattr(image.Resampling, interpolation.upper())
            box = None
            if keep_aspect_ratio:
                # Resize from the largest centred box of the target's aspect ratio.
                w, h = img.size
                crop_h = min(h, (w * height) // width)
                crop_w = min(w, (h * width) // height)
                top, left = (h - crop_h) // 2, (w - crop_w) // 2
                box = (left, top, left + crop_w, top + crop_h)
            img = img.resize((width, height), resample, box=box)
    return img
