"""A Keras-2-era MNIST convnet: image_data_format() decides the input layout,
to_categorical labels, Sequential with Conv2D/MaxPooling2D/Dropout/Flatten."""
# backends: all
# keras3: tensorflow, torch
import numpy as np

import keras
from keras import backend as K
from keras import layers

keras.utils.set_random_seed(1)
(x_train, y_train), (x_test, y_test) = keras.datasets.mnist.load_data()
x_train, y_train = x_train[:2000], y_train[:2000]
x_test, y_test = x_test[:500], y_test[:500]
rows, cols = 28, 28
if K.image_data_format() == "channels_first":
    x_train = x_train.reshape(x_train.shape[0], 1, rows, cols)
    x_test = x_test.reshape(x_test.shape[0], 1, rows, cols)
    input_shape = (1, rows, cols)
else:
    x_train = x_train.reshape(x_train.shape[0], rows, cols, 1)
    x_test = x_test.reshape(x_test.shape[0], rows, cols, 1)
    input_shape = (rows, cols, 1)
x_train = x_train.astype("float32") / 255
x_test = x_test.astype("float32") / 255
y_train = keras.utils.to_categorical(y_train, 10)
y_test = keras.utils.to_categorical(y_test, 10)

model = keras.Sequential([
    keras.Input(shape=input_shape),
    layers.Conv2D(8, kernel_size=(3, 3), activation="relu"),
    layers.MaxPooling2D(pool_size=(2, 2)),
    layers.Conv2D(16, (3, 3), activation="relu"),
    layers.MaxPooling2D(pool_size=(2, 2)),
    layers.Dropout(0.25),
    layers.Flatten(),
    layers.Dense(10, activation="softmax"),
])
model.compile(loss=keras.losses.categorical_crossentropy,
              optimizer=keras.optimizers.Adam(), metrics=["accuracy"])
history = model.fit(x_train, y_train, batch_size=64, epochs=3, verbose=0,
                    validation_data=(x_test, y_test))
score = model.evaluate(x_test, y_test, verbose=0)
losses = history.history["loss"]
assert losses[-1] < losses[0], losses
assert model.output_shape == (None, 10), model.output_shape
assert score[1] > 0.5, score
print(f"RESULT loss={score[0]:.4f} acc={score[1]:.4f}")
