"""keras.utils / keras.saving names: custom object scopes, the global custom
objects, serialize/deserialize_keras_object (against Keras 3's configs),
Config, get_source_inputs, interactive logging, and the backend aliases."""
import logging

import numpy as np
import pytest

import kerasx
from kerasx import saving, utils


class Scaled(kerasx.layers.Layer):
    """A user layer known only through custom objects."""

    def __init__(self, factor=2.0, **kwargs):
        super().__init__(**kwargs)
        self.factor = factor

    def call(self, x):
        return x * self.factor

    def get_config(self):
        return {**super().get_config(), "factor": self.factor}


def _scaled_config():
    return {"module": "__main__", "class_name": "Scaled", "config": {"factor": 3.0},
            "registered_name": "Scaled"}


def test_custom_object_scope_resolves_and_restores():
    with pytest.raises(ValueError):
        kerasx.layers.deserialize(_scaled_config())
    with utils.custom_object_scope({"Scaled": Scaled}) as scope:
        assert isinstance(scope, saving.CustomObjectScope)
        layer = saving.deserialize_keras_object(_scaled_config())
        assert isinstance(layer, Scaled) and layer.factor == 3.0
        assert kerasx.layers.deserialize(_scaled_config()).factor == 3.0
        with saving.CustomObjectScope({}):
            with pytest.raises(ValueError):
                kerasx.layers.deserialize(_scaled_config())
        assert kerasx.layers.deserialize(_scaled_config()).factor == 3.0
    with pytest.raises(ValueError):
        saving.deserialize_keras_object(_scaled_config())


def test_get_custom_objects_is_the_global_registry():
    objects = saving.get_custom_objects()
    assert objects is utils.get_custom_objects()
    objects["Scaled"] = Scaled
    try:
        assert saving.deserialize_keras_object(_scaled_config()).factor == 3.0
    finally:
        del objects["Scaled"]

    @saving.register_keras_serializable(package="H7Test")
    class Registered(Scaled):
        pass

    try:
        assert objects["H7Test>Registered"] is Registered
        config = saving.serialize_keras_object(Registered(1.5))
        assert config["registered_name"] == "H7Test>Registered"
        assert saving.deserialize_keras_object(config).factor == 1.5
    finally:
        del objects["H7Test>Registered"]


def test_serialize_matches_keras_configs():
    import keras
    pairs = [
        # Named: default names are numbered by how many came before, in
        # each library's own counter.
        (kerasx.optimizers.Adam(learning_rate=0.01, name="adam"),
         keras.optimizers.Adam(learning_rate=0.01, name="adam")),
        (kerasx.initializers.GlorotUniform(seed=1), keras.initializers.GlorotUniform(seed=1)),
        (kerasx.losses.MeanSquaredError(), keras.losses.MeanSquaredError()),
        (np.array([1.0, 2.0]), np.array([1.0, 2.0])),
        ((1, [2, "a"]), (1, [2, "a"])),
        (None, None),
    ]
    for ours, theirs in pairs:
        assert saving.serialize_keras_object(ours) == keras.saving.serialize_keras_object(theirs)
    ours = saving.serialize_keras_object(kerasx.layers.Dense(3, name="d"))
    theirs = keras.saving.serialize_keras_object(keras.layers.Dense(3, name="d"))
    assert {k: ours[k] for k in ("module", "class_name", "registered_name")} == \
        {k: theirs[k] for k in ("module", "class_name", "registered_name")}
    fn = saving.serialize_keras_object(kerasx.activations.relu)
    assert fn == keras.saving.serialize_keras_object(keras.activations.relu)


def test_deserialize_keras_configs():
    import keras
    for obj in (keras.layers.Dense(3, activation="relu", name="d"),
                keras.optimizers.SGD(learning_rate=0.5, momentum=0.9),
                keras.initializers.RandomNormal(stddev=0.2, seed=3),
                keras.losses.BinaryCrossentropy(from_logits=True),
                keras.regularizers.L2(0.01), keras.activations.tanh,
                keras.optimizers.schedules.ExponentialDecay(0.1, 10, 0.9)):
        config = keras.saving.serialize_keras_object(obj)
        ours = saving.deserialize_keras_object(config)
        if callable(obj) and not hasattr(obj, "get_config"):
            assert ours is kerasx.activations.tanh
            continue
        assert type(ours).__name__ == type(obj).__name__
        mine = saving.serialize_keras_object(ours)["config"]
        for key, value in config["config"].items():
            if key in mine and not isinstance(value, dict):
                assert mine[key] == pytest.approx(value) if isinstance(value, float) \
                    else mine[key] == value, key
    array = saving.deserialize_keras_object(
        keras.saving.serialize_keras_object(np.arange(3, dtype="int32")))
    assert array.dtype == np.int32 and array.tolist() == [0, 1, 2]
    with pytest.raises(ValueError, match="Could not locate"):
        saving.deserialize_keras_object({"module": "nowhere", "class_name": "Nope",
                                         "config": {}})


def test_save_weights_function(tmp_path, backend):
    model = kerasx.Sequential([kerasx.Input((3,)), kerasx.layers.Dense(2)])
    path = str(tmp_path / "m.weights.h5")
    saving.save_weights(model, path)
    other = kerasx.Sequential([kerasx.Input((3,)), kerasx.layers.Dense(2)])
    saving.load_weights(other, path)
    x = np.ones((1, 3), "float32")
    np.testing.assert_array_equal(kerasx.ops.convert_to_numpy(model(x)),
                                  kerasx.ops.convert_to_numpy(other(x)))
    with pytest.raises(ValueError, match="weights.h5"):
        saving.save_weights(model, str(tmp_path / "m.h5"))


def test_config_object():
    import keras
    ours, theirs = utils.Config(lr=0.1, layers=[1]), keras.utils.Config(lr=0.1, layers=[1])
    for c in (ours, theirs):
        c.epochs = 3
        c["name"] = "x"
    assert ours.as_dict() == theirs.as_dict() and list(ours) == list(theirs)
    assert ours.to_json() == theirs.to_json() and ours.lr == 0.1 and len(ours) == 4
    ours.freeze()
    assert ours.frozen
    with pytest.raises(ValueError, match="frozen"):
        ours.lr = 0.2
    with pytest.raises(AttributeError, match="Did you mean 'epochs'"):
        ours.epoch
    ours.unfreeze()
    ours.lr = 0.2
    assert ours["lr"] == 0.2


def test_get_source_inputs_and_is_keras_tensor():
    a, b = kerasx.Input((3,)), kerasx.Input((3,))
    h = kerasx.layers.Dense(2)(kerasx.layers.add([a, b]))
    out = kerasx.layers.Dense(1)(kerasx.layers.concatenate([h, a]))
    sources = utils.get_source_inputs(out)
    assert len(sources) == 2 and sources[0] is a and sources[1] is b
    assert utils.get_source_inputs(a)[0] is a
    assert utils.is_keras_tensor(out) and not utils.is_keras_tensor(np.ones(2))
    with pytest.raises(ValueError, match="KerasTensor"):
        utils.get_source_inputs(np.ones(2))


def test_interactive_logging_routes_output(capsys, caplog):
    model = kerasx.Sequential([kerasx.Input((2,)), kerasx.layers.Dense(1)])
    assert utils.is_interactive_logging_enabled()
    utils.disable_interactive_logging()
    try:
        assert not utils.is_interactive_logging_enabled()
        with caplog.at_level(logging.INFO, logger="kerasx"):
            model.summary()
            bar = utils.Progbar(2, verbose=1)
            bar.update(2)
        assert capsys.readouterr().out == ""
        assert "Total params: 3" in caplog.text and "2/2" in caplog.text
    finally:
        utils.enable_interactive_logging()
    model.summary()
    assert "Total params: 3" in capsys.readouterr().out


def test_backend_aliases():
    import keras
    for dtype in ("float32", np.int64, np.dtype("float16"), bool):
        assert utils.standardize_dtype(dtype) == keras.utils.standardize_dtype(dtype)
    kerasx.layers.Dense(1)
    utils.clear_session()
    assert kerasx.layers.Dense(1).name == "dense"
