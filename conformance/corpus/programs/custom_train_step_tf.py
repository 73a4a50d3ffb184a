"""Customising fit() the TensorFlow way: a Model subclass built functionally,
CustomModel(inputs, outputs), whose train_step uses tf.GradientTape,
self.compute_loss, optimizer.apply and the compiled metrics."""
# backends: tensorflow
# keras3: tensorflow
# needs: tensorflow
import numpy as np
import tensorflow as tf

import keras


class CustomModel(keras.Model):
    def train_step(self, data):
        x, y = data
        with tf.GradientTape() as tape:
            y_pred = self(x, training=True)
            loss = self.compute_loss(y=y, y_pred=y_pred)
        gradients = tape.gradient(loss, self.trainable_variables)
        self.optimizer.apply(gradients, self.trainable_variables)
        for metric in self.metrics:
            if metric.name == "loss":
                metric.update_state(loss)
            else:
                metric.update_state(y, y_pred)
        return {m.name: m.result() for m in self.metrics}


keras.utils.set_random_seed(9)
rng = np.random.default_rng(9)
x = rng.random((500, 32)).astype("float32")
y = (x[:, :1] * 2.0 - 1.0).astype("float32")
inputs = keras.Input(shape=(32,))
outputs = keras.layers.Dense(1)(inputs)
model = CustomModel(inputs, outputs)
model.compile(optimizer="adam", loss="mse", metrics=["mae"])
history = model.fit(x, y, epochs=5, batch_size=32, verbose=0)
losses = history.history["loss"]
assert losses[-1] < losses[0], losses
assert "mae" in history.history, sorted(history.history)
print(f"RESULT loss={losses[-1]:.4f} mae={history.history['mae'][-1]:.4f}")
