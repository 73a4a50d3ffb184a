"""A custom layer creating its weights with add_weight in build() and
computing `x @ self.w + self.b` on the variables directly, in a model."""
# backends: all
# keras3: tensorflow, torch
# quick: yes
import numpy as np

import keras
from keras import layers


class Linear(layers.Layer):
    def __init__(self, units=4, **kwargs):
        super().__init__(**kwargs)
        self.units = units

    def build(self, input_shape):
        self.w = self.add_weight(shape=(input_shape[-1], self.units),
                                 initializer="random_normal", trainable=True, name="w")
        self.b = self.add_weight(shape=(self.units,), initializer="zeros", trainable=True,
                                 name="b")

    def call(self, inputs):
        return inputs @ self.w + self.b


keras.utils.set_random_seed(7)
rng = np.random.default_rng(7)
x = rng.normal(size=(256, 6)).astype("float32")
true_w = rng.normal(size=(6, 2)).astype("float32")
y = x @ true_w + 0.5

layer = Linear(2)
out = layer(x[:3])
np.testing.assert_allclose(keras.ops.convert_to_numpy(out),
                           x[:3] @ keras.ops.convert_to_numpy(layer.w), rtol=1e-5, atol=1e-6)
assert len(layer.trainable_weights) == 2
model = keras.Sequential([keras.Input(shape=(6,)), Linear(2)])
model.compile(keras.optimizers.SGD(0.1), "mse")
history = model.fit(x, y, epochs=20, batch_size=32, verbose=0)
loss = history.history["loss"][-1]
assert loss < 1e-3, loss
bias = keras.ops.convert_to_numpy(model.layers[0].b)
np.testing.assert_allclose(bias, [0.5, 0.5], atol=0.05)
print(f"RESULT loss={loss:.6f}")
