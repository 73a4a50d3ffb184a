"""kerasx.visualization's matplotlib galleries against Keras 3's (Agg
backend): the same figure size, number of axes, titles, and image data in
each axis."""
import os

import matplotlib
import numpy as np
import pytest

import kerasx
from kerasx import ops

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402

RNG = np.random.default_rng(0)
IMAGES = RNG.random((4, 6, 5, 3)).astype("float32")


def _figure(fn, *args, **kwargs):
    """(size in inches, [image array of each axis or None], [titles]) of the
    figure `fn` leaves current."""
    plt.close("all")
    fn(*args, show=False, **kwargs)
    fig = plt.gcf()
    try:
        arrays = [np.asarray(ax.images[0].get_array()) if ax.images else None
                  for ax in fig.axes]
        return tuple(fig.get_size_inches()), arrays, [ax.get_title() for ax in fig.axes]
    finally:
        plt.close("all")


def _assert_same(got, want):
    assert got[0] == want[0]
    assert len(got[1]) == len(want[1])
    for a, b in zip(got[1], want[1]):
        assert (a is None) == (b is None)
        if a is not None:
            assert a.dtype == b.dtype == np.uint8
            np.testing.assert_array_equal(a, b)
    assert got[2] == want[2]


@pytest.mark.parametrize("kwargs", [
    dict(value_range=(0, 1)), dict(value_range=(0, 1), rows=1, scale=3),
    dict(value_range=(-1, 1), cols=2, y_true=np.array([0, 1, 2, 0]),
         y_pred=np.array([1, 1, 7, 0]), label_map={0: "a", 1: "b", 2: "c"})], ids=str)
def test_plot_image_gallery_matches_keras(backend, kwargs):
    import keras
    want = _figure(keras.visualization.plot_image_gallery, IMAGES, **kwargs)
    got = _figure(kerasx.visualization.plot_image_gallery, ops.convert_to_tensor(IMAGES),
                  **kwargs)
    _assert_same(got, want)
    scaled = (IMAGES - kwargs["value_range"][0]) / (kwargs["value_range"][1]
                                                    - kwargs["value_range"][0]) * 255
    np.testing.assert_array_equal(got[1][0], scaled[0].astype("uint8"))


def test_plot_image_gallery_channels_first_and_blank_cells(backend):
    want = _figure(kerasx.visualization.plot_image_gallery, IMAGES * 255)
    got = _figure(kerasx.visualization.plot_image_gallery,
                  np.transpose(IMAGES * 255, (0, 3, 1, 2)), data_format="channels_first")
    _assert_same(got, want)
    size, arrays, _ = _figure(kerasx.visualization.plot_image_gallery, IMAGES * 255, rows=2,
                              cols=3)
    assert size == (6.0, 4.0) and [a is None for a in arrays] == [False] * 4 + [True] * 2


def test_plot_image_gallery_saves_and_checks_arguments(tmp_path):
    path = str(tmp_path / "gallery.png")
    kerasx.visualization.plot_image_gallery(IMAGES * 255, path=path)
    assert os.path.getsize(path) > 100 and not plt.get_fignums()
    with pytest.raises(ValueError, match="path"):
        kerasx.visualization.plot_image_gallery(IMAGES, path=path, show=True)
    with pytest.raises(ValueError, match="label_map"):
        kerasx.visualization.plot_image_gallery(IMAGES, y_true=[0, 1, 2, 3])
    with pytest.raises(ValueError, match="batch"):
        kerasx.visualization.plot_image_gallery(IMAGES[0])


def test_plot_bounding_box_gallery_shows_keras_boxes(backend):
    """The gallery shows Keras's drawing (recorded with OpenCV) of the
    boxes, with a legend of the two colors."""
    from tests.visualization.test_draw_bounding_boxes import DATA, case_inputs
    images, data, kwargs = case_inputs("unit_float_t2")
    size, arrays, _ = _figure(kerasx.visualization.plot_bounding_box_gallery,
                              ops.convert_to_tensor(images), "xyxy", y_true=data,
                              true_color=(128, 128, 128), rows=1, cols=2)
    want = np.load(DATA)["unit_float_t2"]
    assert size == (4.0, 2.0) and len(arrays) == 2
    for got, expected in zip(arrays, want):
        np.testing.assert_array_equal(got, expected)
    plt.close("all")
    kerasx.visualization.plot_bounding_box_gallery(images, "xyxy", y_true=data, y_pred=data,
                                                   legend=True, show=False)
    labels = [t.get_text() for t in plt.gcf().legends[0].get_texts()]
    plt.close("all")
    assert labels == ["Ground Truth", "Prediction"]
    with pytest.raises(ValueError, match="legend"):
        kerasx.visualization.plot_bounding_box_gallery(images, "xyxy", legend=True,
                                                       legend_handles=[object()])


def test_plot_bounding_box_gallery_matches_keras_live(backend):
    pytest.importorskip("cv2")
    import keras
    from tests.visualization.test_draw_bounding_boxes import case_inputs
    images, data, _ = case_inputs("unit_float_t2")
    kwargs = dict(y_true=data, y_pred={"boxes": data["boxes"] + 2, "labels": data["labels"]},
                  value_range=(0, 1), line_thickness=3)
    _assert_same(_figure(kerasx.visualization.plot_bounding_box_gallery, images, "xyxy",
                         **kwargs),
                 _figure(keras.visualization.plot_bounding_box_gallery, images, "xyxy",
                         **kwargs))


@pytest.mark.parametrize("kwargs", [dict(), dict(blend=False, value_range=(0, 1)),
                                    dict(alpha=0.5, only_true=True)], ids=str)
def test_plot_segmentation_mask_gallery_matches_keras(backend, kwargs):
    import keras
    kwargs = dict(kwargs)
    masks = RNG.integers(0, 3, (4, 6, 5, 1)).astype("int32")
    kwargs["y_true"] = masks
    if not kwargs.pop("only_true", False):
        kwargs["y_pred"] = masks[::-1]
    images = IMAGES * 255 if "value_range" not in kwargs else IMAGES
    want = _figure(keras.visualization.plot_segmentation_mask_gallery, images, 3, **kwargs)
    got = _figure(kerasx.visualization.plot_segmentation_mask_gallery,
                  ops.convert_to_tensor(images), 3,
                  **{k: ops.convert_to_tensor(v) if k.startswith("y_") else v
                     for k, v in kwargs.items()})
    _assert_same(got, want)
    columns = 3 if "y_pred" in kwargs else 2
    assert len(got[1]) == 4 * columns and got[0] == (2.0 * columns, 8.0)


def test_plot_segmentation_mask_gallery_channels_first(backend):
    masks = RNG.integers(0, 3, (4, 6, 5, 1)).astype("int32")
    want = _figure(kerasx.visualization.plot_segmentation_mask_gallery, IMAGES * 255, 3,
                   y_true=masks)
    for y_true in (np.transpose(masks, (0, 3, 1, 2)), masks[..., 0]):
        got = _figure(kerasx.visualization.plot_segmentation_mask_gallery,
                      np.transpose(IMAGES * 255, (0, 3, 1, 2)), 3, y_true=y_true,
                      data_format="channels_first")
        _assert_same(got, want)
