"""EarlyStopping with restore_best_weights and ModelCheckpoint saving the
best model (.keras) and weights (.weights.h5) on val_loss; the saved model
reloads and predicts like the restored one."""
# backends: all
# keras3: tensorflow, torch
import os

import numpy as np

import keras

keras.utils.set_random_seed(16)
rng = np.random.default_rng(16)
x = rng.normal(size=(200, 5)).astype("float32")
y = (x[:, :1] - x[:, 1:2] + 0.3 * rng.normal(size=(200, 1))).astype("float32")
model = keras.Sequential([keras.Input(shape=(5,)), keras.layers.Dense(32, activation="relu"),
                          keras.layers.Dense(1)])
model.compile(keras.optimizers.Adam(0.05), "mse")
callbacks = [
    keras.callbacks.EarlyStopping(monitor="val_loss", patience=2, restore_best_weights=True),
    keras.callbacks.ModelCheckpoint("best.keras", monitor="val_loss", save_best_only=True),
    keras.callbacks.ModelCheckpoint("epoch_{epoch:02d}.weights.h5", save_weights_only=True),
]
history = model.fit(x, y, validation_split=0.25, epochs=60, batch_size=16, verbose=0,
                    callbacks=callbacks)
epochs_run = len(history.history["loss"])
assert epochs_run < 60, "EarlyStopping never stopped"
assert os.path.isfile("best.keras")
assert os.path.isfile(f"epoch_{epochs_run:02d}.weights.h5"), sorted(os.listdir("."))
best = keras.models.load_model("best.keras")
# restore_best_weights: the model ends with the best epoch's weights, the ones
# the checkpoint kept.
np.testing.assert_allclose(best.predict(x[:8], verbose=0), model.predict(x[:8], verbose=0),
                           rtol=1e-5, atol=1e-6)
best_val = min(history.history["val_loss"])
print(f"RESULT epochs={epochs_run} best_val_loss={best_val:.4f}")
