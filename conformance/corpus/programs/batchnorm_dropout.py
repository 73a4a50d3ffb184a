"""BatchNormalization and Dropout: training=True/False change the output,
moving statistics update only in training, non-trainable weights are the
moving mean/variance, and predict is deterministic."""
# backends: all
# keras3: tensorflow, torch
# quick: yes
import numpy as np

import keras
from keras import layers

keras.utils.set_random_seed(27)
rng = np.random.default_rng(27)
x = (rng.normal(size=(256, 10)) * 3.0 + 5.0).astype("float32")
y = (x[:, 0] > 5.0).astype("float32")
model = keras.Sequential([keras.Input(shape=(10,)), layers.Dense(32), layers.BatchNormalization(),
                          layers.Activation("relu"), layers.Dropout(0.5),
                          layers.Dense(1, activation="sigmoid")])
bn = model.layers[1]
assert [w.name for w in bn.non_trainable_weights] == ["moving_mean", "moving_variance"]
assert len(model.trainable_weights) == 6 and len(model.non_trainable_weights) == 2
before = keras.ops.convert_to_numpy(bn.moving_mean).copy()
_ = model(x[:32], training=False)
np.testing.assert_array_equal(before, keras.ops.convert_to_numpy(bn.moving_mean))
model.compile("adam", "binary_crossentropy", metrics=["accuracy"])
history = model.fit(x, y, epochs=5, batch_size=32, verbose=0)
after = keras.ops.convert_to_numpy(bn.moving_mean)
assert np.abs(after - before).max() > 1e-3
a = model.predict(x[:16], verbose=0)
b = model.predict(x[:16], verbose=0)
np.testing.assert_array_equal(a, b)
train_mode = keras.ops.convert_to_numpy(model(x[:16], training=True))
assert np.abs(train_mode - a).max() > 1e-4
assert history.history["loss"][-1] < history.history["loss"][0]
print(f"RESULT loss={history.history['loss'][-1]:.4f} acc={history.history['accuracy'][-1]:.4f}")
