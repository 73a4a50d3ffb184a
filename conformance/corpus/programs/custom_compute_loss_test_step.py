"""Backend-agnostic customisation of fit/evaluate: a Model subclass built
functionally that overrides compute_loss (with an extra penalty) and
test_step, which tracks its own loss and error with metric objects (the
loss_tracker pattern) that fit and evaluate reset."""
# backends: all
# keras3: tensorflow, torch
import numpy as np

import keras
from keras import ops


class PenalisedModel(keras.Model):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.loss_tracker = keras.metrics.Mean(name="eval_loss")
        self.mae_metric = keras.metrics.MeanAbsoluteError(name="eval_mae")

    def compute_loss(self, x=None, y=None, y_pred=None, sample_weight=None, training=True):
        mse = ops.mean(ops.square(y - y_pred))
        penalty = 1e-3 * ops.mean(ops.square(y_pred))
        return mse + penalty

    def test_step(self, data):
        x, y = data
        y_pred = self(x, training=False)
        loss = self.compute_loss(y=y, y_pred=y_pred)
        self.loss_tracker.update_state(loss)
        self.mae_metric.update_state(y, y_pred)
        return {"eval_loss": self.loss_tracker.result(), "eval_mae": self.mae_metric.result()}


keras.utils.set_random_seed(8)
rng = np.random.default_rng(8)
x = rng.normal(size=(300, 4)).astype("float32")
y = (x.sum(axis=1, keepdims=True) * 0.5).astype("float32")
inputs = keras.Input(shape=(4,))
outputs = keras.layers.Dense(1)(keras.layers.Dense(8, activation="relu")(inputs))
model = PenalisedModel(inputs, outputs)
model.compile(optimizer=keras.optimizers.Adam(1e-2))
history = model.fit(x, y, epochs=10, batch_size=32, verbose=0)
result = model.evaluate(x, y, verbose=0, return_dict=True)
assert history.history["loss"][-1] < history.history["loss"][0], history.history
assert set(result) == {"eval_loss", "eval_mae"}, result
assert result["eval_mae"] < 0.3, result
# evaluate resets the trackers first: a second call gives the same values.
again = model.evaluate(x, y, verbose=0, return_dict=True)
assert abs(again["eval_loss"] - result["eval_loss"]) < 1e-6, (again, result)
print(f"RESULT loss={result['eval_loss']:.4f} mae={result['eval_mae']:.4f}")
