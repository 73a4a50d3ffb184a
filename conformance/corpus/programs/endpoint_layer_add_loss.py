"""The endpoint-layer pattern: a layer called on (logits, targets) in the
functional API computes the loss with add_loss and updates a metric; the
model is compiled without a loss and fit on a dict of inputs."""
# backends: all
# keras3: tensorflow, torch
import numpy as np

import keras
from keras import layers


class LogisticEndpoint(layers.Layer):
    def __init__(self, name=None):
        super().__init__(name=name)
        self.loss_fn = keras.losses.BinaryCrossentropy(from_logits=True)
        self.accuracy_metric = keras.metrics.BinaryAccuracy()

    def call(self, logits, targets=None, sample_weight=None):
        if targets is not None:
            self.add_loss(self.loss_fn(targets, logits, sample_weight))
            self.accuracy_metric.update_state(targets, keras.ops.sigmoid(logits))
        return keras.ops.sigmoid(logits)


keras.utils.set_random_seed(15)
rng = np.random.default_rng(15)
data = {"inputs": rng.normal(size=(256, 3)).astype("float32")}
data["targets"] = (data["inputs"].sum(axis=1, keepdims=True) > 0).astype("float32")
inputs = keras.Input(shape=(3,), name="inputs")
targets = keras.Input(shape=(1,), name="targets")
logits = layers.Dense(1)(inputs)
predictions = LogisticEndpoint(name="predictions")(logits, targets)
model = keras.Model(inputs=[inputs, targets], outputs=predictions)
model.compile(optimizer=keras.optimizers.Adam(1e-2))
history = model.fit(data, epochs=10, batch_size=32, verbose=0)
losses = history.history["loss"]
assert losses[-1] < losses[0], losses
endpoint = model.get_layer("predictions")
acc = float(endpoint.accuracy_metric.result())
assert acc > 0.8, acc
print(f"RESULT loss={losses[-1]:.4f} acc={acc:.4f}")
