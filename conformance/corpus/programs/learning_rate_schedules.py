"""Optimizers driven by LearningRateSchedule objects (ExponentialDecay,
PiecewiseConstantDecay, CosineDecay) and by a custom schedule subclass with
get_config; the schedules' values follow their formulas."""
# backends: all
# keras3: tensorflow, torch
import math

import numpy as np

import keras


class WarmUp(keras.optimizers.schedules.LearningRateSchedule):
    def __init__(self, peak, steps):
        self.peak, self.steps = peak, steps

    def __call__(self, step):
        step = keras.ops.cast(step, "float32")
        return self.peak * keras.ops.minimum(1.0, (step + 1.0) / self.steps)

    def get_config(self):
        return {"peak": self.peak, "steps": self.steps}


exp = keras.optimizers.schedules.ExponentialDecay(0.1, decay_steps=10, decay_rate=0.5)
piece = keras.optimizers.schedules.PiecewiseConstantDecay([5, 10], [0.1, 0.01, 0.001])
cos = keras.optimizers.schedules.CosineDecay(0.1, decay_steps=20)
value = lambda s, t: float(keras.ops.convert_to_numpy(s(t)))
np.testing.assert_allclose(value(exp, 20), 0.1 * 0.25, rtol=1e-6)
np.testing.assert_allclose([value(piece, t) for t in (0, 7, 12)], [0.1, 0.01, 0.001], rtol=1e-6)
np.testing.assert_allclose(value(cos, 5), 0.05 * (1 + math.cos(math.pi * 5 / 20)), rtol=1e-5)

rng = np.random.default_rng(33)
x = rng.normal(size=(128, 3)).astype("float32")
y = (x @ np.array([[2.0], [-1.0], [0.5]], dtype="float32")).astype("float32")
finals = {}
for name, schedule in [("exp", exp), ("piece", piece), ("cos", cos), ("warmup", WarmUp(0.1, 8))]:
    keras.utils.set_random_seed(33)
    model = keras.Sequential([keras.Input(shape=(3,)), keras.layers.Dense(1)])
    model.compile(keras.optimizers.SGD(learning_rate=schedule), "mse")
    history = model.fit(x, y, epochs=3, batch_size=16, verbose=0)
    assert history.history["loss"][-1] < history.history["loss"][0], (name, history.history)
    finals[name] = history.history["loss"][-1]
    assert int(model.optimizer.iterations) == 24
# After 24 steps CosineDecay is at 0, ExponentialDecay at 0.1 * 0.5**2.4.
np.testing.assert_allclose(value(cos, 24), 0.0, atol=1e-7)
print("RESULT " + " ".join(f"{k}={v:.4f}" for k, v in finals.items()))
