"""kerasx.applications.mobilenet_v3 (MobileNetV3Small, MobileNetV3Large)
against Keras's."""
import numpy as np
import pytest

from tests.applications.keras_parity import backend_cases, check

import kerasx  # noqa: E402


@pytest.mark.parametrize("backend, name",
                         backend_cases([("MobileNetV3Small",), ("MobileNetV3Large",)],
                                       offset=2),
                         indirect=["backend"])
def test_mobilenet_v3_loads_keras_weights_and_predicts_as_keras(backend, name, tmp_path):
    check(name, "mobilenet_v3", 32, tmp_path)


@pytest.mark.slow
@pytest.mark.parametrize("name", ["MobileNetV3Small", "MobileNetV3Large"])
def test_minimalistic_and_wide_variants_match_keras(name, tmp_path):
    check(name, "mobilenet_v3", 32, tmp_path, minimalistic=True, alpha=1.25)


def test_no_top_pooling_without_preprocessing_matches_keras(tmp_path):
    check("MobileNetV3Small", "mobilenet_v3", 40, tmp_path, include_top=False,
          pooling="avg", input_shape=(40, 48, 3), include_preprocessing=False, alpha=0.75)


def test_preprocess_input_passes_pixels_through(backend):
    images = np.random.default_rng(2).uniform(0, 255, (2, 5, 5, 3)).astype("float32")
    assert kerasx.applications.mobilenet_v3.preprocess_input(images) is images


def test_argument_errors_are_keras_s():
    with pytest.raises(ValueError, match="alpha can be one of"):
        kerasx.applications.MobileNetV3Small(weights="imagenet", alpha=0.5)
    with pytest.raises(ValueError, match="alpha can be one of"):
        kerasx.applications.MobileNetV3Large(weights="imagenet", minimalistic=True,
                                             alpha=0.75)
    with pytest.raises(ValueError, match="classes` should be 1000"):
        kerasx.applications.MobileNetV3Small(weights="imagenet", classes=10)
    with pytest.raises(ValueError, match="at least 32x32"):
        kerasx.applications.MobileNetV3Small(weights=None, input_shape=(16, 16, 3))
    with pytest.raises(ValueError, match="input_shape\\[1\\] must equal"):
        kerasx.applications.MobileNetV3Small(weights=None, input_shape=(64, 64, 3),
                                             input_tensor=kerasx.Input((32, 48, 3)))


def test_any_input_size_with_the_top():
    model = kerasx.applications.MobileNetV3Small(weights=None, classes=5)
    assert model.name == "MobileNetV3Small"
    assert tuple(model.input.shape) == (None, None, None, 3)
    out = model.predict(np.ones((1, 64, 40, 3), "float32") * 100, verbose=0)
    assert out.shape == (1, 5)
    np.testing.assert_allclose(out.sum(), 1.0, rtol=1e-5)


def test_imagenet_weights_are_keras_s_file(monkeypatch, tmp_path):
    from tests.applications.keras_parity import check_offline_names_weights_file

    check_offline_names_weights_file(
        kerasx.applications.MobileNetV3Small,
        "weights_mobilenet_v3_small_minimalistic_224_1.0_float_no_top_v2.h5", monkeypatch,
        tmp_path, minimalistic=True, include_top=False, input_shape=(224, 224, 3))


def test_channels_first_predicts_as_channels_last():
    from tests.applications.keras_parity import check_channels_first

    check_channels_first("MobileNetV3Small", 33)  # odd: the strided padding differs
