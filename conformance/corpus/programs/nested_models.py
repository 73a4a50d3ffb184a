"""Models used as layers: a Sequential block inside a functional model inside
another Sequential; summary(), weights counted through the nesting."""
# backends: all
# keras3: tensorflow, torch
import numpy as np

import keras
from keras import layers

keras.utils.set_random_seed(5)
rng = np.random.default_rng(5)
x = rng.normal(size=(200, 8)).astype("float32")
y = (x @ rng.normal(size=(8, 1))).astype("float32")

block = keras.Sequential([layers.Dense(16, activation="relu"), layers.Dense(16)], name="block")
inner_in = keras.Input(shape=(8,))
inner = keras.Model(inner_in, layers.Dense(8)(block(layers.Dense(8)(inner_in))), name="inner")
outer = keras.Sequential([keras.Input(shape=(8,)), inner, layers.Dense(1)], name="outer")
outer.summary(print_fn=lambda *args, **kwargs: None)
assert len(outer.weights) == 2 * 5, len(outer.weights)
assert outer.count_params() == (8 * 8 + 8) + (8 * 16 + 16) + (16 * 16 + 16) + (16 * 8 + 8) + 9
outer.compile("adam", "mse")
history = outer.fit(x, y, epochs=15, batch_size=32, verbose=0)
assert history.history["loss"][-1] < 0.5 * history.history["loss"][0], history.history["loss"]
inner_out = inner.predict(x[:4], verbose=0)
assert inner_out.shape == (4, 8)
print(f"RESULT loss={history.history['loss'][-1]:.4f} params={outer.count_params()}")
