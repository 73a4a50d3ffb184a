"""kerasx.applications.inception_resnet_v2 (InceptionResNetV2) against
Keras's."""
import numpy as np
import pytest

from tests.applications.keras_parity import backend_cases, check, check_preprocess

import kerasx  # noqa: E402


@pytest.mark.parametrize("backend, name", backend_cases([("InceptionResNetV2",)], offset=1),
                         indirect=["backend"])
def test_inception_resnet_v2_loads_keras_weights_and_predicts_as_keras(backend, name,
                                                                       tmp_path):
    check(name, "inception_resnet_v2", 75, tmp_path)


@pytest.mark.slow
def test_no_top_with_pooling_matches_keras(tmp_path):
    check("InceptionResNetV2", "inception_resnet_v2", 75, tmp_path, include_top=False,
          pooling="avg", input_shape=(75, 91, 3))


def test_preprocess_input_matches_keras(backend):
    check_preprocess("inception_resnet_v2")


def test_custom_scale_layer_and_errors():
    layer = kerasx.applications.inception_resnet_v2.CustomScaleLayer(0.5)
    a, b = np.ones((2, 3), "float32"), np.full((2, 3), 4.0, "float32")
    np.testing.assert_allclose(kerasx.ops.convert_to_numpy(layer([a, b])), 3.0)
    assert layer.get_config()["scale"] == 0.5
    with pytest.raises(ValueError, match="Unknown Inception-ResNet block type"):
        kerasx.applications.inception_resnet_v2.inception_resnet_block(
            kerasx.Input((8, 8, 4)), 0.1, "block9", 1)
    with pytest.raises(ValueError, match="at least 75x75"):
        kerasx.applications.InceptionResNetV2(weights=None, include_top=False,
                                              input_shape=(64, 64, 3))
    with pytest.raises(ValueError, match="classes` should be 1000"):
        kerasx.applications.InceptionResNetV2(weights="imagenet", classes=10)


@pytest.mark.slow
def test_channels_first_predicts_as_channels_last():
    from tests.applications.keras_parity import check_channels_first

    check_channels_first("InceptionResNetV2", 75)
