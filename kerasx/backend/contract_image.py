"""The image operations of the contract (`keras.ops.image`), declared with
`namespace="image"`.

All are composites: resizing is a matrix product per spatial axis with
weights built on the host (`kerasx.backend.image_sampling`), sampling
(affine transforms) gathers with `take` and blends with arithmetic, colour
conversions are element-wise. So every backend applies the same formula, and
the numbers follow TensorFlow's kernels (`tf.image.resize`,
`ImageProjectiveTransformV3`, `rgb_to_hsv`...), which Keras's TensorFlow
backend calls.
"""
import numpy as np

from kerasx.backend import image_sampling as sampling
from kerasx.backend.op_roles import composite

_FLOATS = ("float16", "float32", "float64")


def _check_rank(shape, name="images"):
    if len(shape) not in (3, 4):
        raise ValueError(f"Invalid {name} rank: expected rank 3 (single image) or rank 4 "
                         f"(batch of images). Received input with shape: "
                         f"{name}.shape={tuple(shape)}")


def _to_nhwc(ops, images, data_format):
    """`images` as a batch in channels_last, and whether it was unbatched."""
    unbatched = len(ops.shape(images)) == 3
    if unbatched:
        images = ops.expand_dims(images, 0)
    if data_format == "channels_first":
        images = ops.transpose(images, (0, 2, 3, 1))
    return images, unbatched


def _from_nhwc(ops, images, data_format, unbatched):
    if data_format == "channels_first":
        images = ops.transpose(images, (0, 3, 1, 2))
    return ops.squeeze(images, 0) if unbatched else images


def _round_half_away(ops, x):
    # std::round, as TensorFlow's nearest sampling (not round-half-to-even).
    return ops.multiply(ops.sign(x), ops.floor(ops.add(ops.abs(x), 0.5)))


def _map_coordinate(ops, coord, length, fill_mode):
    """TensorFlow's MapCoordinate: fold an out-of-image sampling coordinate
    (float32) back inside by `fill_mode` ("constant" leaves it outside)."""
    if fill_mode == "constant":
        return coord
    last = float(length - 1)
    if length <= 1:
        return ops.zeros_like(coord)
    if fill_mode == "reflect":
        size2 = float(2 * length)
        low = ops.add(coord, ops.multiply(ops.floor(ops.divide(ops.negative(coord), size2)),
                                          size2))
        low = ops.where(ops.less(low, -float(length)), ops.add(low, size2),
                        ops.subtract(ops.negative(low), 1.0))
        high = ops.subtract(coord, ops.multiply(ops.floor(ops.divide(coord, size2)), size2))
        high = ops.where(ops.greater_equal(high, float(length)),
                         ops.subtract(size2 - 1.0, high), high)
    elif fill_mode == "wrap":
        size = float(length - 1)
        low = ops.add(coord, ops.multiply(
            ops.add(ops.floor(ops.divide(ops.negative(coord), size)), 1.0), float(length)))
        high = ops.subtract(coord, ops.multiply(ops.floor(ops.divide(coord, size)),
                                                float(length)))
    else:  # "nearest"
        low, high = coord, coord
    coord = ops.where(ops.less(coord, 0.0), low,
                      ops.where(ops.greater(coord, last), high, coord))
    return ops.clip(coord, 0.0, last)


def _read(ops, flat, batch_offset, y, x, height, width, fill):
    """Pixels of `flat` (N*H*W, C) at integer-valued float coordinates (y, x)
    of shape (N, H', W'); `fill` where they fall outside the image."""
    inside = ops.logical_and(
        ops.logical_and(ops.greater_equal(y, 0.0), ops.less(y, float(height))),
        ops.logical_and(ops.greater_equal(x, 0.0), ops.less(x, float(width))))
    yi = ops.cast(ops.clip(y, 0.0, float(height - 1)), "int32")
    xi = ops.cast(ops.clip(x, 0.0, float(width - 1)), "int32")
    index = ops.add(ops.add(batch_offset, ops.multiply(yi, width)), xi)
    values = ops.take(flat, index, axis=0)
    return ops.where(ops.expand_dims(inside, -1), values,
                     ops.cast(ops.full((), fill, "float32"), ops.dtype(values)))


class ImageContract:
    """The `keras.ops.image` operations (mixed into `Backend`)."""

    @composite(tensors=("images",), namespace="image")
    def resize(self, images, size, interpolation="bilinear", antialias=False,
               crop_to_aspect_ratio=False, pad_to_aspect_ratio=False,
               fill_mode="constant", fill_value=0.0, data_format=None):
        """Resize images to `size` (height, width), as `tf.image.resize`
        (half-pixel centres): interpolation "bilinear", "nearest", "bicubic"
        (Keys, a = -0.5), "area", "lanczos3", "lanczos5"; `antialias` widens
        the kernel when downsampling. `crop_to_aspect_ratio` first crops the
        centred box of the target's aspect ratio; `pad_to_aspect_ratio` pads
        with `fill_value` to it. The result keeps the images' dtype (integers
        are interpolated in float32, rounded half to even and saturated, as
        Keras).

        Raises:
            ValueError: for a bad interpolation, fill_mode, size or rank, or
                both aspect-ratio options.
        """
        data_format = sampling.standardize_data_format(data_format)
        if interpolation not in sampling.RESIZE_INTERPOLATIONS:
            raise ValueError("Invalid value for argument `interpolation`. Expected of one "
                             f"{sampling.RESIZE_INTERPOLATIONS}. Received: "
                             f"interpolation={interpolation}")
        if fill_mode != "constant":
            raise ValueError("Invalid value for argument `fill_mode`. Only `'constant'` is "
                             f"supported. Received: fill_mode={fill_mode}")
        if pad_to_aspect_ratio and crop_to_aspect_ratio:
            raise ValueError("Only one of `pad_to_aspect_ratio` & `crop_to_aspect_ratio` "
                             "can be `True`.")
        if len(size) != 2:
            raise ValueError("Argument `size` must be a tuple of two elements (height, "
                             f"width). Received: size={size}")
        _check_rank(self.shape(images))
        out_h, out_w = int(size[0]), int(size[1])
        x, unbatched = _to_nhwc(self, images, data_format)
        _, height, width, _ = self.shape(x)
        if crop_to_aspect_ratio:
            box_h, box_w, top, left = sampling.aspect_ratio_box(height, width, out_h, out_w,
                                                                "crop")
            x = self.slice(x, (0, top, left, 0), (self.shape(x)[0], box_h, box_w,
                                                   self.shape(x)[3]))
        elif pad_to_aspect_ratio:
            _, _, top, left = sampling.aspect_ratio_box(height, width, out_h, out_w, "pad")
            x = self.pad(x, ((0, 0), (top, top), (left, left), (0, 0)),
                         constant_values=fill_value)
        _, height, width, _ = self.shape(x)
        if interpolation == "nearest":
            if (height, width) != (out_h, out_w):
                x = self.take(x, self.convert_to_tensor(
                    sampling.nearest_indices(height, out_h)), axis=1)
                x = self.take(x, self.convert_to_tensor(
                    sampling.nearest_indices(width, out_w)), axis=2)
            return _from_nhwc(self, x, data_format, unbatched)
        dtype = self.dtype(x)
        if dtype not in ("float32", "float64"):
            x = self.cast(x, "float32")
        rows = self.convert_to_tensor(
            sampling.resize_matrix(height, out_h, interpolation, antialias), self.dtype(x))
        cols = self.convert_to_tensor(
            sampling.resize_matrix(width, out_w, interpolation, antialias).T, self.dtype(x))
        x = self.transpose(x, (0, 3, 1, 2))          # (N, C, H, W): both axes last
        x = self.matmul(self.matmul(rows, x), cols)
        x = self.transpose(x, (0, 2, 3, 1))
        if dtype not in _FLOATS:  # Keras: integers rounded and saturated back
            info = np.iinfo(dtype)
            x = self.clip(self.round(x), float(info.min), float(info.max))
        if self.dtype(x) != dtype:
            x = self.cast(x, dtype)
        return _from_nhwc(self, x, data_format, unbatched)

    @composite(tensors=("images", "transform"), namespace="image")
    def affine_transform(self, images, transform, interpolation="bilinear",
                         fill_mode="constant", fill_value=0, data_format=None):
        """Apply projective transforms to images, as TensorFlow's
        ImageProjectiveTransformV3: `transform` (8,) or (N, 8)
        [a0, a1, a2, b0, b1, b2, c0, c1] maps each output pixel (x, y) to the
        input point ((a0 x + a1 y + a2) / k, (b0 x + b1 y + b2) / k) with
        k = c0 x + c1 y + 1. Points outside the image follow `fill_mode`
        ("constant": `fill_value`, "nearest", "wrap", "reflect");
        interpolation "bilinear" or "nearest". Coordinates are float32.

        Raises:
            ValueError: for a bad interpolation, fill mode or rank.
        """
        data_format = sampling.standardize_data_format(data_format)
        if interpolation not in sampling.AFFINE_INTERPOLATIONS:
            raise ValueError("Invalid value for argument `interpolation`. Expected of one "
                             f"{sampling.AFFINE_INTERPOLATIONS}. Received: "
                             f"interpolation={interpolation}")
        if fill_mode not in sampling.AFFINE_FILL_MODES:
            raise ValueError("Invalid value for argument `fill_mode`. Expected of one "
                             f"{sampling.AFFINE_FILL_MODES}. Received: fill_mode={fill_mode}")
        _check_rank(self.shape(images))
        if len(self.shape(transform)) not in (1, 2):
            raise ValueError("Invalid transform rank: expected rank 1 (single transform) or "
                             "rank 2 (batch of transforms). Received input with shape: "
                             f"transform.shape={tuple(self.shape(transform))}")
        x, unbatched = _to_nhwc(self, images, data_format)
        n, height, width, channels = self.shape(x)
        t = self.cast(transform, "float32")
        if len(self.shape(t)) == 1:
            t = self.expand_dims(t, 0)
        if self.shape(t)[0] != n:
            t = self.broadcast_to(t, (n, 8))
        a0, a1, a2, b0, b1, b2, c0, c1 = [self.reshape(self.slice(t, (0, i), (n, 1)),
                                                       (n, 1, 1)) for i in range(8)]
        ys = self.reshape(self.arange(0, height, 1, "float32"), (1, height, 1))
        xs = self.reshape(self.arange(0, width, 1, "float32"), (1, 1, width))
        k = self.add(self.add(self.multiply(c0, xs), self.multiply(c1, ys)), 1.0)
        degenerate = self.equal(k, 0.0)
        k = self.where(degenerate, self.ones_like(k), k)
        in_x = self.divide(self.add(self.add(self.multiply(a0, xs), self.multiply(a1, ys)),
                                    a2), k)
        in_y = self.divide(self.add(self.add(self.multiply(b0, xs), self.multiply(b1, ys)),
                                    b2), k)
        in_x = _map_coordinate(self, in_x, width, fill_mode)
        in_y = _map_coordinate(self, in_y, height, fill_mode)
        flat = self.reshape(x, (n * height * width, channels))
        offset = self.reshape(self.arange(0, n * height * width, height * width, "int32"),
                              (n, 1, 1))
        fill = float(fill_value)
        if interpolation == "nearest":
            out = _read(self, flat, offset, _round_half_away(self, in_y),
                        _round_half_away(self, in_x), height, width, fill)
        else:
            y0, x0 = self.floor(in_y), self.floor(in_x)
            y1, x1 = self.add(y0, 1.0), self.add(x0, 1.0)

            def weight(w):
                return self.cast(self.expand_dims(w, -1), self.dtype(flat))

            def blend(y):
                left = _read(self, flat, offset, y, x0, height, width, fill)
                right = _read(self, flat, offset, y, x1, height, width, fill)
                return self.add(self.multiply(weight(self.subtract(x1, in_x)), left),
                                self.multiply(weight(self.subtract(in_x, x0)), right))

            out = self.add(self.multiply(weight(self.subtract(y1, in_y)), blend(y0)),
                           self.multiply(weight(self.subtract(in_y, y0)), blend(y1)))
        out = self.where(self.expand_dims(degenerate, -1),
                         self.cast(self.full((), fill, "float32"), self.dtype(out)), out)
        return _from_nhwc(self, out, data_format, unbatched)

    @composite(tensors=("images", "start_points", "end_points"), namespace="image")
    def perspective_transform(self, images, start_points, end_points,
                              interpolation="bilinear", fill_value=0, data_format=None):
        """Warp images so that the four `start_points` ((4, 2) or (N, 4, 2),
        (x, y) pixel coordinates) land on `end_points`: each output pixel
        samples the input through the homography mapping end points to start
        points (solved in closed form, in float64), then as
        `affine_transform` with constant filling.

        Raises:
            ValueError: points not of shape (4, 2) / (N, 4, 2) or not alike,
                a bad interpolation or rank.
        """
        start_shape, end_shape = tuple(self.shape(start_points)), tuple(self.shape(end_points))
        for name, shape in (("start_points", start_shape), ("end_points", end_shape)):
            if len(shape) not in (2, 3) or shape[-2:] != (4, 2):
                raise ValueError(f"Invalid {name} shape: expected (4,2) for a single image "
                                 f"or (N,4,2) for a batch. Received shape: {shape}")
        if start_shape != end_shape:
            raise ValueError("start_points and end_points must have the same shape. "
                             f"Received start_points.shape={start_shape}, "
                             f"end_points.shape={end_shape}")
        _check_rank(self.shape(images))
        start = self.cast(start_points, "float64")
        end = self.cast(end_points, "float64")
        if len(start_shape) == 2:
            start, end = self.expand_dims(start, 0), self.expand_dims(end, 0)
        # end -> unit square -> start: the square's maps in closed form
        # (Heckbert), the first inverted by its adjugate.
        to_start = _square_to_quad(self, start)
        to_end = _square_to_quad(self, end)
        h = _matmul3(self, to_start, _adjugate3(self, to_end))
        norm = h[8]
        coefficients = [self.divide(h[i], norm) for i in range(8)]
        transform = self.cast(self.stack(coefficients, axis=1), "float32")
        if len(self.shape(images)) == 3:
            transform = self.squeeze(transform, 0)
        return self.affine_transform(images, transform, interpolation, "constant",
                                     fill_value, data_format)

    @composite(tensors=("images",), namespace="image")
    def crop_images(self, images, top_cropping=None, left_cropping=None,
                    bottom_cropping=None, right_cropping=None, target_height=None,
                    target_width=None, data_format=None):
        """Crop images: give exactly two of top_cropping, bottom_cropping,
        target_height and two of left_cropping, right_cropping, target_width.

        Raises:
            ValueError: for a bad combination, a negative size, a bad rank.
        """
        data_format = sampling.standardize_data_format(data_format)
        _check_rank(self.shape(images))
        _check_two_of(("top_cropping", top_cropping), ("bottom_cropping", bottom_cropping),
                      ("target_height", target_height))
        _check_two_of(("left_cropping", left_cropping), ("right_cropping", right_cropping),
                      ("target_width", target_width))
        x, unbatched = _to_nhwc(self, images, data_format)
        n, height, width, channels = self.shape(x)
        if top_cropping is None:
            top_cropping = height - target_height - bottom_cropping
        if target_height is None:
            target_height = height - bottom_cropping - top_cropping
        if left_cropping is None:
            left_cropping = width - target_width - right_cropping
        if target_width is None:
            target_width = width - right_cropping - left_cropping
        for name, value in (("top_cropping", top_cropping), ("target_height", target_height),
                            ("left_cropping", left_cropping), ("target_width", target_width)):
            if value < 0:
                raise ValueError(f"{name} must be >= 0. Received: {name}={value}")
        if top_cropping + target_height > height or left_cropping + target_width > width:
            raise ValueError(f"The crop ({top_cropping}+{target_height} rows, {left_cropping}"
                             f"+{target_width} columns) exceeds the images' {height}x{width}.")
        x = self.slice(x, (0, top_cropping, left_cropping, 0),
                       (n, target_height, target_width, channels))
        return _from_nhwc(self, x, data_format, unbatched)

    @composite(tensors=("images",), namespace="image")
    def pad_images(self, images, top_padding=None, left_padding=None, bottom_padding=None,
                   right_padding=None, target_height=None, target_width=None,
                   data_format=None):
        """Pad images with zeros: give exactly two of top_padding,
        bottom_padding, target_height and two of left_padding, right_padding,
        target_width.

        Raises:
            ValueError: for a bad combination, a negative padding, a bad rank.
        """
        data_format = sampling.standardize_data_format(data_format)
        _check_rank(self.shape(images))
        _check_two_of(("top_padding", top_padding), ("bottom_padding", bottom_padding),
                      ("target_height", target_height))
        _check_two_of(("left_padding", left_padding), ("right_padding", right_padding),
                      ("target_width", target_width))
        x, unbatched = _to_nhwc(self, images, data_format)
        _, height, width, _ = self.shape(x)
        if top_padding is None:
            top_padding = target_height - bottom_padding - height
        if bottom_padding is None:
            bottom_padding = target_height - top_padding - height
        if left_padding is None:
            left_padding = target_width - right_padding - width
        if right_padding is None:
            right_padding = target_width - left_padding - width
        for name, value in (("top_padding", top_padding), ("bottom_padding", bottom_padding),
                            ("left_padding", left_padding), ("right_padding", right_padding)):
            if value < 0:
                raise ValueError(f"{name} must be >= 0. Received: {name}={value}")
        x = self.pad(x, ((0, 0), (top_padding, bottom_padding),
                         (left_padding, right_padding), (0, 0)))
        return _from_nhwc(self, x, data_format, unbatched)

    @composite(tensors=("images",), namespace="image")
    def rgb_to_grayscale(self, images, data_format=None):
        """Luma 0.2989 R + 0.5870 G + 0.1140 B, keeping a channel axis of 1
        and the images' dtype (integers are computed in float32, then cast
        back, as Keras). One-channel images are returned as they are.

        Raises:
            ValueError: for a rank other than 3 or 4, or 2 or 4+ channels.
        """
        data_format = sampling.standardize_data_format(data_format)
        _check_rank(self.shape(images))
        axis = -1 if data_format == "channels_last" else -3
        if self.shape(images)[axis] not in (1, 3):
            raise ValueError("Invalid channel size: expected 3 (RGB) or 1 (Grayscale). "
                             f"Received input with shape: images.shape="
                             f"{tuple(self.shape(images))}")
        if self.shape(images)[axis] == 1:
            return images
        dtype = self.dtype(images)
        x = images if dtype in _FLOATS else self.cast(images, "float32")
        weights = np.array([0.2989, 0.5870, 0.1140])
        shape = (3,) if axis == -1 else (3, 1, 1)
        w = self.convert_to_tensor(weights.reshape(shape), self.dtype(x))
        gray = self.sum(self.multiply(x, w), axis=axis, keepdims=True)
        return gray if dtype in _FLOATS else self.cast(gray, dtype)

    @composite(tensors=("images",), namespace="image")
    def rgb_to_hsv(self, images, data_format=None):
        """RGB in [0, 1] to HSV (hue in [0, 1)), as tf.image.rgb_to_hsv.

        Raises:
            ValueError: for a non-float dtype or a rank other than 3 or 4.
        """
        data_format = sampling.standardize_data_format(data_format)
        _check_color_input(self, images)
        axis = -1 if data_format == "channels_last" else -3
        r, g, b = self.split(images, 3, axis=axis)
        value = self.maximum(self.maximum(r, g), b)
        low = self.minimum(self.minimum(r, g), b)
        spread = self.subtract(value, low)
        positive = self.greater(value, 0.0)
        saturation = self.where(positive, self.divide(
            spread, self.where(positive, value, self.ones_like(value))), self.zeros_like(value))
        has_spread = self.greater(spread, 0.0)
        norm = self.divide(1.0 / 6.0, self.where(has_spread, spread, self.ones_like(spread)))
        hue = self.where(
            self.equal(r, value), self.multiply(norm, self.subtract(g, b)),
            self.where(self.equal(g, value),
                       self.add(self.multiply(norm, self.subtract(b, r)), 2.0 / 6.0),
                       self.add(self.multiply(norm, self.subtract(r, g)), 4.0 / 6.0)))
        hue = self.where(has_spread, hue, self.zeros_like(hue))
        hue = self.where(self.less(hue, 0.0), self.add(hue, 1.0), hue)
        return self.concatenate([hue, saturation, value], axis=axis)

    @composite(tensors=("images",), namespace="image")
    def hsv_to_rgb(self, images, data_format=None):
        """HSV (hue in [0, 1]) to RGB, as tf.image.hsv_to_rgb.

        Raises:
            ValueError: for a non-float dtype or a rank other than 3 or 4.
        """
        data_format = sampling.standardize_data_format(data_format)
        _check_color_input(self, images)
        axis = -1 if data_format == "channels_last" else -3
        h, s, v = self.split(images, 3, axis=axis)
        dh = self.multiply(h, 6.0)

        def channel(centre, sign):
            d = self.abs(self.subtract(dh, centre))
            d = self.subtract(d, 1.0) if sign > 0 else self.subtract(2.0, d)
            return self.clip(d, 0.0, 1.0)

        one_s = self.subtract(1.0, s)
        out = [self.multiply(self.add(one_s, self.multiply(s, d)), v)
               for d in (channel(3.0, 1), channel(2.0, -1), channel(4.0, -1))]
        return self.concatenate(out, axis=axis)

    @composite(tensors=("images",), namespace="image")
    def gaussian_blur(self, images, kernel_size=(3, 3), sigma=(1.0, 1.0), data_format=None):
        """Blur each channel with a Gaussian kernel (`kernel_size` and `sigma`
        per axis, Python numbers), "same" padding with zeros, as Keras.

        Raises:
            ValueError: for a rank other than 3 or 4.
        """
        data_format = sampling.standardize_data_format(data_format)
        _check_rank(self.shape(images))
        x, unbatched = _to_nhwc(self, images, data_format)
        channels = self.shape(x)[-1]
        kernel = sampling.gaussian_kernel(kernel_size, sigma)
        kernel = np.tile(kernel[:, :, None, None], (1, 1, 1, channels))  # depthwise
        out = self.conv(x, self.convert_to_tensor(kernel, self.dtype(x)), 1, "same",
                        "channels_last")
        return _from_nhwc(self, out, data_format, unbatched)


def _check_two_of(*named):
    if [value for _, value in named].count(None) != 1:
        names = ", ".join(name for name, _ in named)
        got = ", ".join(f"{name}={value}" for name, value in named)
        raise ValueError(f"Must specify exactly two of {names}. Received: {got}")
    for name, value in named:
        if value is not None and value < 0:
            raise ValueError(f"{name} must be >= 0. Received: {name}={value}")


def _check_color_input(ops, images):
    _check_rank(ops.shape(images))
    if ops.dtype(images) not in _FLOATS:
        raise ValueError("Invalid images dtype: expected float dtype. Received: "
                         f"images.dtype={ops.dtype(images)}")


def _square_to_quad(ops, points):
    """The 3x3 projective map (nine (N,) tensors, row-major) taking the unit
    square's corners (0,0), (1,0), (1,1), (0,1) to `points` (N, 4, 2)."""
    n = ops.shape(points)[0]
    xy = [ops.reshape(ops.slice(points, (0, i, j), (n, 1, 1)), (n,))
          for i in range(4) for j in range(2)]
    x0, y0, x1, y1, x2, y2, x3, y3 = xy
    sub, add, mul, div = ops.subtract, ops.add, ops.multiply, ops.divide
    sx = add(sub(x0, x1), sub(x2, x3))
    sy = add(sub(y0, y1), sub(y2, y3))
    dx1, dx2, dy1, dy2 = sub(x1, x2), sub(x3, x2), sub(y1, y2), sub(y3, y2)
    den = sub(mul(dx1, dy2), mul(dx2, dy1))
    g = div(sub(mul(sx, dy2), mul(dx2, sy)), den)
    h = div(sub(mul(dx1, sy), mul(sx, dy1)), den)
    a = add(sub(x1, x0), mul(g, x1))
    b = add(sub(x3, x0), mul(h, x3))
    d = add(sub(y1, y0), mul(g, y1))
    e = add(sub(y3, y0), mul(h, y3))
    return [a, b, x0, d, e, y0, g, h, ops.ones_like(g)]


def _adjugate3(ops, m):
    """The adjugate of a 3x3 map (its inverse up to scale)."""
    def minor(r0, c0, r1, c1):
        return ops.subtract(ops.multiply(m[3 * r0 + c0], m[3 * r1 + c1]),
                            ops.multiply(m[3 * r0 + c1], m[3 * r1 + c0]))

    return [minor(1, 1, 2, 2), minor(0, 2, 2, 1), minor(0, 1, 1, 2),
            minor(1, 2, 2, 0), minor(0, 0, 2, 2), minor(0, 2, 1, 0),
            minor(1, 0, 2, 1), minor(0, 1, 2, 0), minor(0, 0, 1, 1)]


def _matmul3(ops, a, b):
    return [ops.add(ops.add(ops.multiply(a[3 * r], b[c]), ops.multiply(a[3 * r + 1], b[3 + c])),
                    ops.multiply(a[3 * r + 2], b[6 + c]))
            for r in range(3) for c in range(3)]
