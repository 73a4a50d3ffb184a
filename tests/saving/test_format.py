"""model.save / load_model / save_weights / load_weights: Keras 3's layout,
exact round trips, compile and optimizer state, continued training."""
import io
import json
import zipfile

import h5py
import numpy as np
import pytest

import kerasx as keras
from kerasx.saving import LoadingError


def cnn():
    keras.random.set_global_seed(7)
    inp = keras.Input((8, 8, 1))
    x = keras.layers.Conv2D(4, 3, activation="relu")(inp)
    x = keras.layers.BatchNormalization()(x)
    x = keras.layers.MaxPooling2D()(x)
    x = keras.layers.Flatten()(x)
    x = keras.layers.Dropout(0.25)(x)
    out = keras.layers.Dense(3, activation="softmax")(x)
    model = keras.Model(inp, out)
    model.compile(optimizer=keras.optimizers.Adam(1e-2),
                  loss="sparse_categorical_crossentropy", metrics=["accuracy"])
    return model


def data(n=24):
    rs = np.random.RandomState(0)
    return rs.rand(n, 8, 8, 1).astype("float32"), rs.randint(0, 3, n)


def h5_tree(path):
    with zipfile.ZipFile(path) as zf:
        f = h5py.File(io.BytesIO(zf.read("model.weights.h5")), "r")
        out = {}
        f.visititems(lambda n, o: out.__setitem__(n, getattr(o, "shape", None)))
        return out


def test_archive_layout_is_keras(backend, tmp_path):
    model = cnn()
    x, y = data()
    model.fit(x, y, epochs=1, batch_size=8, verbose=0)
    path = tmp_path / "m.keras"
    model.save(path)
    with zipfile.ZipFile(path) as zf:
        assert sorted(zf.namelist()) == ["config.json", "metadata.json", "model.weights.h5"]
        config = json.loads(zf.read("config.json"))
        assert config["class_name"] == "Functional"
        assert config["module"] == "keras.src.models.functional"
        assert config["compile_config"]["loss"] == "sparse_categorical_crossentropy"
        assert "keras_version" in json.loads(zf.read("metadata.json"))
    tree = h5_tree(path)
    assert tree["layers/conv2d/vars/0"] == (3, 3, 1, 4)
    assert tree["layers/dense/vars/0"] == (36, 3)
    assert [k for k in tree if k.startswith("layers/batch_normalization/vars/")] == [
        f"layers/batch_normalization/vars/{i}" for i in range(4)]
    assert "layers/dropout/vars" in tree and "vars" in tree
    assert tree["optimizer/vars/0"] == ()  # iterations
    assert len([k for k in tree if k.startswith("optimizer/vars/")]) == 14


def test_round_trip_and_continued_training_are_exact(backend, tmp_path):
    x, y = data()
    model = cnn()
    model.fit(x, y, epochs=1, batch_size=8, verbose=0)
    path = tmp_path / "m.keras"
    model.save(path)
    loaded = keras.models.load_model(path)
    np.testing.assert_array_equal(model.predict(x, verbose=0), loaded.predict(x, verbose=0))
    assert int(loaded.optimizer.iterations.numpy()) == 3
    assert type(loaded.optimizer).__name__ == "Adam"
    assert loaded.metrics_names == model.metrics_names or loaded.compiled
    # Same optimizer state, same dropout stream: the same losses, bit for bit.
    h1 = model.fit(x, y, epochs=2, batch_size=8, shuffle=False, verbose=0).history["loss"]
    h2 = loaded.fit(x, y, epochs=2, batch_size=8, shuffle=False, verbose=0).history["loss"]
    assert h1 == h2
    for a, b in zip(model.get_weights(), loaded.get_weights()):
        np.testing.assert_array_equal(a, b)


def test_compile_false_and_uncompiled(backend, tmp_path):
    model = cnn()
    model.save(tmp_path / "m.keras")
    loaded = keras.models.load_model(tmp_path / "m.keras", compile=False)
    assert not loaded.compiled
    seq = keras.Sequential([keras.Input((3,)), keras.layers.Dense(2)])
    seq.save(tmp_path / "s.keras")
    again = keras.saving.load_model(tmp_path / "s.keras")
    assert isinstance(again, keras.Sequential) and not again.compiled
    np.testing.assert_array_equal(seq.get_weights()[0], again.get_weights()[0])


def test_nested_and_deferred_sequential(backend, tmp_path):
    keras.random.set_global_seed(1)
    inner = keras.Sequential([keras.layers.Dense(4, activation="relu", input_shape=(3,)),
                              keras.layers.Dense(2)])
    inp = keras.Input((3,))
    out = keras.layers.Dense(1)(inner(inp))
    model = keras.Model(inp, out)
    model.compile("sgd", "mse")
    path = tmp_path / "nested.keras"
    model.save(path)
    assert "layers/sequential/layers/dense/vars/0" in h5_tree(path)
    loaded = keras.models.load_model(path)
    x = np.random.RandomState(2).rand(5, 3).astype("float32")
    np.testing.assert_array_equal(model.predict(x, verbose=0), loaded.predict(x, verbose=0))
    deferred = keras.Sequential([keras.layers.Dense(2)])
    deferred(x)
    deferred.save(tmp_path / "deferred.keras")
    np.testing.assert_array_equal(
        deferred.predict(x, verbose=0),
        keras.models.load_model(tmp_path / "deferred.keras").predict(x, verbose=0))


def test_save_weights_load_weights(backend, tmp_path):
    x, y = data()
    model = cnn()
    model.fit(x, y, epochs=1, batch_size=8, verbose=0)
    path = tmp_path / "w.weights.h5"
    model.save_weights(path)
    with h5py.File(path) as f:
        assert f["layers/dense/vars/0"].shape == (36, 3)
        assert f["optimizer/vars/0"][()] == 3
    other = cnn()
    other.load_weights(path)
    for a, b in zip(model.get_weights(), other.get_weights()):
        np.testing.assert_array_equal(a, b)
    assert int(other.optimizer.iterations.numpy()) == 3
    other.load_weights(tmp_path / "w.weights.h5")
    model.save(tmp_path / "m.keras")
    third = cnn()
    third.load_weights(tmp_path / "m.keras")
    np.testing.assert_array_equal(model.get_weights()[0], third.get_weights()[0])
    with pytest.raises(ValueError, match=".weights.h5"):
        model.save_weights(tmp_path / "w.h5")
    with pytest.raises(ValueError, match=".keras"):
        model.save(tmp_path / "m.h5")
    with pytest.raises(FileExistsError):
        model.save(tmp_path / "m.keras", overwrite=False)


def test_load_weights_wrong_model_leaves_it_unchanged(backend, tmp_path):
    model = cnn()
    model.save_weights(tmp_path / "w.weights.h5")
    other = keras.Sequential([keras.Input((4,)), keras.layers.Dense(3)])
    before = other.get_weights()
    with pytest.raises(LoadingError):
        other.load_weights(tmp_path / "w.weights.h5")
    for a, b in zip(before, other.get_weights()):
        np.testing.assert_array_equal(a, b)


def test_custom_objects_and_registered_classes(backend, tmp_path):
    @keras.saving.register_keras_serializable(package="TestSaving")
    class Scale(keras.layers.Layer):
        def __init__(self, factor=2.0, **kwargs):
            super().__init__(**kwargs)
            self.factor = factor

        def build(self, input_shape):
            self.w = self.add_weight(shape=(input_shape[-1],), initializer="ones")

        def call(self, x):
            return keras.ops.multiply(keras.ops.multiply(x, self.w.value), self.factor)

        def get_config(self):
            return {**super().get_config(), "factor": self.factor}

    inp = keras.Input((3,))
    model = keras.Model(inp, Scale(3.0)(inp))
    model.save(tmp_path / "c.keras")
    loaded = keras.models.load_model(tmp_path / "c.keras")
    x = np.ones((2, 3), "float32")
    np.testing.assert_array_equal(loaded.predict(x, verbose=0), 3 * x)


def test_model_checkpoint_writes_loadable_files(backend, tmp_path):
    x, y = data()
    model = cnn()
    cb = keras.callbacks.ModelCheckpoint(str(tmp_path / "ck-{epoch}.keras"), monitor="loss")
    wcb = keras.callbacks.ModelCheckpoint(str(tmp_path / "w.weights.h5"), monitor="loss",
                                          save_weights_only=True, save_freq=2)
    model.fit(x, y, epochs=2, batch_size=8, verbose=0, callbacks=[cb, wcb])
    loaded = keras.models.load_model(tmp_path / "ck-2.keras")
    np.testing.assert_array_equal(model.predict(x, verbose=0), loaded.predict(x, verbose=0))
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".")] == []
