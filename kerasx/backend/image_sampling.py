"""Host-side (NumPy) arithmetic of the image operations: the interpolation
matrices of `resize` and the coordinate maps of `affine_transform`'s fill
modes, written once so that every backend applies the same weights.

Resizing is linear in the pixels: each method is a matrix (out, in) per
spatial axis, built here from the static sizes with TensorFlow's rules
(`tf.image.resize`, the oracle of Keras's TensorFlow backend), then applied
by `matmul` on the device.
"""
import math

import numpy as np

RESIZE_INTERPOLATIONS = ("bilinear", "nearest", "lanczos3", "lanczos5", "bicubic", "area")
AFFINE_INTERPOLATIONS = ("nearest", "bilinear")
AFFINE_FILL_MODES = ("constant", "nearest", "wrap", "reflect")


def standardize_data_format(data_format):
    """`data_format`, or the global image data format when None.

    Raises:
        ValueError: for anything but "channels_last" / "channels_first".
    """
    if data_format is None:
        from kerasx import config  # the front end's setting, read at call time

        data_format = config.image_data_format()
    data_format = str(data_format).lower()
    if data_format not in ("channels_last", "channels_first"):
        raise ValueError("The `data_format` argument must be one of {'channels_first', "
                         f"'channels_last'}}. Received: data_format={data_format!r}")
    return data_format


# -- 1-D kernels of scale_and_translate (TensorFlow's sampling_kernels) --------
def _triangle(x):
    return np.maximum(0.0, 1.0 - x)


def _keys_cubic(x, a=-0.5):
    return np.where(x >= 2.0, 0.0,
                    np.where(x >= 1.0, ((a * x - 5 * a) * x + 8 * a) * x - 4 * a,
                             ((a + 2) * x - (a + 3)) * x * x + 1))


def _lanczos(radius):
    def kernel(x):
        with np.errstate(divide="ignore", invalid="ignore"):
            px = np.pi * x
            value = radius * np.sin(px) * np.sin(px / radius) / (px * px)
        return np.where(x > radius, 0.0, np.where(x < 1e-3, 1.0, value))
    return kernel


_SPAN_KERNELS = {"bilinear": (_triangle, 1.0), "bicubic": (_keys_cubic, 2.0),
                 "lanczos3": (_lanczos(3.0), 3.0), "lanczos5": (_lanczos(5.0), 5.0)}


def _scale_and_translate_matrix(in_size, out_size, method, antialias):
    """TensorFlow's ScaleAndTranslate spans (translation 0): each output
    pixel weighs the inputs within the kernel's radius, widened by the
    downscaling factor when antialiasing, then renormalised."""
    kernel, radius = _SPAN_KERNELS[method]
    scale = np.float32(out_size) / np.float32(in_size)
    inv_scale = 1.0 / float(scale)
    kernel_scale = max(inv_scale, 1.0) if antialias else 1.0
    radius = radius * kernel_scale
    m = np.zeros((out_size, in_size))
    for x in range(out_size):
        sample = (x + 0.5) * inv_scale
        if sample < 0 or sample > in_size:
            continue
        start = min(max(math.ceil(sample - radius - 0.5), 0), in_size - 1)
        end = min(max(math.floor(sample + radius - 0.5), 0), in_size - 1) + 1
        sources = np.arange(start, end)
        weights = kernel(np.abs((sources + 0.5 - sample) / kernel_scale))
        total = weights.sum()
        if abs(total) >= 1000 * np.finfo(np.float32).tiny:
            weights = weights / total
        m[x, start:end] = weights
    return m


def _half_pixel(in_size, out_size):
    # float32, as TensorFlow's kernels compute the source coordinates.
    scale = np.float32(in_size) / np.float32(out_size)
    out = np.arange(out_size, dtype=np.float32)
    return ((out + np.float32(0.5)) * scale - np.float32(0.5)).astype("float64"), scale


def _bilinear_matrix(in_size, out_size):
    """ResizeBilinear with half-pixel centres: neighbours clamped to the edge."""
    src, _ = _half_pixel(in_size, out_size)
    low = np.floor(src)
    frac = src - low
    lower = np.clip(low, 0, in_size - 1).astype(int)
    upper = np.clip(np.ceil(src), 0, in_size - 1).astype(int)
    m = np.zeros((out_size, in_size))
    rows = np.arange(out_size)
    np.add.at(m, (rows, lower), 1.0 - frac)
    np.add.at(m, (rows, upper), frac)
    return m


def _bicubic_matrix(in_size, out_size):
    """ResizeBicubic with half-pixel centres: Keys' kernel (a = -0.5) read
    from TensorFlow's table of 1024 steps (the fraction rounded to 1/1024),
    taps outside the image dropped and the weights renormalised."""
    src, _ = _half_pixel(in_size, out_size)
    base = np.floor(src)
    frac = np.rint((src - base) * 1024) / 1024
    m = np.zeros((out_size, in_size))
    for x in range(out_size):
        taps = base[x] + np.arange(-1, 3)
        weights = _keys_cubic(np.abs(np.arange(-1, 3) - frac[x]))
        inside = (taps >= 0) & (taps < in_size)
        weights = np.where(inside, weights, 0.0)
        total = weights.sum()
        if abs(total) >= 1000 * np.finfo(np.float32).tiny:
            weights = weights / total
        for tap, w in zip(taps.astype(int), weights):
            if 0 <= tap < in_size:
                m[x, tap] += w
    return m


def _area_matrix(in_size, out_size):
    """ResizeArea: the mean over the box each output pixel covers, partial
    pixels weighted by their covered fraction."""
    scale = float(np.float32(in_size) / np.float32(out_size))
    m = np.zeros((out_size, in_size))
    for y in range(out_size):
        lo, hi = y * scale, (y + 1) * scale
        for i in range(int(math.floor(lo)), int(math.ceil(hi))):
            if i < lo:
                w = scale if i + 1 > hi else i + 1 - lo
            else:
                w = hi - i if i + 1 > hi else 1.0
            m[y, min(max(i, 0), in_size - 1)] += w / scale
    return m


def nearest_indices(in_size, out_size):
    """ResizeNearestNeighbor with half-pixel centres: the source index of
    each output pixel (int32)."""
    scale = np.float32(in_size) / np.float32(out_size)
    src = np.floor((np.arange(out_size, dtype=np.float32) + np.float32(0.5)) * scale)
    return np.clip(src, 0, in_size - 1).astype("int32")


def resize_matrix(in_size, out_size, interpolation, antialias):
    """The (out_size, in_size) float64 matrix of `interpolation` along one
    axis (all but "nearest", which gathers)."""
    if interpolation in ("lanczos3", "lanczos5") or (
            antialias and interpolation in ("bilinear", "bicubic")):
        return _scale_and_translate_matrix(in_size, out_size, interpolation, antialias)
    if interpolation == "bilinear":
        return _bilinear_matrix(in_size, out_size)
    if interpolation == "bicubic":
        return _bicubic_matrix(in_size, out_size)
    if interpolation == "area":
        return _area_matrix(in_size, out_size)
    raise ValueError(f"No resize matrix for interpolation {interpolation!r}.")


def aspect_ratio_box(height, width, target_height, target_width, mode):
    """(box_height, box_width, offset_h, offset_w) of the centred box with the
    target's aspect ratio: inside the image (mode "crop", offsets into the
    image) or around it (mode "pad", offsets of the image in the box), as
    Keras's resize with crop_to_aspect_ratio / pad_to_aspect_ratio."""
    box_h = int(np.float32(width * target_height) / np.float32(target_width))
    box_w = int(np.float32(height * target_width) / np.float32(target_height))
    if mode == "crop":
        box_h = max(min(height, box_h), 1)
        box_w = max(min(width, box_w), 1)
        return box_h, box_w, int((height - box_h) / 2), int((width - box_w) / 2)
    box_h = max(height, box_h)
    box_w = max(width, box_w)
    return box_h, box_w, int((box_h - height) / 2), int((box_w - width) / 2)


def gaussian_kernel(kernel_size, sigma):
    """The 2-D Gaussian kernel of Keras's gaussian_blur: normalised 1-D
    Gaussians, the outer product of the second axis's by the first's,
    laid out (kernel_size[0], kernel_size[1])."""
    def one_d(size, s):
        x = np.arange(size) - (size - 1) / 2
        k = np.exp(-0.5 * (x / s) ** 2)
        return k / k.sum()

    size = [int(k) for k in kernel_size]
    sigma = [float(s) for s in np.broadcast_to(np.asarray(sigma, dtype="float64"), (2,))]
    return np.outer(one_d(size[1], sigma[1]), one_d(size[0], sigma[0])).reshape(size)
