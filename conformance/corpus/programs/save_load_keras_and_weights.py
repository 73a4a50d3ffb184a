"""model.save("model.keras") / keras.models.load_model, with the compiled
optimizer state (training resumes where it stopped), save_weights /
load_weights into a fresh model, get_weights/set_weights."""
# backends: all
# keras3: tensorflow, torch
import numpy as np

import keras


def build():
    inputs = keras.Input(shape=(6,), name="features")
    h = keras.layers.Dense(12, activation="relu", name="hidden")(inputs)
    outputs = keras.layers.Dense(3, activation="softmax", name="probs")(h)
    return keras.Model(inputs, outputs, name="classifier")


keras.utils.set_random_seed(28)
rng = np.random.default_rng(28)
x = rng.normal(size=(160, 6)).astype("float32")
y = rng.integers(0, 3, 160)
model = build()
model.compile(keras.optimizers.Adam(1e-2), "sparse_categorical_crossentropy", metrics=["accuracy"])
model.fit(x, y, epochs=2, batch_size=32, verbose=0)
model.save("model.keras")
restored = keras.models.load_model("model.keras")
np.testing.assert_allclose(restored.predict(x, verbose=0), model.predict(x, verbose=0),
                           rtol=1e-6, atol=1e-7)
assert restored.name == "classifier" and [l.name for l in restored.layers] == \
    ["features", "hidden", "probs"]
assert int(restored.optimizer.iterations) == int(model.optimizer.iterations) == 10
# Both continue identically: the optimizer state (Adam moments) was saved.
model.fit(x, y, epochs=1, batch_size=32, verbose=0, shuffle=False)
restored.fit(x, y, epochs=1, batch_size=32, verbose=0, shuffle=False)
for a, b in zip(model.get_weights(), restored.get_weights()):
    np.testing.assert_allclose(a, b, rtol=1e-5, atol=1e-6)

model.save_weights("classifier.weights.h5")
fresh = build()
fresh.load_weights("classifier.weights.h5")
np.testing.assert_allclose(fresh.predict(x, verbose=0), model.predict(x, verbose=0), rtol=1e-6,
                           atol=1e-7)
other = build()
other.set_weights(model.get_weights())
np.testing.assert_allclose(other.predict(x, verbose=0), model.predict(x, verbose=0), rtol=1e-6,
                           atol=1e-7)
print(f"RESULT weights={len(model.get_weights())} iterations={int(model.optimizer.iterations)}")
