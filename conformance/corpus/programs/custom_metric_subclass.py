"""A custom keras.metrics.Metric subclass with add_variable, update_state
(with sample_weight), result and reset_state, used in compile and on its own."""
# backends: all
# keras3: tensorflow, torch
import numpy as np

import keras
from keras import ops


class TruePositives(keras.metrics.Metric):
    def __init__(self, name="true_positives", **kwargs):
        super().__init__(name=name, **kwargs)
        self.count = self.add_variable(shape=(), initializer="zeros", name="count")

    def update_state(self, y_true, y_pred, sample_weight=None):
        y_true = ops.cast(ops.reshape(y_true, (-1,)), "bool")
        y_pred = ops.reshape(y_pred, (-1,)) > 0.5
        values = ops.cast(ops.logical_and(y_true, y_pred), self.dtype)
        if sample_weight is not None:
            values = values * ops.cast(ops.reshape(sample_weight, (-1,)), self.dtype)
        self.count.assign(self.count + ops.sum(values))

    def result(self):
        return self.count

    def reset_state(self):
        self.count.assign(0.0)


metric = TruePositives()
metric.update_state(np.array([1, 1, 0, 1]), np.array([0.9, 0.2, 0.8, 0.7]))
assert float(metric.result()) == 2.0
metric.update_state(np.array([1, 1]), np.array([0.9, 0.9]), sample_weight=np.array([0.5, 0.0]))
assert float(metric.result()) == 2.5
metric.reset_state()
assert float(metric.result()) == 0.0

keras.utils.set_random_seed(38)
rng = np.random.default_rng(38)
x = rng.normal(size=(200, 3)).astype("float32")
y = (x[:, 0] > 0).astype("float32")
model = keras.Sequential([keras.Input(shape=(3,)), keras.layers.Dense(1, activation="sigmoid")])
model.compile(keras.optimizers.Adam(0.05), "binary_crossentropy", metrics=[TruePositives()])
history = model.fit(x, y, epochs=5, batch_size=200, verbose=0)
result = model.evaluate(x, y, verbose=0, return_dict=True)
pred = model.predict(x, verbose=0)[:, 0]
expected = float(((pred > 0.5) & (y == 1)).sum())
assert result["true_positives"] == expected, (result, expected)
assert history.history["true_positives"][-1] > history.history["true_positives"][0] - 20
print(f"RESULT tp={result['true_positives']:.0f} loss={result['loss']:.4f}")
