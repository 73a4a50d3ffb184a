"""Fashion-MNIST through keras.datasets.fashion_mnist.load_data(), a
Flatten/Dense MLP with Rescaling, predict and argmax of the probabilities."""
# backends: all
# keras3: tensorflow, torch
import numpy as np

import keras
from keras import layers

keras.utils.set_random_seed(35)
(x_train, y_train), (x_test, y_test) = keras.datasets.fashion_mnist.load_data()
assert x_train.dtype == np.uint8 and x_train.shape[1:] == (28, 28)
x_train, y_train = x_train[:3000], y_train[:3000]
x_test, y_test = x_test[:500], y_test[:500]
model = keras.Sequential([keras.Input(shape=(28, 28)), layers.Rescaling(1.0 / 255),
                          layers.Flatten(), layers.Dense(64, activation="relu"),
                          layers.Dense(10)])
model.compile(optimizer="adam",
              loss=keras.losses.SparseCategoricalCrossentropy(from_logits=True),
              metrics=["accuracy"])
model.fit(x_train, y_train, epochs=3, batch_size=64, verbose=0)
probability_model = keras.Sequential([model, layers.Softmax()])
probabilities = probability_model.predict(x_test, verbose=0)
np.testing.assert_allclose(probabilities.sum(axis=1), 1.0, rtol=1e-5)
accuracy = float((probabilities.argmax(axis=1) == y_test).mean())
loss, acc = model.evaluate(x_test, y_test, verbose=0)
np.testing.assert_allclose(acc, accuracy, atol=1e-6)
assert acc > 0.5, acc
print(f"RESULT loss={loss:.4f} acc={acc:.4f}")
