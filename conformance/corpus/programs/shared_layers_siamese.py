"""Siamese network: one encoder model shared by two inputs (its weights
counted once), absolute difference, sigmoid similarity head."""
# backends: all
# keras3: tensorflow, torch
import numpy as np

import keras
from keras import layers

keras.utils.set_random_seed(4)
rng = np.random.default_rng(4)
n = 512
a = rng.normal(size=(n, 10)).astype("float32")
same = rng.integers(0, 2, n)
b = np.where(same[:, None] == 1, a + 0.1 * rng.normal(size=(n, 10)),
             rng.normal(size=(n, 10))).astype("float32")
label = same.astype("float32")

encoder = keras.Sequential([keras.Input(shape=(10,)), layers.Dense(16, activation="relu"),
                            layers.Dense(8)], name="encoder")
in_a, in_b = keras.Input(shape=(10,)), keras.Input(shape=(10,))
shared_dense = layers.Dense(8, activation="tanh")  # a shared layer, called twice
ea, eb = shared_dense(encoder(in_a)), shared_dense(encoder(in_b))
distance = layers.Lambda(lambda t: keras.ops.abs(t[0] - t[1]))([ea, eb])
out = layers.Dense(1, activation="sigmoid")(distance)
model = keras.Model([in_a, in_b], out)
assert len(model.trainable_weights) == 4 + 2 + 2, len(model.trainable_weights)
model.compile(keras.optimizers.Adam(1e-2), "binary_crossentropy", metrics=["accuracy"])
history = model.fit([a, b], label, epochs=10, batch_size=64, verbose=0)
acc = history.history["accuracy"][-1]
assert history.history["loss"][-1] < history.history["loss"][0]
assert acc > 0.75, acc
print(f"RESULT loss={history.history['loss'][-1]:.4f} acc={acc:.4f}")
