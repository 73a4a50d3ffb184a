"""Legacy Keras `.h5` weight files (Keras 2's layout, in which Keras
publishes its applications' weights), written by Keras 3 itself, loaded by
kerasx: by order and by name, with the same predictions; a file that does
not fit leaves the model unchanged."""
import h5py
import numpy as np
import pytest

keras = pytest.importorskip("keras")
from keras.src.legacy.saving import legacy_h5_format  # noqa: E402

import kerasx  # noqa: E402


def _model(api, name_prefix=""):
    inputs = api.Input((6, 6, 2))
    x = api.layers.Conv2D(3, 3, name=name_prefix + "conv")(inputs)
    x = api.layers.BatchNormalization(name=name_prefix + "bn")(x)
    x = api.layers.Flatten()(x)
    outputs = api.layers.Dense(4, name=name_prefix + "dense")(x)
    return api.Model(inputs, outputs)


def _keras_file(path, whole_model=False):
    ref = _model(keras)
    rng = np.random.default_rng(0)
    ref.set_weights([rng.uniform(0.5, 1.5, w.shape).astype("float32") for w in ref.weights])
    if whole_model:
        ref.save(path)  # legacy whole-model file: weights under model_weights
    else:
        with h5py.File(path, "w") as f:
            legacy_h5_format.save_weights_to_hdf5_group(f, ref)
    x = rng.standard_normal((2, 6, 6, 2)).astype("float32")
    return ref, x


@pytest.mark.parametrize("whole_model", [False, True])
def test_load_legacy_h5_by_order_matches_keras(backend, tmp_path, whole_model):
    path = str(tmp_path / "weights.h5")
    ref, x = _keras_file(path, whole_model)
    model = _model(kerasx, name_prefix="other_")  # names differ: order decides
    model.load_weights(path)
    np.testing.assert_allclose(model.predict(x, verbose=0), ref.predict(x, verbose=0),
                               rtol=1e-5, atol=1e-5)
    for ours, theirs in zip(model.weights, ref.weights):
        np.testing.assert_array_equal(np.asarray(ours.numpy()), theirs.numpy())


def test_load_legacy_h5_by_name_skips_unknown_layers(backend, tmp_path):
    path = str(tmp_path / "weights.h5")
    ref, _ = _keras_file(path)
    inputs = kerasx.Input((6, 6, 2))
    x = kerasx.layers.Conv2D(3, 3, name="conv")(inputs)
    outputs = kerasx.layers.Dense(5, name="head")(kerasx.layers.Flatten()(x))
    model = kerasx.Model(inputs, outputs)
    head = [np.asarray(w.numpy()) for w in model.get_layer("head").weights]
    model.load_weights(path, by_name=True)
    np.testing.assert_array_equal(np.asarray(model.get_layer("conv").kernel.numpy()),
                                  ref.get_layer("conv").kernel.numpy())
    for before, after in zip(head, model.get_layer("head").weights):
        np.testing.assert_array_equal(before, np.asarray(after.numpy()))


def test_legacy_h5_that_does_not_fit_leaves_the_model_unchanged(backend, tmp_path):
    path = str(tmp_path / "weights.h5")
    _keras_file(path)
    inputs = kerasx.Input((6, 6, 2))
    x = kerasx.layers.Conv2D(3, 3)(inputs)
    x = kerasx.layers.BatchNormalization()(x)
    outputs = kerasx.layers.Dense(7)(kerasx.layers.Flatten()(x))  # 7 units, not 4
    model = kerasx.Model(inputs, outputs)
    before = [np.asarray(w.numpy()) for w in model.weights]
    with pytest.raises(ValueError, match="shape"):
        model.load_weights(path)
    for b, w in zip(before, model.weights):
        np.testing.assert_array_equal(b, np.asarray(w.numpy()))
    with pytest.raises(ValueError, match="Layer count mismatch"):
        kerasx.Sequential([kerasx.Input((3,)), kerasx.layers.Dense(2)]).load_weights(path)
