"""A torch.utils.data Dataset and DataLoader fed to fit/evaluate/predict;
Keras 3 accepts a DataLoader on every backend when torch is installed."""
# backends: all
# keras3: tensorflow, torch
# needs: torch
import numpy as np
import torch

import keras


class Points(torch.utils.data.Dataset):
    def __init__(self, n, seed):
        rng = np.random.default_rng(seed)
        self.x = rng.normal(size=(n, 4)).astype("float32")
        self.y = (self.x[:, :1] * 3.0 - self.x[:, 1:2]).astype("float32")

    def __len__(self):
        return len(self.x)

    def __getitem__(self, i):
        return torch.from_numpy(self.x[i]), torch.from_numpy(self.y[i])


keras.utils.set_random_seed(20)
train = torch.utils.data.DataLoader(Points(250, 0), batch_size=32, shuffle=True)
test = torch.utils.data.DataLoader(Points(70, 1), batch_size=32)
model = keras.Sequential([keras.Input(shape=(4,)), keras.layers.Dense(1)])
model.compile(keras.optimizers.SGD(0.1), "mse", metrics=["mae"])
history = model.fit(train, epochs=10, verbose=0, validation_data=test)
result = model.evaluate(test, verbose=0, return_dict=True)
pred = model.predict(test, verbose=0)
assert pred.shape == (70, 1), pred.shape   # the last partial batch included
assert result["loss"] < 1e-3, result
assert "val_mae" in history.history
print(f"RESULT loss={result['loss']:.6f} mae={result['mae']:.6f}")
