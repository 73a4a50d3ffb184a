"""A subclassed keras.Model with layers created in __init__ and a call()
using the `training` flag (Dropout), trained with compile/fit."""
# backends: all
# keras3: tensorflow, torch
# quick: yes
import numpy as np

import keras
from keras import layers


class MLP(keras.Model):
    def __init__(self, hidden=32, classes=3, **kwargs):
        super().__init__(**kwargs)
        self.dense1 = layers.Dense(hidden, activation="relu")
        self.dropout = layers.Dropout(0.2)
        self.dense2 = layers.Dense(classes)

    def call(self, inputs, training=False):
        x = self.dense1(inputs)
        x = self.dropout(x, training=training)
        return self.dense2(x)


keras.utils.set_random_seed(6)
rng = np.random.default_rng(6)
centers = rng.normal(scale=3.0, size=(3, 5))
y = rng.integers(0, 3, 300)
x = (centers[y] + rng.normal(size=(300, 5))).astype("float32")
model = MLP()
model.compile(optimizer="adam",
              loss=keras.losses.SparseCategoricalCrossentropy(from_logits=True),
              metrics=[keras.metrics.SparseCategoricalAccuracy(name="acc")])
history = model.fit(x, y, epochs=10, batch_size=32, verbose=0)
logits = model(x[:4])
assert tuple(keras.ops.shape(logits)) == (4, 3)
assert len(model.trainable_weights) == 4
acc = history.history["acc"][-1]
assert acc > 0.8, acc
print(f"RESULT loss={history.history['loss'][-1]:.4f} acc={acc:.4f}")
