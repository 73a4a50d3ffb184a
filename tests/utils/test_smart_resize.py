"""keras.preprocessing.image.smart_resize and the preprocessing module's names."""
import numpy as np
import pytest

import kerasx

keras = pytest.importorskip("keras")


@pytest.mark.parametrize("shape,size", [((9, 6, 3), (4, 4)), ((2, 7, 12, 1), (5, 3)),
                                        ((5, 5, 2), (8, 10))])
@pytest.mark.parametrize("interpolation", ["bilinear", "nearest"])
def test_smart_resize_matches_keras(shape, size, interpolation):
    x = np.random.default_rng(0).integers(0, 256, shape).astype("float32")
    ours = kerasx.preprocessing.image.smart_resize(x, size, interpolation=interpolation)
    theirs = np.asarray(keras.preprocessing.image.smart_resize(
        x, size, interpolation=interpolation))
    assert ours.shape == theirs.shape
    np.testing.assert_allclose(ours, theirs, rtol=1e-5, atol=1e-3)


def test_channels_first_and_errors():
    x = np.random.default_rng(1).random((3, 8, 6)).astype("float32")
    first = kerasx.preprocessing.image.smart_resize(x, (4, 4), data_format="channels_first")
    last = kerasx.preprocessing.image.smart_resize(x.transpose(1, 2, 0), (4, 4))
    np.testing.assert_allclose(first, last.transpose(2, 0, 1))
    with pytest.raises(ValueError, match="rank"):
        kerasx.preprocessing.image.smart_resize(np.zeros((4, 4)), (2, 2))


def test_preprocessing_names_are_keras_names():
    names = {n for n in dir(keras.preprocessing) if not n.startswith("_")}
    assert names <= set(dir(kerasx.preprocessing))
    image_names = {n for n in dir(keras.preprocessing.image) if not n.startswith("_")}
    assert image_names <= set(dir(kerasx.preprocessing.image))
