"""An infinite Python generator into fit with steps_per_epoch, a finite one
into evaluate with steps, and predict on a generator of inputs only."""
# backends: all
# keras3: tensorflow, torch
import numpy as np

import keras

rng = np.random.default_rng(22)
w = rng.normal(size=(5, 1)).astype("float32")


def batches(batch_size=32, seed=0):
    local = np.random.default_rng(seed)
    while True:
        xb = local.normal(size=(batch_size, 5)).astype("float32")
        yield xb, xb @ w


def inputs_only(n_batches):
    local = np.random.default_rng(9)
    for _ in range(n_batches):
        yield (local.normal(size=(16, 5)).astype("float32"),)


keras.utils.set_random_seed(22)
model = keras.Sequential([keras.Input(shape=(5,)), keras.layers.Dense(1)])
model.compile(keras.optimizers.SGD(0.05), "mse")
history = model.fit(batches(), steps_per_epoch=20, epochs=5, verbose=0)
loss = model.evaluate(batches(seed=1), steps=4, verbose=0)
pred = model.predict(inputs_only(3), verbose=0)
assert pred.shape == (48, 1), pred.shape
assert len(history.history["loss"]) == 5
assert loss < 0.01, loss
print(f"RESULT loss={loss:.6f}")
