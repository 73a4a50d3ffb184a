"""A Keras model nested in a torch.nn.Module: the outer module's
parameters() include every Keras weight, state_dict() holds them, and a
torch optimizer over the outer module trains the Keras layers."""
# backends: torch
# keras3: torch
# needs: torch
import numpy as np
import torch

import keras


class Outer(torch.nn.Module):
    def __init__(self):
        super().__init__()
        self.encoder = keras.Sequential([keras.Input(shape=(4,)),
                                         keras.layers.Dense(8, activation="relu")])
        self.head = torch.nn.Linear(8, 1)

    def forward(self, x):
        return self.head(self.encoder(x))


keras.utils.set_random_seed(37)
torch.manual_seed(37)
rng = np.random.default_rng(37)
x = torch.tensor(rng.normal(size=(128, 4)).astype("float32"))
y = x[:, :1] * 2.0 - x[:, 1:2]
outer = Outer()
params = list(outer.parameters())
assert len(params) == 4, len(params)   # 2 Keras weights + 2 torch ones
assert len(outer.state_dict()) >= 4
keras_kernel_before = outer.encoder.get_weights()[0].copy()
optimizer = torch.optim.SGD(outer.parameters(), lr=0.05)
losses = []
for step in range(100):
    loss = torch.nn.functional.mse_loss(outer(x), y)
    optimizer.zero_grad()
    loss.backward()
    optimizer.step()
    losses.append(loss.item())
assert not np.allclose(keras_kernel_before, outer.encoder.get_weights()[0])
assert losses[-1] < 0.2 * losses[0], (losses[0], losses[-1])
print(f"RESULT loss={losses[-1]:.4f}")
