"""Architecture round trips: model.to_json / keras.models.model_from_json,
get_config / Model.from_config, and keras.models.clone_model (new weights,
same structure; set_weights makes it identical)."""
# backends: all
# keras3: tensorflow, torch
import json

import numpy as np

import keras
from keras import layers

keras.utils.set_random_seed(29)
inputs = keras.Input(shape=(8,), name="x")
a = layers.Dense(16, activation="relu", name="a")(inputs)
b = layers.Dense(16, activation="tanh", name="b")(inputs)
merged = layers.Add(name="add")([a, b])
outputs = layers.Dense(2, name="out")(layers.Dropout(0.1)(merged))
model = keras.Model(inputs, outputs, name="branchy")
x = np.random.default_rng(29).normal(size=(5, 8)).astype("float32")

text = model.to_json()
assert json.loads(text)["class_name"] == "Functional"
from_json = keras.models.model_from_json(text)
assert [l.name for l in from_json.layers] == [l.name for l in model.layers]
from_json.set_weights(model.get_weights())
np.testing.assert_allclose(from_json.predict(x, verbose=0), model.predict(x, verbose=0),
                           rtol=1e-6, atol=1e-7)

from_config = keras.Model.from_config(model.get_config())
assert from_config.count_params() == model.count_params()

clone = keras.models.clone_model(model)
assert clone is not model and clone.count_params() == model.count_params()
assert not np.allclose(clone.get_weights()[0], model.get_weights()[0])
clone.set_weights(model.get_weights())
np.testing.assert_allclose(clone.predict(x, verbose=0), model.predict(x, verbose=0), rtol=1e-6,
                           atol=1e-7)
seq = keras.Sequential([keras.Input(shape=(3,)), layers.Dense(4), layers.Dense(1)])
seq_clone = keras.models.clone_model(seq)
assert isinstance(seq_clone, keras.Sequential) and len(seq_clone.layers) == 2
print(f"RESULT layers={len(model.layers)} params={model.count_params()}")
