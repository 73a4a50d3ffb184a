"""The random function of keras.ops.image, `elastic_transform`, written in
the front end: kerasx keeps randomness out of the contract (its noise comes
from the portable generator), and the warp is the contract's
`gaussian_blur` and `map_coordinates`."""

import numpy as np

from kerasx.backend import get_ops
from kerasx.backend.image_sampling import AFFINE_FILL_MODES, AFFINE_INTERPOLATIONS
from kerasx.backend.image_sampling import standardize_data_format
from kerasx.ops.dispatch import convert_to_tensor
from kerasx.random.host_draws import host_tensor
from kerasx.random.seed_generator import draw_generator


def check_elastic_arguments(interpolation, fill_mode):
    """Keras's errors for elastic_transform's choices.

    Raises:
        ValueError: an unknown interpolation or fill mode.
    """
    if interpolation not in AFFINE_INTERPOLATIONS:
        raise ValueError("Invalid value for argument `interpolation`. Expected of one "
                         f"{AFFINE_INTERPOLATIONS}. Received: interpolation={interpolation}")
    if fill_mode not in AFFINE_FILL_MODES:
        raise ValueError("Invalid value for argument `fill_mode`. Expected of one "
                         f"{AFFINE_FILL_MODES}. Received: fill_mode={fill_mode}")


def gaussian_blur_host(fields, sigma):
    """`fields` (..., H, W) blurred on the host with Keras's elastic kernel
    (size 6 int(sigma) | 1, zero padding), separably (NumPy float64)."""
    size = 6 * int(sigma) | 1
    d = np.arange(size) - (size - 1) / 2
    k = np.exp(-0.5 * (d / float(sigma)) ** 2)
    k = k / k.sum()
    half = (size - 1) // 2
    out = np.asarray(fields, "float64")
    for axis in (-2, -1):
        pad = [(0, 0)] * out.ndim
        pad[axis] = (half, half)
        padded = np.pad(out, pad)
        length = out.shape[axis]
        out = sum(k[i] * np.take(padded, np.arange(i, i + length), axis=axis)
                  for i in range(size))
    return out


def elastic_warp(ops, images, displacement, interpolation, fill_mode, fill_value,
                 data_format):
    """Resample a batch at each pixel moved by `displacement` (2, N, H, W):
    (dy, dx) in pixels, as Keras's elastic_transform (map_coordinates'
    fill rules)."""
    channels_last = data_format == "channels_last"
    shape = tuple(ops.shape(images))
    n, c = shape[0], shape[-1] if channels_last else shape[1]
    h, w = (shape[1], shape[2]) if channels_last else (shape[2], shape[3])
    dtype = ops.dtype(images)
    dy, dx = ops.split(ops.cast(displacement, dtype), 2, axis=0)
    y = ops.add(ops.reshape(ops.arange(0, h, 1, dtype), (1, 1, h, 1)), dy)
    x = ops.add(ops.reshape(ops.arange(0, w, 1, dtype), (1, 1, 1, w)), dx)
    # Sample all (image, channel) pairs at once: integer coordinates on the
    # batch and channel axes, the displaced ones on the spatial axes.
    x4 = images if channels_last else ops.transpose(images, (0, 2, 3, 1))
    full = (n, h, w, c)

    def spread(t):
        return ops.broadcast_to(ops.reshape(t, (n, h, w, 1)), full)

    batch = ops.broadcast_to(ops.reshape(ops.arange(0, n, 1, dtype), (n, 1, 1, 1)), full)
    channel = ops.broadcast_to(ops.reshape(ops.arange(0, c, 1, dtype), (1, 1, 1, c)), full)
    coordinates = ops.stack([batch, spread(y), spread(x), channel], axis=0)
    order = AFFINE_INTERPOLATIONS.index(interpolation)
    out = ops.map_coordinates(x4, coordinates, order, fill_mode, fill_value)
    return out if channels_last else ops.transpose(out, (0, 3, 1, 2))


def elastic_transform(images, alpha=20.0, sigma=5.0, interpolation="bilinear",
                      fill_mode="reflect", fill_value=0.0, seed=None, data_format=None):
    """Elastic deformation of images, as keras.ops.image.elastic_transform:
    each pixel moves by `alpha` times Gaussian noise blurred with `sigma`
    (one field per image; kerasx draws the x and y fields independently from
    the portable generator, so one seed deforms alike on every backend).

    Args:
        images: rank 3 or 4.
        alpha, sigma: the displacement's scale and smoothness (Python numbers).
        interpolation: "bilinear" or "nearest".
        fill_mode: "constant", "nearest", "wrap" or "reflect" (map_coordinates'
            rules); fill_value for "constant".
        seed: int, SeedGenerator or None (the global generator).
        data_format: "channels_last" or "channels_first".

    Raises:
        ValueError: a bad interpolation, fill mode or rank.
    """
    check_elastic_arguments(interpolation, fill_mode)
    data_format = standardize_data_format(data_format)
    ops = get_ops()
    images = convert_to_tensor(images)
    if len(ops.shape(images)) not in (3, 4):
        raise ValueError("Invalid images rank: expected rank 3 (single image) or rank 4 "
                         "(batch of images). Received input with shape: "
                         f"images.shape={tuple(ops.shape(images))}")
    unbatched = len(ops.shape(images)) == 3
    x = ops.expand_dims(images, 0) if unbatched else images
    shape = tuple(ops.shape(x))
    n, (h, w) = shape[0], (shape[1:3] if data_format == "channels_last" else shape[2:4])
    size = 6 * int(sigma) | 1
    noise = host_tensor(lambda: draw_generator(seed).standard_normal((2 * n, h, w, 1)) *
                        float(sigma), ops.dtype(x))
    blurred = ops.gaussian_blur(noise, (size, size), (float(sigma), float(sigma)),
                                "channels_last")
    displacement = ops.multiply(ops.reshape(blurred, (2, n, h, w)), float(alpha))
    out = elastic_warp(ops, x, displacement, interpolation, fill_mode, fill_value,
                       data_format)
    return ops.squeeze(out, 0) if unbatched else out


__all__ = ["elastic_transform"]
