"""PyTorch interop: a torch.nn.Module wrapped as a Keras layer with
keras.layers.TorchModuleWrapper inside a Keras model trained by fit; the
module's parameters are the model's trainable weights."""
# backends: torch
# keras3: torch
# needs: torch
import numpy as np
import torch

import keras


class TorchBlock(torch.nn.Module):
    def __init__(self):
        super().__init__()
        self.linear = torch.nn.Linear(5, 16)
        self.out = torch.nn.Linear(16, 1)

    def forward(self, x):
        return self.out(torch.relu(self.linear(x)))


keras.utils.set_random_seed(36)
torch.manual_seed(36)
rng = np.random.default_rng(36)
x = rng.normal(size=(256, 5)).astype("float32")
y = (x[:, :1] ** 2 + x[:, 1:2]).astype("float32")
inputs = keras.Input(shape=(5,))
outputs = keras.layers.TorchModuleWrapper(TorchBlock(), output_shape=(None, 1))(inputs)
model = keras.Model(inputs, outputs)
assert len(model.trainable_weights) == 4, len(model.trainable_weights)
model.compile(keras.optimizers.Adam(1e-2), "mse")
history = model.fit(x, y, epochs=10, batch_size=32, verbose=0)
assert history.history["loss"][-1] < 0.5 * history.history["loss"][0], history.history["loss"]
print(f"RESULT loss={history.history['loss'][-1]:.4f}")
