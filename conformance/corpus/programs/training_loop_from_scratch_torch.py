"""A training loop from scratch, PyTorch style: a Keras model trained by
torch.optim.Adam over model.parameters() with loss.backward(); the Keras
model is a torch.nn.Module, its weights visible as parameters."""
# backends: torch
# keras3: torch
# needs: torch
import numpy as np
import torch

import keras

keras.utils.set_random_seed(13)
(x_train, y_train), _ = keras.datasets.mnist.load_data()
x_train = torch.tensor(x_train[:2048].reshape(-1, 784).astype("float32") / 255)
y_train = torch.tensor(y_train[:2048].astype("int64"))
model = keras.Sequential([keras.Input(shape=(784,)), keras.layers.Dense(64, activation="relu"),
                          keras.layers.Dense(10)])
assert isinstance(model, torch.nn.Module)
params = list(model.parameters())
assert len(params) == 4, len(params)
optimizer = torch.optim.Adam(model.parameters(), lr=1e-3)
loss_fn = torch.nn.CrossEntropyLoss()
accuracy = keras.metrics.SparseCategoricalAccuracy()
epoch_losses = []
for epoch in range(3):
    losses = []
    for start in range(0, len(x_train), 64):
        xb, yb = x_train[start:start + 64], y_train[start:start + 64]
        logits = model(xb)
        loss = loss_fn(logits, yb)
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
        accuracy.update_state(yb, logits.detach())
        losses.append(loss.item())
    epoch_losses.append(np.mean(losses))
    acc = float(accuracy.result())
    accuracy.reset_state()
assert epoch_losses[-1] < epoch_losses[0], epoch_losses
assert acc > 0.5, acc
print(f"RESULT loss={epoch_losses[-1]:.4f} acc={acc:.4f}")
