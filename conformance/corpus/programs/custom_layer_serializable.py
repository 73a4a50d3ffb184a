"""A custom layer registered with @keras.saving.register_keras_serializable,
with get_config/from_config, saved inside a .keras model and loaded without
custom_objects; and an unregistered one loaded with custom_objects."""
# backends: all
# keras3: tensorflow, torch
import numpy as np

import keras


@keras.saving.register_keras_serializable(package="corpus")
class ScaledDense(keras.layers.Layer):
    def __init__(self, units, scale=1.0, **kwargs):
        super().__init__(**kwargs)
        self.units, self.scale = units, scale
        self.dense = keras.layers.Dense(units)

    def call(self, inputs):
        return self.dense(inputs) * self.scale

    def get_config(self):
        config = super().get_config()
        config.update({"units": self.units, "scale": self.scale})
        return config


class Offset(keras.layers.Layer):
    def __init__(self, offset=0.0, **kwargs):
        super().__init__(**kwargs)
        self.offset = offset

    def call(self, inputs):
        return inputs + self.offset

    def get_config(self):
        return {**super().get_config(), "offset": self.offset}


keras.utils.set_random_seed(30)
layer = ScaledDense(4, scale=0.5, name="scaled")
config = layer.get_config()
assert config["units"] == 4 and config["scale"] == 0.5 and config["name"] == "scaled"
copy = ScaledDense.from_config(config)
assert copy.units == 4 and copy.scale == 0.5
assert keras.saving.get_registered_name(ScaledDense) == "corpus>ScaledDense"

model = keras.Sequential([keras.Input(shape=(3,)), ScaledDense(4, scale=2.0), Offset(1.5)])
x = np.random.default_rng(30).normal(size=(6, 3)).astype("float32")
expected = model.predict(x, verbose=0)
model.save("custom.keras")
loaded = keras.models.load_model("custom.keras", custom_objects={"Offset": Offset})
assert isinstance(loaded.layers[0], ScaledDense) and loaded.layers[0].scale == 2.0
np.testing.assert_allclose(loaded.predict(x, verbose=0), expected, rtol=1e-6, atol=1e-7)
print(f"RESULT max_abs={float(np.abs(expected).max()):.4f}")
