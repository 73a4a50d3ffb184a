"""A keras.utils.PyDataset subclass (batches built in __getitem__), read by
fit with workers=2 (threads), plus an evaluate on a second PyDataset."""
# backends: all
# keras3: tensorflow, torch
import math

import numpy as np

import keras


class Batches(keras.utils.PyDataset):
    def __init__(self, x, y, batch_size, **kwargs):
        super().__init__(**kwargs)
        self.x, self.y, self.batch_size = x, y, batch_size

    def __len__(self):
        return math.ceil(len(self.x) / self.batch_size)

    def __getitem__(self, idx):
        low = idx * self.batch_size
        high = min(low + self.batch_size, len(self.x))
        return self.x[low:high], self.y[low:high]


keras.utils.set_random_seed(21)
rng = np.random.default_rng(21)
x = rng.normal(size=(300, 8)).astype("float32")
y = (x[:, :2].sum(axis=1) > 0).astype("float32")
train = Batches(x[:240], y[:240], 32, workers=2, use_multiprocessing=False)
test = Batches(x[240:], y[240:], 32)
assert len(train) == 8
model = keras.Sequential([keras.Input(shape=(8,)), keras.layers.Dense(8, activation="relu"),
                          keras.layers.Dense(1, activation="sigmoid")])
model.compile(keras.optimizers.Adam(1e-2), "binary_crossentropy", metrics=["accuracy"])
history = model.fit(train, epochs=8, verbose=0)
loss, acc = model.evaluate(test, verbose=0)
assert model.predict(test, verbose=0).shape == (60, 1)
assert history.history["loss"][-1] < history.history["loss"][0]
assert acc > 0.75, acc
print(f"RESULT loss={loss:.4f} acc={acc:.4f}")
