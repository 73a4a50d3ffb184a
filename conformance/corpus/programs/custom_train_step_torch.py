"""Customising fit() the PyTorch way: train_step zeroes the gradients, calls
loss.backward(), reads each variable's .value.grad and applies them with the
Keras optimizer under torch.no_grad()."""
# backends: torch
# keras3: torch
# needs: torch
import numpy as np
import torch

import keras


class CustomModel(keras.Model):
    def train_step(self, data):
        x, y = data
        self.zero_grad()
        y_pred = self(x, training=True)
        loss = self.compute_loss(y=y, y_pred=y_pred)
        loss.backward()
        trainable_weights = [v for v in self.trainable_weights]
        gradients = [v.value.grad for v in trainable_weights]
        with torch.no_grad():
            self.optimizer.apply(gradients, trainable_weights)
        for metric in self.metrics:
            if metric.name == "loss":
                metric.update_state(loss)
            else:
                metric.update_state(y, y_pred)
        return {m.name: m.result() for m in self.metrics}


keras.utils.set_random_seed(10)
rng = np.random.default_rng(10)
x = rng.random((500, 32)).astype("float32")
y = (x[:, :1] * 2.0 - 1.0).astype("float32")
inputs = keras.Input(shape=(32,))
outputs = keras.layers.Dense(1)(inputs)
model = CustomModel(inputs, outputs)
model.compile(optimizer="adam", loss="mse", metrics=["mae"])
history = model.fit(x, y, epochs=5, batch_size=32, verbose=0)
losses = history.history["loss"]
assert losses[-1] < losses[0], losses
print(f"RESULT loss={losses[-1]:.4f} mae={history.history['mae'][-1]:.4f}")
