"""A tf.data pipeline (from_tensor_slices, map, shuffle, batch, prefetch) fed
to fit, evaluate and predict, and as validation_data; Keras 3 accepts it on
every backend when TensorFlow is installed."""
# backends: all
# keras3: tensorflow, torch
# needs: tensorflow
# quick: yes
import numpy as np
import tensorflow as tf

import keras

keras.utils.set_random_seed(19)
rng = np.random.default_rng(19)
x = rng.normal(size=(320, 6)).astype("float32")
y = (x[:, 0] + x[:, 1] > 0).astype("int32")


def scale(features, label):
    return features * 2.0, label


train = (tf.data.Dataset.from_tensor_slices((x[:256], y[:256])).map(scale)
         .shuffle(256, seed=1).batch(32).prefetch(tf.data.AUTOTUNE))
val = tf.data.Dataset.from_tensor_slices((x[256:], y[256:])).map(scale).batch(32)
model = keras.Sequential([keras.Input(shape=(6,)), keras.layers.Dense(16, activation="relu"),
                          keras.layers.Dense(2, activation="softmax")])
model.compile(keras.optimizers.Adam(1e-2), "sparse_categorical_crossentropy",
              metrics=["accuracy"])
history = model.fit(train, validation_data=val, epochs=5, verbose=0)
loss, acc = model.evaluate(val, verbose=0)
pred = model.predict(val.map(lambda f, l: f), verbose=0)
assert pred.shape == (64, 2), pred.shape
assert history.history["loss"][-1] < history.history["loss"][0]
assert acc > 0.8, acc
print(f"RESULT loss={loss:.4f} acc={acc:.4f}")
