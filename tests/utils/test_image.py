"""keras.utils image helpers against Keras 3: array_to_img, img_to_array,
save_img, load_img."""
import numpy as np
import pytest

import kerasx

RNG = np.random.default_rng(0)


@pytest.mark.parametrize("channels", [1, 3, 4])
@pytest.mark.parametrize("scale", [True, False])
def test_array_to_img_and_back_match_keras(channels, scale):
    import keras

    x = RNG.random((5, 7, channels)).astype("float32") * (1.0 if scale else 255.0)
    got, want = kerasx.utils.array_to_img(x, scale=scale), keras.utils.array_to_img(x, scale=scale)
    assert got.mode == want.mode and got.size == want.size == (7, 5)
    np.testing.assert_array_equal(kerasx.utils.img_to_array(got), keras.utils.img_to_array(want))
    np.testing.assert_array_equal(
        kerasx.utils.img_to_array(got, data_format="channels_first"),
        keras.utils.img_to_array(want, data_format="channels_first"))


@pytest.mark.parametrize("kwargs", [dict(), dict(color_mode="grayscale"),
                                    dict(target_size=(4, 6)),
                                    dict(target_size=(4, 4), interpolation="bilinear",
                                         keep_aspect_ratio=True)], ids=str)
def test_save_and_load_img_match_keras(tmp_path, kwargs):
    import keras

    x = RNG.random((10, 12, 3)).astype("float32")
    path = str(tmp_path / "image.png")
    kerasx.utils.save_img(path, x)
    ref_path = str(tmp_path / "ref.png")
    keras.utils.save_img(ref_path, x)
    got = kerasx.utils.img_to_array(kerasx.utils.load_img(path, **kwargs))
    want = keras.utils.img_to_array(keras.utils.load_img(ref_path, **kwargs))
    np.testing.assert_array_equal(got, want)


def test_image_utils_reject_bad_input():
    with pytest.raises(ValueError, match="rank 3"):
        kerasx.utils.array_to_img(np.zeros((4, 4)))
    with pytest.raises(ValueError, match="channels"):
        kerasx.utils.array_to_img(np.zeros((4, 4, 2)))
    with pytest.raises(ValueError, match="color_mode"):
        kerasx.utils.load_img("x.png", color_mode="cmyk")
