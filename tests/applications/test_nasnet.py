"""kerasx.applications.nasnet (NASNetMobile, NASNetLarge) against Keras's.
(Keras refuses NASNetMobile on its torch backend; kerasx's runs on every
backend, so the comparison is with Keras's TensorFlow backend, as all.)"""
import pytest

from tests.applications.keras_parity import backend_cases, check, check_preprocess

import kerasx  # noqa: E402


@pytest.mark.parametrize("backend, name", backend_cases([("NASNetMobile",)], offset=2),
                         indirect=["backend"])
def test_nasnet_mobile_loads_keras_weights_and_predicts_as_keras(backend, name, tmp_path):
    check(name, "nasnet", 32, tmp_path)


@pytest.mark.slow
def test_nasnet_large_matches_keras(tmp_path):
    check("NASNetLarge", "nasnet", 32, tmp_path)


@pytest.mark.slow
def test_no_top_with_pooling_matches_keras(tmp_path):
    check("NASNetMobile", "nasnet", 40, tmp_path, include_top=False, pooling="max",
          input_shape=(40, 48, 3))


def test_preprocess_input_matches_keras(backend):
    check_preprocess("nasnet")


def test_argument_errors_are_keras_s(monkeypatch):
    with pytest.raises(ValueError, match="must be static"):
        kerasx.applications.NASNetMobile(weights="imagenet", include_top=False,
                                         input_shape=(None, None, 3))
    with pytest.raises(ValueError, match="penultimate_filters"):
        kerasx.applications.nasnet.NASNet((32, 32, 3), penultimate_filters=1000,
                                          weights=None)
    with pytest.raises(ValueError, match="only be loaded with NASNetLarge or NASNetMobile"):
        kerasx.applications.nasnet.NASNet((32, 32, 3), include_top=False, default_size=200)
    with pytest.raises(ValueError, match="classes` should be 1000"):
        kerasx.applications.NASNetLarge(weights="imagenet", classes=10)
    monkeypatch.setattr(kerasx.config, "image_data_format", lambda: "channels_first")
    with pytest.raises(ValueError, match="channels_first"):
        kerasx.applications.NASNetMobile(weights=None)
