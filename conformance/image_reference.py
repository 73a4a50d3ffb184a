"""NumPy float64 reference of the image operations (keras.ops.image), written
per output pixel from TensorFlow's kernel definitions (tf.image.resize with
half-pixel centres, ImageProjectiveTransformV3, rgb_to_hsv), independently
of kerasx.backend.image_sampling. Channels_last in and out; source
coordinates in float32, as TensorFlow computes them."""
import itertools
import math

import numpy as np

__all__ = ["resize", "affine_transform", "crop_images", "pad_images", "rgb_to_grayscale",
           "rgb_to_hsv", "hsv_to_rgb", "gaussian_blur"]

_F32 = np.float32


def _keys(d, a=-0.5):
    d = abs(d)
    if d >= 2:
        return 0.0
    if d >= 1:
        return ((a * d - 5 * a) * d + 8 * a) * d - 4 * a
    return ((a + 2) * d - (a + 3)) * d * d + 1


def _taps(i, n_in, n_out, method, antialias):
    """[(source index, weight)] of output index i along one axis."""
    scale = _F32(n_in) / _F32(n_out)
    if method == "nearest":
        return [(min(int(math.floor((_F32(i) + _F32(0.5)) * scale)), n_in - 1), 1.0)]
    if method == "area":
        lo, hi = i * float(scale), (i + 1) * float(scale)
        out = []
        for k in range(int(math.floor(lo)), int(math.ceil(hi))):
            cover = min(k + 1, hi) - max(k, lo)
            out.append((min(max(k, 0), n_in - 1), cover / float(scale)))
        return out
    if antialias:  # ScaleAndTranslate: kernel widened by the downscale
        kernel, radius = ((lambda d: max(0.0, 1 - d)), 1.0) if method == "bilinear" \
            else (_keys, 2.0)
        widen = max(1.0 / float(_F32(n_out) / _F32(n_in)), 1.0)
        centre = (i + 0.5) * (1.0 / float(_F32(n_out) / _F32(n_in)))
        pairs = [(k, kernel(abs((k + 0.5 - centre) / widen))) for k in range(n_in)
                 if abs(k + 0.5 - centre) <= radius * widen + 0.5]
        total = sum(w for _, w in pairs)
        return [(k, w / total) for k, w in pairs]
    src = float((_F32(i) + _F32(0.5)) * scale - _F32(0.5))
    base = math.floor(src)
    if method == "bilinear":
        frac = src - base
        return [(min(max(base, 0), n_in - 1), 1 - frac),
                (min(max(math.ceil(src), 0), n_in - 1), frac)]
    frac = round((src - base) * 1024) / 1024   # bicubic: TensorFlow's 1024-step table
    pairs = [(base + k, _keys(k - frac)) for k in (-1, 0, 1, 2) if 0 <= base + k < n_in]
    total = sum(w for _, w in pairs)
    return [(k, w / total) for k, w in pairs]


def resize(images, size, interpolation="bilinear", antialias=False,
           crop_to_aspect_ratio=False, pad_to_aspect_ratio=False, fill_mode="constant",
           fill_value=0.0):
    x = np.asarray(images, dtype="float64")
    n, h, w, c = x.shape
    oh, ow = size
    out = np.zeros((n, oh, ow, c))
    for i in range(oh):
        for j in range(ow):
            for ki, wi in _taps(i, h, oh, interpolation, antialias):
                for kj, wj in _taps(j, w, ow, interpolation, antialias):
                    out[:, i, j] += wi * wj * x[:, ki, kj]
    return out


def _fold(v, n, mode):
    if mode == "constant":
        return v
    if mode == "nearest":
        return min(max(v, 0.0), n - 1.0)
    if mode == "reflect":
        period = 2 * n
        v = v % period
        v = v if v < n else period - 1 - v
    elif mode == "wrap":
        if v < 0:
            v += n * (int(-v / (n - 1)) + 1)
        elif v > n - 1:
            v -= n * int(v / (n - 1))
    return min(max(v, 0.0), n - 1.0)


def affine_transform(images, transform, interpolation="bilinear", fill_mode="constant",
                     fill_value=0):
    x = np.asarray(images, dtype="float64")
    t = np.asarray(transform, dtype="float32").reshape(-1, 8).astype("float64")
    n, h, w, c = x.shape
    out = np.zeros_like(x)

    def read(b, yy, xx):
        if 0 <= yy < h and 0 <= xx < w:
            return x[b, int(yy), int(xx)]
        return np.full(c, float(fill_value))

    for b in range(n):
        a0, a1, a2, b0, b1, b2, c0, c1 = t[b if len(t) > 1 else 0]
        for i in range(h):
            for j in range(w):
                k = c0 * j + c1 * i + 1
                sx = _fold((a0 * j + a1 * i + a2) / k, w, fill_mode)
                sy = _fold((b0 * j + b1 * i + b2) / k, h, fill_mode)
                if interpolation == "nearest":
                    out[b, i, j] = read(b, math.floor(abs(sy) + 0.5) * np.sign(sy),
                                        math.floor(abs(sx) + 0.5) * np.sign(sx))
                    continue
                y0, x0 = math.floor(sy), math.floor(sx)
                fy, fx = sy - y0, sx - x0
                out[b, i, j] = ((1 - fy) * ((1 - fx) * read(b, y0, x0) + fx * read(b, y0, x0 + 1))
                                + fy * ((1 - fx) * read(b, y0 + 1, x0)
                                        + fx * read(b, y0 + 1, x0 + 1)))
    return out


def crop_images(images, top_cropping=None, left_cropping=None, bottom_cropping=None,
                right_cropping=None, target_height=None, target_width=None):
    x = np.asarray(images)
    h, w = x.shape[1:3]
    top = top_cropping if top_cropping is not None else h - target_height - bottom_cropping
    left = left_cropping if left_cropping is not None else w - target_width - right_cropping
    th = target_height if target_height is not None else h - top - bottom_cropping
    tw = target_width if target_width is not None else w - left - right_cropping
    return x[:, top:top + th, left:left + tw]


def pad_images(images, top_padding=None, left_padding=None, bottom_padding=None,
               right_padding=None, target_height=None, target_width=None):
    x = np.asarray(images)
    h, w = x.shape[1:3]
    top = top_padding if top_padding is not None else target_height - bottom_padding - h
    bottom = bottom_padding if bottom_padding is not None else target_height - top - h
    left = left_padding if left_padding is not None else target_width - right_padding - w
    right = right_padding if right_padding is not None else target_width - left - w
    return np.pad(x, ((0, 0), (top, bottom), (left, right), (0, 0)))


def rgb_to_grayscale(images):
    return np.asarray(images) @ np.array([[0.2989], [0.5870], [0.1140]])


def rgb_to_hsv(images):
    x = np.asarray(images, dtype="float64")
    out = np.zeros_like(x)
    for idx in np.ndindex(x.shape[:-1]):
        r, g, b = x[idx]
        v, lo = max(r, g, b), min(r, g, b)
        spread = v - lo
        s = spread / v if v > 0 else 0.0
        if spread <= 0:
            hue = 0.0
        elif r == v:
            hue = (g - b) / (6 * spread)
        elif g == v:
            hue = (b - r) / (6 * spread) + 2 / 6
        else:
            hue = (r - g) / (6 * spread) + 4 / 6
        out[idx] = (hue + 1 if hue < 0 else hue, s, v)
    return out


def hsv_to_rgb(images):
    x = np.asarray(images, dtype="float64")
    h, s, v = x[..., 0] * 6, x[..., 1], x[..., 2]
    r = np.clip(np.abs(h - 3) - 1, 0, 1)
    g = np.clip(2 - np.abs(h - 2), 0, 1)
    b = np.clip(2 - np.abs(h - 4), 0, 1)
    return np.stack([((1 - s) + s * ch) * v for ch in (r, g, b)], -1)


def gaussian_blur(images, kernel_size=(3, 3), sigma=(1.0, 1.0)):
    x = np.asarray(images, dtype="float64")
    kh, kw = kernel_size

    def g(size, s):
        d = np.arange(size) - (size - 1) / 2
        k = np.exp(-0.5 * (d / s) ** 2)
        return k / k.sum()

    kernel = np.outer(g(kw, sigma[1]), g(kh, sigma[0])).reshape(kh, kw)
    n, h, w, c = x.shape
    top, left = (kh - 1) // 2, (kw - 1) // 2
    padded = np.pad(x, ((0, 0), (top, kh - 1 - top), (left, kw - 1 - left), (0, 0)))
    out = np.zeros_like(x)
    for i in range(kh):
        for j in range(kw):
            out += kernel[i, j] * padded[:, i:i + h, j:j + w]
    return out


# -- windows (contract_image_windows.py) ---------------------------------------
__all__ += ["extract_patches", "extract_patches_3d", "sobel_edges", "ssim", "map_coordinates"]


def _windows(x, size, strides, padding):
    """Patches of a channels_last batch: (N, *out, prod(size) * C)."""
    spatial = x.shape[1:-1]
    strides = strides or size
    if padding == "same":
        outs = [-(-n // s) for n, s in zip(spatial, strides)]
        pads = [max((o - 1) * s + k - n, 0) for o, s, k, n in zip(outs, strides, size, spatial)]
        x = np.pad(x, [(0, 0)] + [(p // 2, p - p // 2) for p in pads] + [(0, 0)])
    else:
        outs = [(n - k) // s + 1 for n, k, s in zip(spatial, size, strides)]
    out = np.zeros((x.shape[0], *outs, int(np.prod(size)) * x.shape[-1]))
    for pos in np.ndindex(*outs):
        box = tuple(slice(p * s, p * s + k) for p, s, k in zip(pos, strides, size))
        out[(slice(None),) + pos] = x[(slice(None),) + box].reshape(x.shape[0], -1)
    return out


def extract_patches(images, size, strides=None, dilation_rate=1, padding="valid"):
    size = (size, size) if isinstance(size, int) else tuple(size)
    strides = (strides, strides) if isinstance(strides, int) else strides
    return _windows(np.asarray(images, "float64"), size, strides, padding)


def extract_patches_3d(volumes, size, strides=None, dilation_rate=1, padding="valid"):
    size = (size,) * 3 if isinstance(size, int) else tuple(size)
    strides = (strides,) * 3 if isinstance(strides, int) else strides
    return _windows(np.asarray(volumes, "float64"), size, strides, padding)


def sobel_edges(images):
    x = np.pad(np.asarray(images, "float64"), ((0, 0), (1, 1), (1, 1), (0, 0)), mode="reflect")
    h, w = x.shape[1] - 2, x.shape[2] - 2
    dy = np.array([[-1, -2, -1], [0, 0, 0], [1, 2, 1]], "float64")
    out = np.zeros(images.shape + (2,))
    for i in range(3):
        for j in range(3):
            window = x[:, i:i + h, j:j + w]
            out[..., 0] += dy[i, j] * window
            out[..., 1] += dy[j, i] * window
    return out


def ssim(image1, image2, max_val=1.0, filter_size=11, filter_sigma=1.5, k1=0.01, k2=0.03):
    a, b = np.asarray(image1, "float64"), np.asarray(image2, "float64")
    g = np.exp(-((np.arange(filter_size) - (filter_size - 1) / 2) ** 2) / (2 * filter_sigma ** 2))
    g = np.outer(g / g.sum(), g / g.sum())
    n, h, w, c = a.shape
    oh, ow = h - filter_size + 1, w - filter_size + 1

    def blur(t):
        out = np.zeros((n, oh, ow, c))
        for i in range(filter_size):
            for j in range(filter_size):
                out += g[i, j] * t[:, i:i + oh, j:j + ow]
        return out

    mu1, mu2 = blur(a), blur(b)
    s1, s2, s12 = blur(a * a) - mu1 ** 2, blur(b * b) - mu2 ** 2, blur(a * b) - mu1 * mu2
    c1, c2 = (k1 * max_val) ** 2, (k2 * max_val) ** 2
    value = ((2 * mu1 * mu2 + c1) * (2 * s12 + c2)) / ((mu1 ** 2 + mu2 ** 2 + c1) * (s1 + s2 + c2))
    return value.mean(axis=(1, 2, 3))


def map_coordinates(inputs, coordinates, order, fill_mode="constant", fill_value=0):
    x = np.asarray(inputs, "float64")
    coords = np.asarray(coordinates, "float64")
    out = np.zeros(coords.shape[1:])

    def fold(i, n):
        if fill_mode == "constant":
            return (min(max(i, 0), n - 1), 0 <= i < n)
        if fill_mode == "nearest":
            return min(max(i, 0), n - 1), True
        if fill_mode == "wrap":
            return i % n, True
        m = abs(i) % (2 * n)
        folded = m if m < n else 2 * n - m - (1 if fill_mode == "reflect" else 0)
        return min(folded, n - 1), True

    for pos in np.ndindex(*coords.shape[1:]):
        point = coords[(slice(None),) + pos]
        if order == 0:
            taps = [[(int(np.round(p)), 1.0)] for p in point]
        else:
            taps = [[(int(np.floor(p)), 1 - (p - np.floor(p))),
                     (int(np.floor(p)) + 1, p - np.floor(p))] for p in point]
        total = 0.0
        for combo in itertools.product(*taps):
            index, ok, weight = [], True, 1.0
            for (i, w), n in zip(combo, x.shape):
                j, valid = fold(i, n)
                index.append(j)
                ok = ok and valid
                weight *= w
            total += weight * (x[tuple(index)] if ok else fill_value)
        out[pos] = total
    return out


__all__ += ["perspective_transform"]


def perspective_transform(images, start_points, end_points, interpolation="bilinear",
                          fill_value=0):
    start = np.asarray(start_points, "float64").reshape(-1, 4, 2)
    end = np.asarray(end_points, "float64").reshape(-1, 4, 2)
    transforms = []
    for s, e in zip(start, end):  # the homography taking end points to start points
        rows, rhs = [], []
        for (sx, sy), (ex, ey) in zip(s, e):
            rows.append([ex, ey, 1, 0, 0, 0, -sx * ex, -sx * ey])
            rows.append([0, 0, 0, ex, ey, 1, -sy * ex, -sy * ey])
            rhs += [sx, sy]
        transforms.append(np.linalg.solve(np.array(rows), np.array(rhs)))
    return affine_transform(images, np.array(transforms), interpolation, "constant",
                            fill_value)


__all__ += ["scale_and_translate"]


def scale_and_translate(images, output_shape, scale, translation, spatial_dims, method,
                        antialias=True):
    x = np.asarray(images, "float64")

    def kernel(d):
        if method in ("linear", "bilinear", "trilinear", "triangle"):
            return max(0.0, 1 - d)
        if method in ("cubic", "bicubic", "tricubic"):
            return _keys(d)
        radius = 3.0 if method == "lanczos3" else 5.0
        if d > radius:
            return 0.0
        return 1.0 if d <= 1e-3 else radius * math.sin(math.pi * d) * math.sin(
            math.pi * d / radius) / (math.pi * d) ** 2

    for i, dim in enumerate(spatial_dims):
        n_in, n_out = x.shape[dim], output_shape[dim]
        s, t = float(scale[i]), float(translation[i])
        widen = max(1 / s, 1.0) if antialias else 1.0
        w = np.zeros((n_in, n_out))
        for o in range(n_out):
            centre = (o + 0.5 - t) / s - 0.5
            if not -0.5 <= centre <= n_in - 0.5:
                continue
            column = np.array([kernel(abs(centre - k) / widen) for k in range(n_in)])
            if abs(column.sum()) > 1000 * np.finfo(np.float32).eps:
                w[:, o] = column / column.sum()
        x = np.moveaxis(np.tensordot(x, w, axes=([dim], [0])), -1, dim)
    return x
