"""kerasx.applications.mobilenet (MobileNet v1) against Keras's."""
import numpy as np
import pytest

from tests.applications.keras_parity import backend_cases, check, check_preprocess

import kerasx  # noqa: E402


@pytest.mark.parametrize("backend, name", backend_cases([("MobileNet",)], offset=1),
                         indirect=["backend"])
def test_mobilenet_loads_keras_weights_and_predicts_as_keras(backend, name, tmp_path):
    check(name, "mobilenet", 32, tmp_path)


def test_width_and_depth_multipliers_match_keras(tmp_path):
    check("MobileNet", "mobilenet", 32, tmp_path, alpha=0.5, depth_multiplier=2)


def test_no_top_with_pooling_matches_keras(tmp_path):
    check("MobileNet", "mobilenet", 40, tmp_path, alpha=0.25, include_top=False,
          pooling="max", input_shape=(40, 48, 3))


def test_preprocess_input_matches_keras(backend):
    check_preprocess("mobilenet")


def test_argument_errors_are_keras_s():
    with pytest.raises(ValueError, match="depth multiplier must be 1"):
        kerasx.applications.MobileNet(weights="imagenet", depth_multiplier=2)
    with pytest.raises(ValueError, match="alpha can be one of"):
        kerasx.applications.MobileNet(weights="imagenet", alpha=0.3)
    with pytest.raises(ValueError, match="classes` should be 1000"):
        kerasx.applications.MobileNet(weights="imagenet", classes=10)
    with pytest.raises(ValueError, match="at least 32x32"):
        kerasx.applications.MobileNet(weights=None, include_top=False, input_shape=(16, 16, 3))
    with pytest.raises(ValueError, match="Only `None` and `softmax`"):
        kerasx.applications.MobileNet(weights="imagenet", classifier_activation="relu")


def test_names_and_shapes_follow_keras_s_defaults():
    model = kerasx.applications.MobileNet(weights=None, input_shape=(160, 160, 3), alpha=0.75,
                                          include_top=False, pooling="avg")
    assert model.name == "mobilenet_0.75_160"
    assert tuple(model.output.shape) == (None, 768)
    out = model.predict(np.ones((1, 160, 160, 3), "float32"), verbose=0)
    assert out.shape == (1, 768) and np.isfinite(out).all()


def test_imagenet_weights_are_keras_s_file(monkeypatch, tmp_path):
    from tests.applications.keras_parity import check_offline_names_weights_file

    check_offline_names_weights_file(kerasx.applications.MobileNet,
                                     "mobilenet_5_0_160_tf_no_top.h5", monkeypatch, tmp_path,
                                     alpha=0.5, include_top=False, input_shape=(160, 160, 3))


def test_channels_first_predicts_as_channels_last():
    from tests.applications.keras_parity import check_channels_first

    check_channels_first("MobileNet", 33, alpha=0.25)
