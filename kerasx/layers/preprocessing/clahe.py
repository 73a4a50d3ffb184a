"""ContrastLimitedAdaptiveHistogramEqualization (CLAHE), as
keras.layers.ContrastLimitedAdaptiveHistogramEqualization (Keras's module
is clahe.py too)."""
import numpy as np

from kerasx.layers.preprocessing.base_image_layer import (BaseImagePreprocessingLayer,
                                                          transform_value_range)

#: Histogram levels (values are binned as integers in [0, 255]).
_LEVELS = 256
#: Elements per one-hot block when counting a histogram (bounds memory).
_BLOCK = 1 << 24


def _grid(size, tile, tiles):
    """Host arrays over `size` padded pixels of one axis: the indices of the
    two neighbouring tile centres in the edge-padded grid of tiles + 2, and
    the weight of the second, in float32 as Keras computes them."""
    f32 = np.float32
    position = (np.arange(size, dtype=f32) - f32(tile / 2.0)) / f32(tile) + f32(1.0)
    first = np.floor(position)
    weight = position - first
    second = first + f32(1.0)
    return (np.clip(first, 0, tiles + 1).astype("int64"),
            np.clip(second, 0, tiles + 1).astype("int64"), weight)


class ContrastLimitedAdaptiveHistogramEqualization(BaseImagePreprocessingLayer):
    """Contrast limited adaptive histogram equalization, as Keras's layer of
    that name: each channel of each image is cut into a grid of tiles (the
    image padded symmetrically to a multiple of the grid); each tile's
    256-level histogram is clipped at clip_limit * tile pixels / 256, the
    excess spread evenly, and its normalised cumulative histogram maps the
    tile's levels to [0, 255]; each pixel is mapped through the four
    nearest tiles' maps, blended bilinearly. Applied in training and
    inference alike (as Keras). Integer images keep their dtype (the result
    truncated, as Keras casts it); float images become the layer's compute
    dtype. Usable in a model and in a tf.data map on every backend.

    Values are binned by truncation to integers after mapping `value_range`
    to [0, 255]. Histograms are counted with one-hot sums in blocks, so
    memory grows with the block, not with the image.

    Args:
        value_range: (min, max) of the input values (default (0, 255)).
        clip_limit: the contrast limit (default 4.0; 0 or less: no clipping).
        tile_grid_size: (rows, columns) of tiles (default (8, 8)).
        data_format: "channels_last" or "channels_first" (None: the global
            image data format).

    Input shape: (height, width, channels) or (batch, height, width,
    channels), channels first for "channels_first"; height, width and
    channels must be known.

    Output shape: the input's.

    Raises:
        ValueError: a bad tile_grid_size, or an image whose height, width or
            channels are unknown.
    """

    # Integer images keep their dtype (Keras only autocasts floats).
    _casts_inputs = False

    def __init__(self, value_range=(0, 255), clip_limit=4.0, tile_grid_size=(8, 8),
                 data_format=None, **kwargs):
        kwargs.pop("seed", None)
        super().__init__(data_format=data_format, **kwargs)
        if (not isinstance(tile_grid_size, (tuple, list)) or len(tile_grid_size) != 2
                or any(int(t) != t or t < 1 for t in tile_grid_size)):
            raise ValueError("`tile_grid_size` must be a tuple of 2 positive integers "
                             f"(rows, columns). Received: tile_grid_size={tile_grid_size}")
        self.value_range = value_range
        self.clip_limit = clip_limit
        self.tile_grid_size = tile_grid_size

    def pipeline_spec(self, key, shape, dtype):
        """As the base class; float images come out in the compute dtype."""
        if key == "images" and "float" in str(dtype):
            return tuple(shape), self.compute_dtype
        return super().pipeline_spec(key, shape, dtype)

    def transform_images(self, ops, images, training):
        images = ops.convert_to_tensor(images)
        if "float" in ops.dtype(images) and ops.dtype(images) != self.compute_dtype:
            images = ops.cast(images, self.compute_dtype)
        dtype = ops.dtype(images)
        batched = ops.ndim(images) == 4
        if not batched:
            images = ops.expand_dims(images, 0)
        if self.data_format == "channels_first":
            images = ops.transpose(images, (0, 2, 3, 1))
        x = ops.cast(images, "float32")
        x = transform_value_range(ops, x, self.value_range, (0, 255))
        x = self._equalize(ops, x)
        x = transform_value_range(ops, x, (0, 255), self.value_range)
        x = ops.cast(x, dtype)
        if self.data_format == "channels_first":
            x = ops.transpose(x, (0, 3, 1, 2))
        return x if batched else ops.squeeze(x, 0)

    def _histograms(self, ops, levels, count):
        """(..., 256) float32 counts of int levels (..., count), one-hot
        summed in blocks along the last axis."""
        lead = int(np.prod([d for d in ops.shape(levels)[1:-1]])) * _LEVELS
        step = max(1, _BLOCK // max(lead, 1))
        hist = None
        for start in range(0, count, step):
            part = levels[..., start:start + step]
            block = ops.sum(ops.one_hot(part, _LEVELS, dtype="float32"), axis=-2)
            hist = block if hist is None else ops.add(hist, block)
        return hist

    def _equalize(self, ops, x):
        """CLAHE of float32 images (batch, height, width, channels) in [0, 255]."""
        _, height, width, channels = ops.shape(x)
        if None in (height, width, channels):
            raise ValueError("ContrastLimitedAdaptiveHistogramEqualization needs images of "
                             f"known height, width and channels; received shape "
                             f"{tuple(ops.shape(x))}.")
        rows, cols = (int(t) for t in self.tile_grid_size)
        tile_h, tile_w = -(-height // rows), -(-width // cols)
        padded_h, padded_w = tile_h * rows, tile_w * cols
        if padded_h != height:
            x = ops.take(x, ops.convert_to_tensor(np.pad(
                np.arange(height), (0, padded_h - height), mode="symmetric"), "int32"), axis=1)
        if padded_w != width:
            x = ops.take(x, ops.convert_to_tensor(np.pad(
                np.arange(width), (0, padded_w - width), mode="symmetric"), "int32"), axis=2)
        # Tiles: (batch, rows, cols, channels, tile pixels).
        tiles = ops.reshape(x, (-1, rows, tile_h, cols, tile_w, channels))
        tiles = ops.reshape(ops.transpose(tiles, (0, 1, 3, 5, 2, 4)),
                            (-1, rows, cols, channels, tile_h * tile_w))
        levels = ops.clip(ops.cast(tiles, "int32"), 0, _LEVELS - 1)
        hist = self._histograms(ops, levels, tile_h * tile_w)
        if self.clip_limit > 0:
            limit = float(np.float32(self.clip_limit * tile_h * tile_w / 256.0))
            clipped = ops.clip(hist, 0.0, limit)
            excess = ops.sum(ops.subtract(hist, clipped), axis=-1, keepdims=True)
            hist = ops.add(clipped, ops.divide(excess, 256.0))
        cdf = ops.cumsum(hist, axis=-1)
        cdf_min = ops.min(cdf, axis=-1, keepdims=True)
        denominator = ops.subtract(float(tile_h * tile_w), cdf_min)
        denominator = ops.where(ops.equal(denominator, 0.0), ops.ones_like(denominator),
                                denominator)
        maps = ops.clip(ops.divide(ops.multiply(ops.subtract(cdf, cdf_min), 255.0),
                                   denominator), 0.0, 255.0)
        # Edge tiles repeated around the grid: (batch, rows + 2, cols + 2, C, 256).
        maps = ops.take(maps, ops.convert_to_tensor(
            np.clip(np.arange(-1, rows + 1), 0, rows - 1), "int32"), axis=1)
        maps = ops.take(maps, ops.convert_to_tensor(
            np.clip(np.arange(-1, cols + 1), 0, cols - 1), "int32"), axis=2)
        maps = ops.reshape(maps, (-1, (rows + 2) * (cols + 2) * channels * _LEVELS))
        y0, y1, wy = _grid(padded_h, tile_h, rows)
        x0, x1, wx = _grid(padded_w, tile_w, cols)
        pixels = ops.reshape(ops.clip(ops.cast(ops.clip(x, 0.0, 255.0), "int32"), 0, 255),
                             (-1, padded_h * padded_w * channels))
        channel = np.arange(channels)[None, None, :] * _LEVELS

        def lookup(ys, xs):
            # Flat index of (tile row, tile column, channel) per pixel, plus
            # the pixel's level: one gather per neighbouring tile.
            base = ((ys[:, None, None] * (cols + 2) + xs[None, :, None]) * channels
                    * _LEVELS + channel).reshape(1, -1)
            index = ops.add(pixels, ops.convert_to_tensor(base.astype("int32")))
            return ops.take_along_axis(maps, index, axis=1)

        # Blend weights per flat (row, column, channel) position, on the host.
        wx = np.broadcast_to(wx[None, :, None], (padded_h, padded_w, channels)).reshape(1, -1)
        wy = np.broadcast_to(wy[:, None, None], (padded_h, padded_w, channels)).reshape(1, -1)
        wx, vx, wy, vy = (ops.convert_to_tensor(np.ascontiguousarray(w))
                          for w in (wx, np.float32(1.0) - wx, wy, np.float32(1.0) - wy))
        top = ops.add(ops.multiply(lookup(y0, x0), vx), ops.multiply(lookup(y0, x1), wx))
        bottom = ops.add(ops.multiply(lookup(y1, x0), vx), ops.multiply(lookup(y1, x1), wx))
        out = ops.add(ops.multiply(top, vy), ops.multiply(bottom, wy))
        out = ops.reshape(out, (-1, padded_h, padded_w, channels))
        return out[:, :height, :width, :]

    def get_config(self):
        config = super().get_config()
        config.pop("seed")
        return {**config, "value_range": self.value_range, "clip_limit": self.clip_limit,
                "tile_grid_size": self.tile_grid_size}
