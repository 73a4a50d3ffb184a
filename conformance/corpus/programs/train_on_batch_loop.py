"""A manual loop with train_on_batch and test_on_batch: each call returns
that batch's values (Keras 3 resets the metrics on every call), checked
against evaluate on the same batch."""
# backends: all
# keras3: tensorflow, torch
# quick: yes
import numpy as np

import keras

keras.utils.set_random_seed(31)
rng = np.random.default_rng(31)
x = rng.normal(size=(128, 4)).astype("float32")
y = (x[:, :1] > 0).astype("float32")
model = keras.Sequential([keras.Input(shape=(4,)), keras.layers.Dense(1, activation="sigmoid")])
model.compile(keras.optimizers.SGD(0.5), "binary_crossentropy", metrics=["accuracy"])
history = []
for step in range(12):
    xb, yb = x[(step % 4) * 32:(step % 4 + 1) * 32], y[(step % 4) * 32:(step % 4 + 1) * 32]
    loss, acc = model.train_on_batch(xb, yb)
    history.append(loss)
xb, yb = x[:32], y[:32]
test_loss, test_acc = model.test_on_batch(xb, yb)
same = model.evaluate(xb, yb, batch_size=32, verbose=0)
np.testing.assert_allclose([test_loss, test_acc], same, rtol=1e-5)
logs = model.train_on_batch(xb, yb, return_dict=True)
assert sorted(logs) == ["accuracy", "loss"], logs
np.testing.assert_allclose(logs["loss"], test_loss, rtol=1e-5)  # this batch's loss, before the update
pred = model.predict_on_batch(xb)
assert pred.shape == (32, 1)
assert history[-1] < history[0], history
print(f"RESULT loss={test_loss:.4f} acc={test_acc:.4f}")
