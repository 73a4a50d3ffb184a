"""kerasx.applications.efficientnet_v2 (EfficientNetV2B0-B3, S, M, L)
against Keras's."""
import numpy as np
import pytest

from tests.applications.keras_parity import backend_cases, check
from tests.applications.test_applications import _fresh_names, _same_structure

import kerasx  # noqa: E402

keras = pytest.importorskip("keras")


@pytest.mark.parametrize("backend, name", backend_cases([("EfficientNetV2B0",)], offset=0),
                         indirect=["backend"])
def test_efficientnet_v2_loads_keras_weights_and_predicts_as_keras(backend, name, tmp_path):
    check(name, "efficientnet_v2", 32, tmp_path)


@pytest.mark.slow
@pytest.mark.parametrize("name", ["EfficientNetV2B1", "EfficientNetV2B2", "EfficientNetV2B3",
                                  "EfficientNetV2S"])
def test_deeper_variants_match_keras(name, tmp_path):
    check(name, "efficientnet_v2", 32, tmp_path, gamma_scale=0.5 if name.endswith("S") else 1)


@pytest.mark.slow
@pytest.mark.parametrize("name", ["EfficientNetV2M", "EfficientNetV2L"])
def test_largest_variants_have_keras_s_structure(name):
    _fresh_names()
    kwargs = dict(weights=None, input_shape=(32, 32, 3), classes=7)
    _same_structure(getattr(kerasx.applications, name)(**kwargs),
                    getattr(keras.applications, name)(**kwargs))


def test_no_top_pooling_without_preprocessing_matches_keras(tmp_path):
    check("EfficientNetV2B0", "efficientnet_v2", 40, tmp_path, include_top=False,
          pooling="max", input_shape=(40, 48, 3), include_preprocessing=False,
          gamma_scale=0.5)


def test_default_stages_follow_the_name_as_keras_s():
    with pytest.raises(KeyError):
        keras.applications.EfficientNetV2B0(weights=None, name="renamed")
    with pytest.raises(KeyError, match="blocks_args"):
        kerasx.applications.EfficientNetV2B0(weights=None, name="renamed")


def test_preprocess_input_passes_pixels_through(backend):
    images = np.random.default_rng(2).uniform(0, 255, (2, 5, 5, 3)).astype("float32")
    assert kerasx.applications.efficientnet_v2.preprocess_input(images) is images


def test_argument_errors_are_keras_s():
    with pytest.raises(ValueError, match="classes` should be 1000"):
        kerasx.applications.EfficientNetV2B0(weights="imagenet", classes=10)
    with pytest.raises(ValueError, match="at least 32x32"):
        kerasx.applications.EfficientNetV2B0(weights=None, include_top=False,
                                             input_shape=(16, 16, 3))
    with pytest.raises(ValueError, match="Only `None` and `softmax`"):
        kerasx.applications.EfficientNetV2B0(weights="imagenet",
                                             classifier_activation="relu")
    with pytest.raises(ValueError, match="must be > 0"):
        kerasx.applications.efficientnet_v2.EfficientNetV2(
            1.0, 1.0, 224, weights=None, blocks_args=[dict(
                kernel_size=3, num_repeat=0, input_filters=32, output_filters=16,
                expand_ratio=1, se_ratio=0, strides=1, conv_type=1)])


def test_imagenet_weights_are_keras_s_file(monkeypatch, tmp_path):
    from tests.applications.keras_parity import check_offline_names_weights_file

    check_offline_names_weights_file(kerasx.applications.EfficientNetV2B0,
                                     "efficientnetv2-b0_notop.h5", monkeypatch, tmp_path,
                                     include_top=False, input_shape=(64, 64, 3))


@pytest.mark.slow
def test_channels_first_predicts_as_channels_last():
    from tests.applications.keras_parity import check_channels_first

    check_channels_first("EfficientNetV2B0", 33)
