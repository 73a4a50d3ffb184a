"""Subclassed models in .keras files as Keras 3 writes them: sublayers whose
attribute sorts after "layers" are stored under layers/<key> (Keras walks
dir(model), where the `layers` property comes first); files with the older
attribute layout still load; a custom compile() is not replayed on load."""
import io
import warnings
import zipfile

import numpy as np
import pytest

import kerasx
from kerasx.saving import weights_h5


def _model(lib):
    class Blocks(lib.Model):
        def __init__(self, **kwargs):
            super().__init__(**kwargs)
            self.alpha = lib.layers.Dense(5, activation="tanh")   # before "layers"
            self.zeta = lib.layers.Dense(3)                        # after "layers"
            self.projection = lib.layers.Dense(3, use_bias=False)  # after "layers"

        def call(self, x):
            h = self.alpha(x)
            return self.zeta(h) + self.projection(h)

    model = Blocks()
    x = np.random.default_rng(0).standard_normal((4, 6)).astype("float32")
    model(x)
    rng = np.random.default_rng(1)
    model.set_weights([rng.standard_normal(w.shape).astype("float32")
                       for w in model.get_weights()])
    return model, x


def _paths(path):
    import h5py

    with zipfile.ZipFile(path) as archive:
        data = archive.read("model.weights.h5")
    names = []
    with h5py.File(io.BytesIO(data), "r") as f:
        f.visit(names.append)
    return names


def _numpy(t):
    return np.asarray(kerasx.ops.convert_to_numpy(t))


def test_layout_is_keras(backend, tmp_path):
    import keras

    ours, x = _model(kerasx)
    theirs, _ = _model(keras)
    ours.save(tmp_path / "kerasx.keras")
    theirs.save(tmp_path / "keras.keras")
    paths = _paths(tmp_path / "kerasx.keras")
    assert paths == _paths(tmp_path / "keras.keras")
    assert "alpha/vars/0" in paths and "layers/dense_1/vars/0" in paths
    assert "zeta/vars/0" not in paths
    # Keras reads kerasx's file into its own class.
    keras_model, _ = _model(keras)
    keras_model.load_weights(tmp_path / "kerasx.keras")
    np.testing.assert_allclose(np.asarray(keras_model(x)), _numpy(ours(x)),
                               rtol=1e-5, atol=1e-6)
    # And kerasx reads Keras's.
    fresh, _ = _model(kerasx)
    fresh.load_weights(tmp_path / "keras.keras")
    np.testing.assert_allclose(_numpy(fresh(x)), np.asarray(theirs(x)), rtol=1e-5, atol=1e-6)


def test_attribute_layout_still_loads(backend):
    import h5py

    model, x = _model(kerasx)
    expected = [w + 1.0 for w in model.get_weights()]
    old = io.BytesIO()
    with h5py.File(old, "w") as f:  # each sublayer under its attribute
        for path, obj in weights_h5.saveables(model, subclassed_layers=False):
            group = f.create_group(weights_h5._vars_path(path))
            for i, variable in enumerate(weights_h5.own_variables(obj)):
                group.create_dataset(str(i), data=np.asarray(variable.numpy()) + 1.0)
    assert "zeta" in [p for p, _ in weights_h5.saveables(model, subclassed_layers=False)]
    with weights_h5.open_h5(io.BytesIO(old.getvalue())) as f:
        weights_h5.assign(weights_h5.read_values(model, f))
    for actual, wanted in zip(model.get_weights(), expected):
        np.testing.assert_array_equal(actual, wanted)


def test_custom_compile_is_not_replayed(backend, tmp_path):
    class TwoOptimizers(kerasx.Model):  # built functionally: its config rebuilds it
        def compile(self, first, second, **kwargs):
            super().compile(optimizer=first, loss="mse", **kwargs)
            self.second = second

    custom = {"TwoOptimizers": TwoOptimizers}
    inputs = kerasx.Input((3,))
    model = TwoOptimizers(inputs, kerasx.layers.Dense(2)(inputs))
    x = np.ones((2, 3), "float32")
    model.compile(kerasx.optimizers.SGD(0.1), kerasx.optimizers.SGD(0.2))
    model.save(tmp_path / "custom.keras")
    with pytest.warns(UserWarning, match="compile\\(\\)` method is custom"):
        loaded = kerasx.models.load_model(tmp_path / "custom.keras", custom_objects=custom)
    assert not loaded.compiled
    np.testing.assert_allclose(_numpy(loaded(x)), _numpy(model(x)), rtol=1e-6)

    class Recompiling(TwoOptimizers):
        def compile_from_config(self, config):
            self.compile(kerasx.optimizers.get(config["optimizer"]), "second")

    custom = {"TwoOptimizers": Recompiling}
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # the override is called, no warning
        loaded = kerasx.models.load_model(tmp_path / "custom.keras", custom_objects=custom)
    assert loaded.compiled and loaded.second == "second"
    assert isinstance(loaded.optimizer, kerasx.optimizers.SGD)
