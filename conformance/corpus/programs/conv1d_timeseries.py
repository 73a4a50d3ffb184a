"""Time-series classification with Conv1D, BatchNormalization, ReLU and
GlobalAveragePooling1D on synthetic sine waves of two frequencies, with
ReduceLROnPlateau and EarlyStopping on val_loss."""
# backends: all
# keras3: tensorflow, torch
import numpy as np

import keras
from keras import layers

keras.utils.set_random_seed(26)
rng = np.random.default_rng(26)
n, steps = 300, 64
label = rng.integers(0, 2, n)
t = np.arange(steps) / steps
phase = rng.random((n, 1)) * 2 * np.pi
x = np.sin(2 * np.pi * (2 + 3 * label[:, None]) * t + phase) + 0.2 * rng.normal(size=(n, steps))
x = x[..., None].astype("float32")

inputs = keras.Input(shape=(steps, 1))
h = inputs
for filters in (16, 16):
    h = layers.Conv1D(filters, 5, padding="same")(h)
    h = layers.BatchNormalization(momentum=0.9)(h)
    h = layers.ReLU()(h)
h = layers.GlobalAveragePooling1D()(h)
outputs = layers.Dense(2, activation="softmax")(h)
model = keras.Model(inputs, outputs)
model.compile(keras.optimizers.Adam(3e-3), "sparse_categorical_crossentropy", metrics=["sparse_categorical_accuracy"])
callbacks = [keras.callbacks.ReduceLROnPlateau(monitor="val_loss", factor=0.5, patience=2),
             keras.callbacks.EarlyStopping(monitor="val_loss", patience=4)]
history = model.fit(x, label, batch_size=32, epochs=10, validation_split=0.2, verbose=0,
                    callbacks=callbacks)
loss, acc = model.evaluate(x, label, verbose=0)
assert acc > 0.8, acc
print(f"RESULT loss={loss:.4f} acc={acc:.4f}")
