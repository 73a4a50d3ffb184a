"""The window operations of `keras.ops.image` (patches, Sobel edges, SSIM)
and `map_coordinates`, declared with `namespace="image"`.

Composites: patches are a convolution with an identity kernel (each output
channel copies one pixel of the window, as Keras computes them), Sobel edges
and SSIM are depthwise convolutions with fixed kernels, and map_coordinates
gathers with `take` and blends with arithmetic.
"""
import itertools

import numpy as np

from kerasx.backend import image_sampling as sampling
from kerasx.backend.contract_image import _FLOATS, _check_rank, _to_nhwc
from kerasx.backend.op_roles import composite

MAP_FILL_MODES = ("constant", "nearest", "wrap", "mirror", "reflect")
SCALE_AND_TRANSLATE_METHODS = {"linear": "linear", "bilinear": "linear",
                               "trilinear": "linear", "triangle": "linear",
                               "cubic": "cubic", "bicubic": "cubic", "tricubic": "cubic",
                               "lanczos3": "lanczos3", "lanczos5": "lanczos5"}


def _tuple(value, n, name):
    if isinstance(value, int):
        return (value,) * n
    if len(value) != n:
        raise TypeError(f"Invalid `{name}` argument. Expected an int or a tuple of length "
                        f"{n}. Received: {name}={value}")
    return tuple(int(v) for v in value)


def _patches(ops, x, size, strides, dilation_rate, padding, data_format, spatial):
    """Patches of a batched `x` by a convolution with the identity kernel
    (window laid out (*size, channels), flattened in that order)."""
    channels = ops.shape(x)[-1 if data_format == "channels_last" else 1]
    out_dim = int(np.prod(size)) * channels
    kernel = np.eye(out_dim).reshape(tuple(size) + (channels, out_dim))
    return ops.conv(x, ops.convert_to_tensor(kernel, ops.dtype(x)),
                    strides if strides else size, padding, data_format, dilation_rate)


def _reflect_pad_1(ops, x, axis):
    # TensorFlow's REFLECT padding by one pixel (the edge is not repeated).
    n = ops.shape(x)[axis]
    first = ops.take(x, ops.convert_to_tensor([1], "int32"), axis=axis)
    last = ops.take(x, ops.convert_to_tensor([n - 2], "int32"), axis=axis)
    return ops.concatenate([first, x, last], axis=axis)


class ImageWindowContract:
    """Patches, Sobel edges, SSIM and map_coordinates (mixed into `Backend`)."""

    @composite(tensors=("images",), namespace="image")
    def extract_patches(self, images, size, strides=None, dilation_rate=1, padding="valid",
                        data_format=None):
        """Patches of `size` (int or (height, width)) of images (rank 3 or
        4), flattened into the channel axis in (row, column, channel) order;
        `strides` default to `size`. A 3-tuple `size` extracts 3-D patches
        (`extract_patches_3d`).

        Raises:
            TypeError: a `size` of another length.
        """
        if not isinstance(size, int) and len(size) == 3:
            return self.extract_patches_3d(images, size, strides, dilation_rate, padding,
                                           data_format)
        data_format = sampling.standardize_data_format(data_format)
        size = _tuple(size, 2, "size")
        unbatched = len(self.shape(images)) == 3
        x = self.expand_dims(images, 0) if unbatched else images
        out = _patches(self, x, size, strides, dilation_rate, padding, data_format, 2)
        return self.squeeze(out, 0) if unbatched else out

    @composite(tensors=("volumes",), namespace="image")
    def extract_patches_3d(self, volumes, size, strides=None, dilation_rate=1,
                           padding="valid", data_format=None):
        """Patches of `size` (int or (depth, height, width)) of volumes (rank
        4 or 5), flattened into the channel axis; `strides` default to `size`.

        Raises:
            TypeError, ValueError: a `size` or `strides` of another length.
        """
        data_format = sampling.standardize_data_format(data_format)
        size = _tuple(size, 3, "size")
        strides = size if strides is None else strides
        if not isinstance(strides, int) and len(strides) != 3:
            raise ValueError(f"Invalid `strides` argument. Got: {strides}")
        unbatched = len(self.shape(volumes)) == 4
        x = self.expand_dims(volumes, 0) if unbatched else volumes
        out = _patches(self, x, size, strides, dilation_rate, padding, data_format, 3)
        return self.squeeze(out, 0) if unbatched else out

    @composite(tensors=("images",), namespace="image")
    def sobel_edges(self, images, data_format=None):
        """Sobel gradients of each channel, as tf.image.sobel_edges:
        (N, H, W, C, 2) holding (d/dy, d/dx) (channels_first: (N, C, H, W, 2)),
        the image reflected by one pixel at its borders."""
        channels_first = data_format == "channels_first"
        x = self.transpose(images, (0, 2, 3, 1)) if channels_first else images
        channels = self.shape(x)[-1]
        x = _reflect_pad_1(self, _reflect_pad_1(self, x, 1), 2)
        dy = np.array([[-1, -2, -1], [0, 0, 0], [1, 2, 1]], "float64")
        kernel = np.zeros((3, 3, 1, 2 * channels))
        kernel[:, :, 0, 0::2] = dy[:, :, None]
        kernel[:, :, 0, 1::2] = dy.T[:, :, None]
        out = self.conv(x, self.convert_to_tensor(kernel, self.dtype(x)), 1, "valid",
                        "channels_last")
        n, h, w, _ = self.shape(out)
        out = self.reshape(out, (n, h, w, channels, 2))
        return self.transpose(out, (0, 3, 1, 2, 4)) if channels_first else out

    @composite(tensors=("image1", "image2"), namespace="image")
    def ssim(self, image1, image2, max_val=1.0, filter_size=11, filter_sigma=1.5, k1=0.01,
             k2=0.03, data_format=None):
        """Structural similarity of two images (or batches), averaged over
        the valid positions of a Gaussian window (`filter_size`,
        `filter_sigma`) and the channels, as Keras's ssim.

        Raises:
            ValueError: a rank other than 3 or 4.
        """
        data_format = sampling.standardize_data_format(data_format)
        _check_rank(self.shape(image1), "image1")
        _check_rank(self.shape(image2), "image2")
        dtype = self.dtype(image1)
        compute = dtype if dtype in ("float32", "float64") else "float32"
        a, unbatched = _to_nhwc(self, self.cast(image1, compute), data_format)
        b, _ = _to_nhwc(self, self.cast(image2, compute), data_format)
        n, h, w, c = self.shape(a)
        g = np.arange(filter_size) - (filter_size - 1) / 2.0
        g = np.exp(-(g ** 2) / (2.0 * filter_sigma ** 2))
        g = g / g.sum()
        kernel = self.convert_to_tensor(np.outer(g, g)[:, :, None, None], compute)

        def blur(t):  # each channel on its own, "valid"
            t = self.reshape(self.transpose(t, (0, 3, 1, 2)), (n * c, h, w, 1))
            return self.conv(t, kernel, 1, "valid", "channels_last")

        mu1, mu2 = blur(a), blur(b)
        mu1_sq, mu2_sq, mu12 = (self.multiply(mu1, mu1), self.multiply(mu2, mu2),
                                self.multiply(mu1, mu2))
        s1 = self.subtract(blur(self.multiply(a, a)), mu1_sq)
        s2 = self.subtract(blur(self.multiply(b, b)), mu2_sq)
        s12 = self.subtract(blur(self.multiply(a, b)), mu12)
        c1, c2 = (k1 * max_val) ** 2, (k2 * max_val) ** 2
        num = self.multiply(self.add(self.multiply(mu12, 2.0), c1),
                            self.add(self.multiply(s12, 2.0), c2))
        den = self.multiply(self.add(self.add(mu1_sq, mu2_sq), c1),
                            self.add(self.add(s1, s2), c2))
        per_channel = self.mean(self.divide(num, den), axis=(1, 2, 3))
        out = self.mean(self.reshape(per_channel, (n, c)), axis=-1)
        if unbatched:
            out = self.squeeze(out, 0)
        return out if self.dtype(out) == dtype else self.cast(out, dtype)

    @composite(tensors=("images", "scale", "translation"), namespace="image")
    def scale_and_translate(self, images, output_shape, scale, translation, spatial_dims,
                            method, antialias=True):
        """Resample `images` to `output_shape` along `spatial_dims` with
        per-dimension `scale` and `translation` (tensors: an output point y
        samples the input at (y + 0.5 - translation) / scale - 0.5), as
        jax.image.scale_and_translate: method "linear" (or "bilinear",
        "trilinear", "triangle"), "cubic" (Keys, a = -0.5; or "bicubic",
        "tricubic"), "lanczos3", "lanczos5"; `antialias` widens the kernel
        when downscaling. Integer images are rounded and clipped to their
        range.

        Raises:
            ValueError: an unknown method.
        """
        if method not in SCALE_AND_TRANSLATE_METHODS:
            raise ValueError("Invalid value for argument `method`. Expected of one "
                             f"{set(SCALE_AND_TRANSLATE_METHODS)}. Received: method={method}")
        kernel = SCALE_AND_TRANSLATE_METHODS[method]
        dtype = self.dtype(images)
        out = images if dtype in _FLOATS else self.cast(images, "float32")
        wdtype = "float64" if "float64" in (self.dtype(scale), self.dtype(translation)) \
            else "float32"
        scale, translation = self.cast(scale, wdtype), self.cast(translation, wdtype)
        rank = len(self.shape(images))
        for i, d in enumerate(spatial_dims):
            d = d % rank
            w = _weight_matrix(self, self.shape(out)[d], int(output_shape[d]),
                               self.reshape(self.slice(scale, (i,), (1,)), ()),
                               self.reshape(self.slice(translation, (i,), (1,)), ()),
                               kernel, antialias, wdtype)
            order = [a for a in range(rank) if a != d] + [d]
            moved = self.matmul(self.transpose(out, order), self.cast(w, self.dtype(out)))
            back = list(range(rank - 1))
            back.insert(d, rank - 1)
            out = self.transpose(moved, back)
        if dtype not in _FLOATS:
            out = self.minimum(self.maximum(self.round(out),
                                            self.cast(self.min(images), "float32")),
                               self.cast(self.max(images), "float32"))
            out = self.cast(out, dtype)
        return out

    @composite(tensors=("inputs", "coordinates"), namespace="image")
    def map_coordinates(self, inputs, coordinates, order, fill_mode="constant",
                        fill_value=0):
        """Sample `inputs` (rank r) at `coordinates` (r, ...), as Keras's
        (scipy's ndimage.map_coordinates without its boundary bug): order 0
        (nearest, ties to even) or 1 (linear); out-of-range points follow
        `fill_mode` ("constant" with `fill_value`, "nearest", "wrap",
        "mirror", "reflect"). Integer inputs are rounded back.

        Raises:
            ValueError: mismatched ranks or an unknown fill mode.
            NotImplementedError: order above 1.
        """
        shape = tuple(self.shape(inputs))
        cshape = tuple(self.shape(coordinates))
        if cshape[0] != len(shape):
            raise ValueError("First dim of `coordinates` must be the same as the rank of "
                             f"`inputs`. Received inputs with shape: {shape} and "
                             f"coordinate leading dim of {cshape[0]}")
        if len(cshape) < 2:
            raise ValueError("Invalid coordinates rank: expected at least rank 2. "
                             f"Received input with shape: {cshape}")
        if fill_mode not in MAP_FILL_MODES:
            raise ValueError("Invalid value for argument `fill_mode`. Expected one of "
                             f"{set(MAP_FILL_MODES)}. Received: fill_mode={fill_mode}")
        if order not in (0, 1):
            raise NotImplementedError("map_coordinates currently requires order<=1")
        cdtype = self.dtype(coordinates)
        coords = coordinates if cdtype in _FLOATS else self.cast(coordinates, "float32")
        axes = self.split(coords, len(shape), axis=0)
        nodes = []
        for axis_coords, size in zip(axes, shape):
            c = self.squeeze(axis_coords, 0)
            if order == 0:
                nodes.append([(self.round(c), None)])
            else:
                low = self.floor(c)
                upper = self.subtract(c, low)
                nodes.append([(low, self.subtract(1.0, upper)), (self.add(low, 1.0), upper)])
        strides = [int(np.prod(shape[i + 1:])) for i in range(len(shape))]
        flat = self.reshape(inputs, (-1,))
        out = None
        for combo in itertools.product(*nodes):
            index, valid, weight = None, None, None
            for (position, w), size, stride in zip(combo, shape, strides):
                position, ok = _fold(self, position, size, fill_mode)
                term = self.multiply(self.cast(position, "int32"), stride)
                index = term if index is None else self.add(index, term)
                if ok is not None:
                    valid = ok if valid is None else self.logical_and(valid, ok)
                if w is not None:
                    weight = w if weight is None else self.multiply(weight, w)
            value = self.take(flat, index)
            value = self.cast(value, self.dtype(coords)) if self.dtype(value) != \
                self.dtype(coords) else value
            if valid is not None:
                value = self.where(valid, value, self.cast(
                    self.full((), float(fill_value), "float32"), self.dtype(value)))
            if weight is not None:
                value = self.multiply(weight, value)
            out = value if out is None else self.add(out, value)
        dtype = self.dtype(inputs)
        if dtype not in _FLOATS:
            out = self.round(out)
        return out if self.dtype(out) == dtype else self.cast(out, dtype)


def _fold(ops, position, size, fill_mode):
    """(index inside [0, size), validity or None) of an integer-valued float
    position, by `fill_mode` (Keras's map_coordinates rules)."""
    last = float(size - 1)

    def mod(a, n):
        return ops.subtract(a, ops.multiply(ops.floor(ops.divide(a, float(n))), float(n)))

    if fill_mode == "constant":
        valid = ops.logical_and(ops.greater_equal(position, 0.0),
                                ops.less(position, float(size)))
        return ops.clip(position, 0.0, last), valid
    if fill_mode == "nearest":
        return ops.clip(position, 0.0, last), None
    if fill_mode == "wrap":
        return mod(position, size), None
    m = mod(ops.abs(position), 2 * size)
    under = ops.less(m, float(size))
    folded = ops.where(under, m, ops.subtract(float(2 * size), m))
    if fill_mode == "reflect":
        folded = ops.where(under, folded, ops.subtract(folded, 1.0))
    return ops.clip(folded, 0.0, last), None


def _scale_kernel(ops, name, x):
    """The 1-D kernels of scale_and_translate at |distance| `x`."""
    if name == "linear":
        return ops.maximum(ops.subtract(1.0, x), 0.0)
    if name == "cubic":
        near = ops.add(ops.multiply(ops.multiply(ops.subtract(ops.multiply(x, 1.5), 2.5), x), x),
                       1.0)
        far = ops.add(ops.multiply(ops.subtract(ops.multiply(
            ops.add(ops.multiply(x, -0.5), 2.5), x), 4.0), x), 2.0)
        out = ops.where(ops.greater_equal(x, 1.0), far, near)
        return ops.where(ops.greater_equal(x, 2.0), ops.zeros_like(x), out)
    radius = 3.0 if name == "lanczos3" else 5.0
    px = ops.multiply(x, float(np.pi))
    y = ops.multiply(ops.multiply(ops.sin(px), ops.sin(ops.divide(px, radius))), radius)
    safe = ops.where(ops.equal(x, 0.0), ops.ones_like(x), ops.multiply(px, px))
    out = ops.where(ops.greater(x, 1e-3), ops.divide(y, safe), ops.ones_like(x))
    return ops.where(ops.greater(x, radius), ops.zeros_like(x), out)


def _weight_matrix(ops, size_in, size_out, scale, translation, kernel, antialias, dtype):
    """(size_in, size_out) weights of one dimension (Keras's / jax's rule),
    computed on the device from the scale and translation tensors."""
    inv_scale = ops.divide(1.0, scale)
    kernel_scale = ops.maximum(inv_scale, 1.0) if antialias else 1.0
    sample = ops.subtract(ops.subtract(
        ops.multiply(ops.add(ops.arange(0, size_out, 1, dtype), 0.5), inv_scale),
        ops.multiply(translation, inv_scale)), 0.5)
    source = ops.reshape(ops.arange(0, size_in, 1, dtype), (size_in, 1))
    x = ops.divide(ops.abs(ops.subtract(ops.reshape(sample, (1, size_out)), source)),
                   kernel_scale)
    weights = _scale_kernel(ops, kernel, x)
    total = ops.sum(weights, axis=0, keepdims=True)
    normalised = ops.divide(weights, ops.where(ops.equal(total, 0.0), ops.ones_like(total),
                                               total))
    weights = ops.where(ops.greater(ops.abs(total), 1000.0 * float(np.finfo(np.float32).eps)),
                        normalised, ops.zeros_like(weights))
    inside = ops.logical_and(ops.greater_equal(sample, -0.5),
                             ops.less_equal(sample, size_in - 0.5))
    return ops.where(ops.reshape(inside, (1, size_out)), weights, ops.zeros_like(weights))
