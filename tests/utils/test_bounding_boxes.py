"""kerasx.utils.bounding_boxes against keras.utils.bounding_boxes (Keras 3,
TensorFlow backend), on every kerasx backend."""
import itertools

import numpy as np
import pytest

import kerasx
from kerasx import ops
from tests.keras_reference import ATOL, RTOL, _assert_close

FORMATS = ("xyxy", "yxyx", "xywh", "center_xywh", "center_yxhw", "rel_xyxy", "rel_yxyx",
           "rel_xywh", "rel_center_xywh")
RNG = np.random.default_rng(0)
# Boxes in xyxy with x1 < x2 and y1 < y2, 2 images of 5 boxes, in a 40 x 60 image.
_XY = RNG.uniform(0, 30, (2, 5, 2)).astype("float32")
XYXY = np.concatenate([_XY, _XY + RNG.uniform(1, 20, (2, 5, 2)).astype("float32")], -1)
H, W = 40, 60


def _keras():
    import keras
    return keras.utils.bounding_boxes


def _np(x):
    return np.asarray(ops.convert_to_numpy(x))


def _check(name, got, want, backend):
    _assert_close(name, _np(got), np.asarray(want), backend)


def _in(fmt, boxes=XYXY):
    """`boxes` (xyxy) written in `fmt`, through Keras."""
    return np.asarray(_keras().convert_format(boxes, "xyxy", fmt, height=H, width=W))


def test_convert_format_every_pair_matches_keras(backend):
    for source, target in itertools.product(FORMATS, FORMATS):
        boxes = _in(source)
        want = _keras().convert_format(boxes, source, target, height=H, width=W)
        got = kerasx.utils.bounding_boxes.convert_format(boxes, source, target, height=H,
                                                         width=W)
        _check(f"{source}->{target}", got, want, backend)
    # Unbatched, upper case, another dtype, a dict.
    got = kerasx.utils.bounding_boxes.convert_format(XYXY[0], "XYXY", "center_yxhw",
                                                     dtype="float64")
    assert ops.dtype(got) == "float64"
    _check("float64", got, _keras().convert_format(XYXY[0], "XYXY", "center_yxhw",
                                                   dtype="float64"), backend)
    data = {"boxes": XYXY, "labels": np.arange(10).reshape(2, 5)}
    out = kerasx.utils.bounding_boxes.convert_format(data, "xyxy", "xywh")
    np.testing.assert_array_equal(_np(out["labels"]), data["labels"])
    _check("dict", out["boxes"], _keras().convert_format(dict(data), "xyxy", "xywh")["boxes"],
           backend)
    np.testing.assert_allclose(_np(out["boxes"])[..., 2:], XYXY[..., 2:] - XYXY[..., :2],
                               rtol=RTOL, atol=ATOL)


def test_convert_format_errors(backend):
    bb = kerasx.utils.bounding_boxes
    with pytest.raises(ValueError, match="last dimension of 4"):
        bb.convert_format(np.zeros((2, 3)), "xyxy", "xywh")
    with pytest.raises(ValueError, match="Supported formats"):
        bb.convert_format(XYXY, "xyxy", "corners")
    with pytest.raises(ValueError, match="height"):
        bb.convert_format(XYXY, "xyxy", "rel_xyxy")


@pytest.mark.parametrize("fmt", ["xyxy", "rel_xyxy"])
def test_clip_to_image_size_matches_keras(backend, fmt):
    boxes = np.array([[[-10, -20, 150, 160], [50, 40, 70, 80], [70, 50, 90, 60],
                       [-5, 10, -1, 20]]], "float32")
    if fmt == "rel_xyxy":
        boxes = boxes / 60.0
    data = {"boxes": boxes, "labels": np.array([[0, 1, 2, 3]], "int32")}
    want = _keras().clip_to_image_size(dict(data), height=45, width=60,
                                       bounding_box_format=fmt)
    got = kerasx.utils.bounding_boxes.clip_to_image_size(dict(data), height=45, width=60,
                                                         bounding_box_format=fmt)
    _check("boxes", got["boxes"], want["boxes"], backend)
    np.testing.assert_array_equal(_np(got["labels"]), np.asarray(want["labels"]))
    assert (_np(got["labels"]) == -1).sum() >= 1       # a box left with no area
    with pytest.raises(ValueError, match="height"):
        kerasx.utils.bounding_boxes.clip_to_image_size(dict(data))
    with pytest.raises(NotImplementedError, match="xyxy"):
        kerasx.utils.bounding_boxes.clip_to_image_size(dict(data), 4, 4, "xywh")


def test_affine_transform_matches_keras(backend):
    rng = np.random.default_rng(1)
    args = [rng.uniform(lo, hi, (2,)).astype("float32")
            for lo, hi in ((-40, 40), (-0.2, 0.2), (-0.2, 0.2), (0.7, 1.3), (-20, 20),
                           (-20, 20))]
    want = _keras().affine_transform(XYXY, *args, height=H, width=W)
    got = kerasx.utils.bounding_boxes.affine_transform(XYXY, *args, height=H, width=W)
    _check("affine", got, want, backend)
    want = _keras().affine_transform(XYXY, *args, H, W, center_x=0.2, center_y=0.7)
    got = kerasx.utils.bounding_boxes.affine_transform(XYXY, *args, H, W, center_x=0.2,
                                                       center_y=0.7)
    _check("affine centered", got, want, backend)
    with pytest.raises(NotImplementedError):
        kerasx.utils.bounding_boxes.affine_transform(XYXY, *args, H, W,
                                                     bounding_box_format="xywh")


def test_identity_affine_transform_keeps_boxes(backend):
    zeros, ones = np.zeros(2, "float32"), np.ones(2, "float32")
    got = kerasx.utils.bounding_boxes.affine_transform(XYXY, zeros, zeros, zeros, ones, zeros,
                                                       zeros, H, W)
    np.testing.assert_allclose(_np(got), XYXY, rtol=1e-5, atol=1e-4)


def test_crop_and_pad_match_keras(backend):
    boxes = np.array([[10, 20, 50, 60], [70, 80, 100, 120]], "float32")
    got = kerasx.utils.bounding_boxes.crop(boxes, top=10, left=20, height=40, width=30)
    _check("crop", got, _keras().crop(boxes, top=10, left=20, height=40, width=30), backend)
    np.testing.assert_array_equal(_np(got), [[0, 10, 30, 40], [30, 40, 30, 40]])
    got = kerasx.utils.bounding_boxes.pad(XYXY, top=3, left=7)
    _check("pad", got, _keras().pad(XYXY, top=3, left=7), backend)
    with pytest.raises(NotImplementedError):
        kerasx.utils.bounding_boxes.pad(XYXY, 3, 7, bounding_box_format="yxyx")


@pytest.mark.parametrize("encoding", ["center_yxhw", "center_xywh"])
@pytest.mark.parametrize("variance", [None, [0.1, 0.1, 0.2, 0.2]])
def test_encode_and_decode_deltas_match_keras(backend, encoding, variance):
    anchors = _in("xywh", XYXY[0])
    boxes = _in("rel_yxyx")
    kwargs = dict(variance=variance, image_shape=(H, W, 3))
    want = _keras().encode_box_to_deltas(anchors, boxes, "xywh", "rel_yxyx",
                                         encoding_format=encoding, **kwargs)
    got = kerasx.utils.bounding_boxes.encode_box_to_deltas(anchors, boxes, "xywh", "rel_yxyx",
                                                           encoding_format=encoding, **kwargs)
    _check("encode", got, want, backend)
    back = kerasx.utils.bounding_boxes.decode_deltas_to_boxes(
        anchors, np.asarray(want), "xywh", "rel_yxyx", encoded_format=encoding, **kwargs)
    _check("decode", back, _keras().decode_deltas_to_boxes(
        anchors, np.asarray(want), "xywh", "rel_yxyx", encoded_format=encoding, **kwargs),
        backend)
    np.testing.assert_allclose(_np(back), boxes, rtol=1e-4, atol=1e-5)   # the round trip
    levels = kerasx.utils.bounding_boxes.decode_deltas_to_boxes(
        {"P3": anchors}, {"P3": np.asarray(want)}, "xywh", "rel_yxyx",
        encoded_format=encoding, **kwargs)
    _check("levels", levels["P3"], _np(back), backend)


def test_delta_errors(backend):
    bb = kerasx.utils.bounding_boxes
    with pytest.raises(ValueError, match="length 4"):
        bb.encode_box_to_deltas(XYXY[0], XYXY, "xyxy", "xyxy", variance=[1, 1])
    with pytest.raises(ValueError, match="encoding_format"):
        bb.encode_box_to_deltas(XYXY[0], XYXY, "xyxy", "xyxy", encoding_format="xyxy")
    with pytest.raises(ValueError, match="encoded_format"):
        bb.decode_deltas_to_boxes(XYXY[0], XYXY, "xyxy", "xyxy", encoded_format="xywh")


@pytest.mark.parametrize("ranks", [(2, 2), (3, 3), (3, 2), (2, 3)])
def test_compute_iou_matches_keras(backend, ranks):
    b1 = XYXY[0] if ranks[0] == 2 else XYXY
    b2 = XYXY[0, :3] + 2.0 if ranks[1] == 2 else XYXY[:, :3] + 2.0
    want = _keras().compute_iou(b1, b2, "xyxy")
    got = kerasx.utils.bounding_boxes.compute_iou(b1, b2, "xyxy")
    _check("iou", got, want, backend)
    assert np.asarray(want).max() > 0.1                 # some boxes overlap


def test_compute_iou_masking_and_relative_format(backend):
    b1 = np.concatenate([XYXY, -np.ones((2, 1, 4), "float32")], axis=1)
    b2 = np.concatenate([XYXY[:, :2], -np.ones((2, 1, 4), "float32")], axis=1)
    kwargs = dict(use_masking=True, mask_val=-3)
    want = _keras().compute_iou(b1, b2, "xyxy", **kwargs)
    got = kerasx.utils.bounding_boxes.compute_iou(b1, b2, "xyxy", **kwargs)
    _check("masked", got, want, backend)
    assert (_np(got) == -3).sum() == 2 * (6 + 3 - 1)
    rel = _in("rel_xyxy")
    want = _keras().compute_iou(rel, rel, "rel_xyxy", image_shape=(H, W, 3))
    _check("rel", kerasx.utils.bounding_boxes.compute_iou(rel, rel, "rel_xyxy",
                                                          image_shape=(H, W, 3)), want, backend)
    with pytest.raises(ValueError, match="image_shape"):
        kerasx.utils.bounding_boxes.compute_iou(rel, rel, "rel_xyxy")
    with pytest.raises(ValueError, match="batched"):
        kerasx.utils.bounding_boxes.compute_iou(np.zeros((1, 1, 1, 4)), rel, "xyxy")


@pytest.mark.parametrize("fmt", ["xyxy", "center_xywh"])
def test_compute_ciou_matches_keras(backend, fmt):
    b1, b2 = _in(fmt), _in(fmt, XYXY[::-1] + 1.5)
    want = _keras().compute_ciou(b1, b2, fmt)
    got = kerasx.utils.bounding_boxes.compute_ciou(b1, b2, fmt)
    _check("ciou", got, want, backend)
    assert _np(got).shape == (2, 5)
    same = _np(kerasx.utils.bounding_boxes.compute_ciou(b1, b1, fmt))
    np.testing.assert_allclose(same, 1.0, atol=1e-5)   # a box with itself
    with pytest.raises(ValueError, match="relative"):
        kerasx.utils.bounding_boxes.compute_ciou(b1, b2, "rel_xyxy")


def test_boxes_in_a_model(backend):
    """The functions are ops: they run inside a functional model."""
    inputs = kerasx.Input((5, 4))
    outputs = kerasx.layers.Lambda(
        lambda b: kerasx.utils.bounding_boxes.convert_format(b, "xyxy", "center_yxhw"))(inputs)
    model = kerasx.Model(inputs, outputs)
    _check("model", model.predict(XYXY, verbose=0),
           _keras().convert_format(XYXY, "xyxy", "center_yxhw"), backend)


def test_functions_on_symbolic_inputs_build_a_model(backend):
    """Called on a functional Input, the functions become nodes of the model."""
    inputs = kerasx.Input((5, 4))
    boxes = kerasx.utils.bounding_boxes.convert_format(inputs, "center_xywh", "xyxy")
    iou = kerasx.utils.bounding_boxes.compute_iou(boxes, boxes, "xyxy")
    model = kerasx.Model(inputs, iou)
    x = _in("center_xywh")
    want = _keras().compute_iou(_keras().convert_format(x, "center_xywh", "xyxy"),
                                XYXY, "xyxy")
    _check("symbolic iou", model.predict(x, verbose=0), want, backend)
    assert _np(model.predict(x, verbose=0))[0, 0, 0] == pytest.approx(1.0, abs=1e-5)


@pytest.mark.parametrize("name", kerasx.utils.bounding_boxes.__all__)
def test_signature_is_keras_signature(name):
    import inspect
    ours = inspect.signature(getattr(kerasx.utils.bounding_boxes, name))
    theirs = inspect.signature(getattr(_keras(), name))
    assert [(p.name, p.default) for p in ours.parameters.values()] == \
        [(p.name, p.default) for p in theirs.parameters.values()]
    assert sorted(kerasx.utils.bounding_boxes.__all__) == sorted(
        n for n in dir(_keras()) if not n.startswith("_"))
