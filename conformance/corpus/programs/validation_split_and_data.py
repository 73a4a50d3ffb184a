"""validation_split takes the last fraction of the arrays; validation_data
with explicit arrays gives the same val_loss; validation_freq skips epochs."""
# backends: all
# keras3: tensorflow, torch
import numpy as np

import keras

rng = np.random.default_rng(24)
x = rng.normal(size=(200, 3)).astype("float32")
y = (x @ np.array([[1.0], [2.0], [-1.0]], dtype="float32")).astype("float32")


def run(**kwargs):
    keras.utils.set_random_seed(24)
    model = keras.Sequential([keras.Input(shape=(3,)), keras.layers.Dense(1)])
    model.compile(keras.optimizers.SGD(0.05), "mse")
    return model.fit(verbose=0, batch_size=20, epochs=4, shuffle=False, **kwargs).history


split = run(x=x, y=y, validation_split=0.2)
explicit = run(x=x[:160], y=y[:160], validation_data=(x[160:], y[160:]))
np.testing.assert_allclose(split["val_loss"], explicit["val_loss"], rtol=1e-5)
np.testing.assert_allclose(split["loss"], explicit["loss"], rtol=1e-5)
sparse = run(x=x, y=y, validation_split=0.2, validation_freq=2)
assert len(sparse["val_loss"]) == 2 and len(sparse["loss"]) == 4, sparse
assert split["val_loss"][-1] < split["val_loss"][0]
print(f"RESULT loss={split['loss'][-1]:.4f} val_loss={split['val_loss'][-1]:.4f}")
