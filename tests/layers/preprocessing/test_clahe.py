"""ContrastLimitedAdaptiveHistogramEqualization against Keras 3 (TensorFlow
backend) on every kerasx backend: values (padding, grids, clipping, value
ranges, layouts, integer images), config, a model saved to .keras and
loaded by Keras, and a tf.data map."""
import numpy as np
import pytest

import kerasx
from kerasx import layers
from kerasx.backend import get_ops
from tests.layer_parity import assert_close, check_config, report_at_teardown

keras = pytest.importorskip("keras")

_report = report_at_teardown("CLAHE")

CASES = [
    ((2, 32, 32, 3), {}),
    ((2, 37, 29, 2), dict(tile_grid_size=(4, 3), clip_limit=2.0)),  # padded tiles
    ((21, 17, 1), dict(clip_limit=0.0, tile_grid_size=(2, 2))),     # unbatched, no clip
    ((2, 3, 20, 24), dict(data_format="channels_first", value_range=(0, 1),
                          tile_grid_size=(3, 5))),
    ((1, 16, 16, 1), dict(tile_grid_size=(1, 1), clip_limit=40.0)),
]


def _images(shape, value_range=(0, 255), seed=0):
    rng = np.random.default_rng(seed)
    low, high = value_range
    # Squared uniform values: an uneven histogram, so equalization moves them.
    x = rng.uniform(0, 1, shape) ** 2
    return (low + (high - low) * x).astype("float32")


@pytest.mark.parametrize("shape,kwargs", CASES, ids=range(len(CASES)))
def test_clahe_matches_keras(backend, shape, kwargs):
    x = _images(shape, kwargs.get("value_range", (0, 255)))
    expected = np.asarray(keras.layers.ContrastLimitedAdaptiveHistogramEqualization(**kwargs)(x))
    layer = layers.ContrastLimitedAdaptiveHistogramEqualization(**kwargs)
    assert not np.allclose(expected, x)  # the case does change the images
    for training in (True, False):  # applied in inference too, as Keras
        out = get_ops().to_numpy(layer(x, training=training))
        assert out.dtype == np.float32
        assert_close(f"CLAHE {kwargs}", out, expected, backend)


def test_clahe_integer_images_keep_their_dtype(backend):
    x = np.random.default_rng(1).integers(0, 256, (2, 24, 24, 3)).astype("int32")
    expected = np.asarray(keras.layers.ContrastLimitedAdaptiveHistogramEqualization(
        tile_grid_size=(3, 3))(x))
    out = get_ops().to_numpy(layers.ContrastLimitedAdaptiveHistogramEqualization(
        tile_grid_size=(3, 3))(x))
    assert out.dtype == expected.dtype == np.int32
    np.testing.assert_array_equal(out, expected)


def test_clahe_config_and_errors():
    kwargs = dict(value_range=(0, 1), clip_limit=3.0, tile_grid_size=(4, 2),
                  data_format="channels_first")
    clone = check_config(layers.ContrastLimitedAdaptiveHistogramEqualization(**kwargs),
                         keras.layers.ContrastLimitedAdaptiveHistogramEqualization(**kwargs))
    assert clone.tile_grid_size == (4, 2)
    with pytest.raises(ValueError, match="tile_grid_size"):
        layers.ContrastLimitedAdaptiveHistogramEqualization(tile_grid_size=(0, 4))
    with pytest.raises(ValueError, match="data_format"):
        layers.ContrastLimitedAdaptiveHistogramEqualization(data_format="nhwc")


def test_clahe_in_a_saved_model_and_in_tf_data(backend, tmp_path):
    import tensorflow as tf

    x = _images((4, 16, 20, 3), seed=2)
    kwargs = dict(tile_grid_size=(2, 4), clip_limit=3.0)
    expected = np.asarray(keras.layers.ContrastLimitedAdaptiveHistogramEqualization(**kwargs)(x))
    inputs = kerasx.Input((16, 20, 3))
    model = kerasx.Model(inputs, layers.ContrastLimitedAdaptiveHistogramEqualization(
        **kwargs)(inputs))
    assert_close("in a model", get_ops().to_numpy(model(x)), expected, backend)
    path = str(tmp_path / "clahe.keras")
    model.save(path)
    assert_close("loaded by Keras", np.asarray(keras.models.load_model(path)(x)), expected,
                 backend)
    layer = layers.ContrastLimitedAdaptiveHistogramEqualization(**kwargs)
    batches = [b.numpy() for b in tf.data.Dataset.from_tensor_slices(x).batch(2).map(layer)]
    assert_close("tf.data map", np.concatenate(batches), expected, backend)
