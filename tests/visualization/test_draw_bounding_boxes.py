"""kerasx.visualization.draw_bounding_boxes against Keras 3's (which draws
with OpenCV): the box pixels equal Keras's exactly, on every backend.

Keras's outputs are recorded in data/draw_bounding_boxes_keras.npz
(make_draw_reference.py writes them, with OpenCV); when OpenCV is
installed the test also runs Keras live. Labels are OpenCV Hershey glyphs
in Keras and matplotlib glyphs in kerasx: they are checked by place, not
by pixel."""
import os

import numpy as np
import pytest

import kerasx
from kerasx import ops

DATA = os.path.join(os.path.dirname(__file__), "data", "draw_bounding_boxes_keras.npz")
H, W = 24, 32
_BOXES = np.array([[[2, 3, 12, 15], [20, 1, 30, 9], [-4, 18, 40, 30], [5, 5, 6, 5],
                    [14.7, 9.9, 27.2, 20.6]],
                   [[0, 0, 31, 23], [8, 8, 8, 16], [10, 2, 25, 20], [3, 12, 9, 14],
                    [16, 4, 22, 10]]], "float32")
_LABELS = np.array([[0, 1, 2, -1, 1], [2, 0, 1, 1, -1]], "int32")
#: name -> (image kind, box format, draw_bounding_boxes kwargs)
CASES = {
    "unit_float_t2": ("unit", "xyxy", {}),
    "unit_float_t1_xywh": ("unit", "xywh", dict(line_thickness=1, color=(255, 0, 0))),
    "uint8_t3_rel_yxyx": ("uint8", "rel_yxyx", dict(line_thickness=3, color=(0, 200, 40))),
    "big_float_t5_center": ("big", "center_xywh", dict(line_thickness=5, color=(10, 20, 30))),
    "uint8_filled": ("uint8", "xyxy", dict(line_thickness=-1, color=(255, 255, 0))),
    "rgba_t4": ("rgba", "yxyx", dict(line_thickness=4, color=(1, 2, 3))),
    "labels": ("uint8", "xyxy", dict(class_mapping={0: "cat", 1: "dog"}, color=(255, 0, 0),
                                     line_thickness=1)),
}


def case_inputs(name):
    """(images, bounding_boxes dict, kwargs) of CASES[name], as NumPy."""
    kind, fmt, kwargs = CASES[name]
    rng = np.random.default_rng(len(name))
    channels = 4 if kind == "rgba" else 3
    images = rng.random((2, H, W, channels)).astype("float32")
    if kind in ("uint8", "rgba"):
        images = (images * 255).astype("uint8")
    elif kind == "big":
        images = images * 300.0
    import keras
    boxes = np.asarray(keras.utils.bounding_boxes.convert_format(
        _BOXES, "xyxy", fmt, height=H, width=W))
    data = {"boxes": boxes, "labels": _LABELS.copy()}
    if name == "labels":
        data["confidences"] = np.full((2, 5), 0.5, "float32")
    return images, data, dict(bounding_box_format=fmt, **kwargs)


def _kerasx_draw(name, backend):
    images, data, kwargs = case_inputs(name)
    data = {k: ops.convert_to_tensor(v) for k, v in data.items()}
    if images.dtype != np.uint8:        # (kerasx tensors hold no uint8)
        images = ops.convert_to_tensor(images)
    return kerasx.visualization.draw_bounding_boxes(images, data, **kwargs)


@pytest.mark.parametrize("name", [n for n in CASES if n != "labels"])
def test_boxes_equal_keras_pixels(backend, name):
    want = np.load(DATA)[name]
    got = _kerasx_draw(name, backend)
    assert got.dtype == np.uint8 and got.shape == want.shape
    np.testing.assert_array_equal(got, want)
    images, _, _ = case_inputs(name)
    # The boxes changed some pixels, and only to the color.
    changed = np.any(got != np.asarray(_as_uint8(images)), axis=-1)
    assert changed.sum() > 50


def _as_uint8(images):
    if images.dtype.kind == "f":
        images = np.clip(images, 0, 1) * 255 if images.max() <= 1 else np.clip(images, 0, 255)
    return images.astype("uint8")


def test_labels_are_written_where_keras_writes_them(backend):
    want = np.load(DATA)["labels"]
    got = _kerasx_draw("labels", backend)
    images, data, kwargs = case_inputs("labels")
    outline = kerasx.visualization.draw_bounding_boxes(
        images, {"boxes": data["boxes"], "labels": data["labels"]}, "xyxy",
        color=(255, 0, 0), line_thickness=1)
    base = _as_uint8(images)
    for drawn in (got, want):
        # The outlines are those of the unlabelled drawing...
        box_pixels = np.any(outline != base, axis=-1)
        np.testing.assert_array_equal(drawn[box_pixels], outline[box_pixels])
        # ...and the labels add red pixels elsewhere.
        text = np.all(drawn == (255, 0, 0), axis=-1) & ~box_pixels
        assert text[0].sum() > 20 and text[1].sum() > 20
    text_got = np.all(got == (255, 0, 0), -1) & ~np.any(outline != base, -1)
    text_want = np.all(want == (255, 0, 0), -1) & ~np.any(outline != base, -1)
    overlap = (text_got & text_want).sum() / max(text_want.sum(), 1)
    assert overlap > 0.8              # 0.98 measured: kerasx covers Keras's label pixels


def test_channels_first_draws_the_same_boxes(backend):
    images, data, kwargs = case_inputs("unit_float_t2")
    got = kerasx.visualization.draw_bounding_boxes(np.transpose(images, (0, 3, 1, 2)), data,
                                                   data_format="channels_first", **kwargs)
    np.testing.assert_array_equal(np.transpose(got, (0, 2, 3, 1)),
                                  np.load(DATA)["unit_float_t2"])


def test_errors(backend):
    images, data, kwargs = case_inputs("unit_float_t2")
    draw = kerasx.visualization.draw_bounding_boxes
    with pytest.raises(ValueError, match="4D"):
        draw(images[0], data, "xyxy")
    with pytest.raises(TypeError, match="dict"):
        draw(images, data["boxes"], "xyxy")
    with pytest.raises(ValueError, match="'labels'"):
        draw(images, {"boxes": data["boxes"]}, "xyxy")


@pytest.mark.parametrize("name", list(CASES))
def test_recorded_reference_is_keras_live(name):
    """With OpenCV installed, the recording still equals Keras."""
    pytest.importorskip("cv2")
    import keras
    images, data, kwargs = case_inputs(name)
    np.testing.assert_array_equal(keras.visualization.draw_bounding_boxes(images, data,
                                                                          **kwargs),
                                  np.load(DATA)[name])


def test_rectangle_raster_matches_opencv_fuzz():
    """Random outlines (any thickness, reversed, degenerate, off the image)
    equal cv2.rectangle's pixels, when OpenCV is installed."""
    cv2 = pytest.importorskip("cv2")
    from kerasx.visualization.raster import rectangle_mask
    rng = np.random.default_rng(0)
    for _ in range(500):
        h, w = (int(v) for v in rng.integers(5, 60, 2))
        t = int(rng.choice([-1, 0, 1, 2, 3, 4, 5, 6, 7, 9, 12, 17]))
        x1, x2 = (int(v) for v in rng.integers(-10, w + 10, 2))
        y1, y2 = (int(v) for v in rng.integers(-10, h + 10, 2))
        image = np.zeros((h, w, 3), np.uint8)
        cv2.rectangle(image, (x1, y1), (x2, y2), (1, 1, 1), t)
        np.testing.assert_array_equal(rectangle_mask(h, w, x1, y1, x2, y2, t),
                                      image[..., 0] == 1, err_msg=f"{(h, w, t, x1, y1, x2, y2)}")


def test_boxes_need_no_matplotlib_and_labels_say_they_do(backend, monkeypatch):
    import sys
    monkeypatch.setitem(sys.modules, "matplotlib.textpath", None)   # import fails
    images, data, kwargs = case_inputs("unit_float_t2")
    np.testing.assert_array_equal(
        kerasx.visualization.draw_bounding_boxes(images, data, **kwargs),
        np.load(DATA)["unit_float_t2"])
    with pytest.raises(ImportError, match="pip install matplotlib"):
        kerasx.visualization.draw_bounding_boxes(images, data, class_mapping={0: "a"},
                                                 **kwargs)


def test_importing_kerasx_loads_neither_opencv_nor_matplotlib(python):
    result = python("import sys, kerasx, kerasx.visualization; "
                    "print(sorted({'cv2', 'matplotlib'} & set(sys.modules)))")
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip().splitlines()[-1] == "[]"
