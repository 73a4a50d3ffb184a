"""LearningRateScheduler, ReduceLROnPlateau and CSVLogger together; the
learning rate lands in the logs and the CSV file, and really changes."""
# backends: all
# keras3: tensorflow, torch
import csv

import numpy as np

import keras

keras.utils.set_random_seed(18)
rng = np.random.default_rng(18)
x = rng.normal(size=(128, 4)).astype("float32")
y = (x @ rng.normal(size=(4, 1))).astype("float32")
model = keras.Sequential([keras.Input(shape=(4,)), keras.layers.Dense(1)])
model.compile(keras.optimizers.SGD(0.1), "mse")


def schedule(epoch, lr):
    return lr if epoch < 2 else lr * 0.5


callbacks = [keras.callbacks.LearningRateScheduler(schedule),
             keras.callbacks.ReduceLROnPlateau(monitor="loss", factor=0.1, patience=1,
                                               min_delta=10.0),
             keras.callbacks.CSVLogger("training.csv")]
history = model.fit(x, y, epochs=5, batch_size=32, verbose=0, callbacks=callbacks)
lrs = [float(v) for v in history.history["learning_rate"]]
assert np.isclose(lrs[0], 0.1) and lrs[-1] < 0.01, lrs
assert np.isclose(float(keras.ops.convert_to_numpy(model.optimizer.learning_rate)), lrs[-1] * 0.1)
with open("training.csv") as f:
    rows = list(csv.DictReader(f))
assert [int(r["epoch"]) for r in rows] == [0, 1, 2, 3, 4], rows
assert {"epoch", "learning_rate", "loss"} <= set(rows[0]), rows[0]
np.testing.assert_allclose([float(r["loss"]) for r in rows], history.history["loss"], rtol=1e-5)
print(f"RESULT loss={history.history['loss'][-1]:.4f} lr={lrs[-1]:.2e}")
