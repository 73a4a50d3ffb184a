"""kerasx.visualization.draw_segmentation_masks against Keras 3's, on every
kerasx backend: the same uint8 (blended) or float32 pixels."""
import numpy as np
import pytest

import kerasx
from kerasx import ops

RNG = np.random.default_rng(0)
IMAGES = (RNG.random((2, 6, 7, 3)) * 255).astype("float32")
MASKS = RNG.integers(-1, 4, (2, 6, 7, 1)).astype("int32")


def _keras(*args, **kwargs):
    import keras
    return np.asarray(keras.visualization.draw_segmentation_masks(*args, **kwargs))


@pytest.mark.parametrize("kwargs", [
    dict(), dict(num_classes=5), dict(num_classes=3, alpha=0.3),
    dict(num_classes=4, color_mapping={0: (255, 0, 0), 1: (0, 255, 0), 2: (0, 0, 255),
                                       3: (9, 9, 9)}),
    dict(num_classes=4, ignore_index=0), dict(num_classes=4, blend=False)], ids=str)
def test_matches_keras(backend, kwargs):
    want = _keras(IMAGES, MASKS, **kwargs)
    got = kerasx.visualization.draw_segmentation_masks(
        ops.convert_to_tensor(IMAGES), ops.convert_to_tensor(MASKS), **kwargs)
    assert isinstance(got, np.ndarray) and got.dtype == want.dtype
    np.testing.assert_array_equal(got, want)
    # Painted pixels differ from the image; ignored ones keep it.
    keep = MASKS[..., 0] == kwargs.get("ignore_index", -1)
    if kwargs.get("blend", True):
        np.testing.assert_array_equal(got[keep], IMAGES[keep].astype("uint8"))
        assert (got[~keep] != IMAGES[~keep].astype("uint8")).any()


def test_channels_first_and_unbatched_channel(backend):
    want = _keras(IMAGES, MASKS, num_classes=4)
    got = kerasx.visualization.draw_segmentation_masks(
        np.transpose(IMAGES, (0, 3, 1, 2)), np.transpose(MASKS, (0, 3, 1, 2)), num_classes=4,
        data_format="channels_first")
    np.testing.assert_array_equal(got, want)       # channels last, as Keras
    # (batch, height, width) masks, which Keras documents but rejects.
    np.testing.assert_array_equal(
        kerasx.visualization.draw_segmentation_masks(IMAGES, MASKS[..., 0], num_classes=4), want)
    np.testing.assert_array_equal(kerasx.visualization.draw_segmentation_masks(
        np.transpose(IMAGES, (0, 3, 1, 2)), MASKS[..., 0], num_classes=4,
        data_format="channels_first"), want)


def test_palette_is_keras_palette():
    from kerasx.visualization.draw_segmentation_masks import _palette
    from keras.src.visualization.draw_segmentation_masks import _generate_color_palette
    assert _palette(7) == _generate_color_palette(7)


def test_errors(backend):
    draw = kerasx.visualization.draw_segmentation_masks
    with pytest.raises(ValueError, match="4D"):
        draw(IMAGES[0], MASKS[0])
    with pytest.raises(TypeError, match="integer dtype.*float32"):
        draw(IMAGES, ops.convert_to_tensor(MASKS.astype("float32")))
