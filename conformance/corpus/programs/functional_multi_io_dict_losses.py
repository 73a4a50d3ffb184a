"""Functional model with two named inputs and two named outputs; losses,
loss_weights and metrics given as dicts keyed by output name; data as dicts."""
# backends: all
# keras3: tensorflow, torch
import numpy as np

import keras
from keras import layers

keras.utils.set_random_seed(2)
rng = np.random.default_rng(2)
n = 256
title = rng.integers(1, 50, size=(n, 12))
tags = rng.integers(0, 2, size=(n, 6)).astype("float32")
priority = (title[:, :3].mean(axis=1, keepdims=True) / 50.0).astype("float32")
department = (tags[:, 0] + tags[:, 1]).astype("int64")   # classes 0..2

title_input = keras.Input(shape=(12,), name="title")
tags_input = keras.Input(shape=(6,), name="tags")
x = layers.Embedding(50, 8)(title_input)
x = layers.GlobalAveragePooling1D()(x)
x = layers.concatenate([x, tags_input])
x = layers.Dense(16, activation="relu")(x)
priority_out = layers.Dense(1, name="priority")(x)
department_out = layers.Dense(3, activation="softmax", name="department")(x)
model = keras.Model(inputs={"title": title_input, "tags": tags_input},
                    outputs={"priority": priority_out, "department": department_out})
model.compile(optimizer=keras.optimizers.RMSprop(1e-2),
              loss={"priority": "mse", "department": "sparse_categorical_crossentropy"},
              loss_weights={"priority": 1.0, "department": 0.5},
              metrics={"department": ["accuracy"]})
history = model.fit({"title": title, "tags": tags},
                    {"priority": priority, "department": department},
                    epochs=8, batch_size=32, verbose=0)
losses = history.history["loss"]
assert losses[-1] < losses[0], losses
assert "department_accuracy" in history.history, sorted(history.history)
pred = model.predict({"title": title[:5], "tags": tags[:5]}, verbose=0)
assert pred["priority"].shape == (5, 1) and pred["department"].shape == (5, 3)
print(f"RESULT loss={losses[-1]:.4f} acc={history.history['department_accuracy'][-1]:.4f}")
