"""NumPy drawing of box outlines and text labels on (H, W, C) uint8 images,
giving the pixels OpenCV's `cv2.rectangle` gives (8-connected lines), so
that kerasx.visualization needs no OpenCV.

A rectangle outline of thickness t <= 1 is the one-pixel border of the box.
Thicker, each edge is a band of half-width ceil(t / 2) around it (ends
inclusive) and each corner a filled disc of that radius, traced with the
midpoint circle algorithm as OpenCV traces it (so t = 3 and t = 4 draw the
same pixels, as in OpenCV). A negative thickness fills the box.
"""
import numpy as np


def _paint_span(mask, row, x0, x1):
    height, width = mask.shape
    if 0 <= row < height:
        x0, x1 = max(x0, 0), min(x1, width - 1)
        if x0 <= x1:
            mask[row, x0:x1 + 1] = True


def _paint_block(mask, x0, y0, x1, y1):
    """Fill the pixels [x0, x1] x [y0, y1] (inclusive) that lie in `mask`."""
    height, width = mask.shape
    x0, x1 = max(min(x0, x1), 0), min(max(x0, x1), width - 1)
    y0, y1 = max(min(y0, y1), 0), min(max(y0, y1), height - 1)
    if x0 <= x1 and y0 <= y1:
        mask[y0:y1 + 1, x0:x1 + 1] = True


def _paint_disc(mask, cx, cy, radius):
    """A filled disc as the midpoint circle algorithm traces it: spans of
    half-width dx on rows cy +- dy, and dy on rows cy +- dx."""
    dx, dy, err, plus, minus = radius, 0, 0, 1, 2 * radius - 1
    while dx >= dy:
        for row in (cy - dy, cy + dy):
            _paint_span(mask, row, cx - dx, cx + dx)
        for row in (cy - dx, cy + dx):
            _paint_span(mask, row, cx - dy, cx + dy)
        dy += 1
        err += plus
        plus += 2
        if err > 0:
            err -= minus
            dx -= 1
            minus -= 2


def rectangle_mask(height, width, x1, y1, x2, y2, thickness):
    """The (height, width) bool mask of the outline of the box with corners
    (x1, y1) and (x2, y2) (integers, inclusive, any order, may lie outside
    the image) drawn `thickness` pixels thick, as cv2.rectangle."""
    mask = np.zeros((height, width), bool)
    if thickness < 0:
        _paint_block(mask, x1, y1, x2, y2)
        return mask
    corners = [(x1, y1), (x2, y1), (x2, y2), (x1, y2)]
    edges = list(zip(corners, corners[1:] + corners[:1]))
    if thickness <= 1:
        for (ax, ay), (bx, by) in edges:
            _paint_block(mask, ax, ay, bx, by)
        return mask
    half = (thickness + 1) // 2
    for (ax, ay), (bx, by) in edges:
        if (ax, ay) == (bx, by):
            continue                      # a zero-length edge has no band
        if ay == by:
            _paint_block(mask, ax, ay - half, bx, by + half)
        else:
            _paint_block(mask, ax - half, ay, bx + half, by)
    for cx, cy in corners:
        _paint_disc(mask, cx, cy, half)
    return mask


def text_mask(height, width, text, x, y, font_scale, thickness):
    """The (height, width) bool mask of `text` written from the baseline
    point (x, y), about as large as OpenCV's FONT_HERSHEY_SIMPLEX at
    `font_scale` (the glyphs are matplotlib's default font, filled at the
    pixel centers, then thickened by `thickness` - 1 pixels).

    Raises:
        ImportError: matplotlib is not installed (labels need it; boxes do not).
    """
    try:
        from matplotlib.textpath import TextPath
    except ImportError as exc:
        raise ImportError("Drawing class labels needs matplotlib (pip install matplotlib); "
                          "without a `class_mapping` the boxes are drawn without it.") from exc
    mask = np.zeros((height, width), bool)
    # Hershey simplex capitals are 21-22 pixels high at scale 1: a 30 pt
    # TextPath has capitals about that high.
    path = TextPath((0, 0), text, size=30.0 * font_scale)
    if not len(path.vertices):
        return mask
    left, bottom = np.floor(path.vertices.min(0)).astype(int)
    right, top = np.ceil(path.vertices.max(0)).astype(int)
    cols = np.arange(left, right + 1)
    rows = np.arange(bottom, top + 1)
    gx, gy = np.meshgrid(cols + 0.5, rows + 0.5)
    inside = path.contains_points(np.stack([gx.ravel(), gy.ravel()], -1)).reshape(gx.shape)
    ys, xs = np.nonzero(inside)
    # TextPath's y axis points up; the image's points down.
    px, py = x + cols[xs], y - rows[ys]
    grow = max(int(thickness) - 1, 0)
    for dy in range(-(grow // 2), grow - grow // 2 + 1):
        for dx in range(-(grow // 2), grow - grow // 2 + 1):
            qx, qy = px + dx, py + dy
            keep = (qx >= 0) & (qx < width) & (qy >= 0) & (qy < height)
            mask[qy[keep], qx[keep]] = True
    return mask
