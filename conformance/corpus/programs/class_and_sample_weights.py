"""class_weight on an imbalanced problem raises the minority class's recall;
sample_weight arrays and (x, y, sample_weight) in validation_data change the
weighted loss as Keras defines it."""
# backends: all
# keras3: tensorflow, torch
import numpy as np

import keras

rng = np.random.default_rng(23)
n = 600
y = (rng.random(n) < 0.1).astype("float32")        # 10 % positives
x = (rng.normal(size=(n, 4)) + y[:, None] * 0.8).astype("float32")


def train(**fit_kwargs):
    keras.utils.set_random_seed(23)
    model = keras.Sequential([keras.Input(shape=(4,)), keras.layers.Dense(1, activation="sigmoid")])
    model.compile(keras.optimizers.Adam(0.05), "binary_crossentropy",
                  metrics=[keras.metrics.Recall(name="recall")])
    history = model.fit(x, y, epochs=10, batch_size=64, verbose=0, **fit_kwargs)
    return model, history


plain, _ = train()
weighted, _ = train(class_weight={0: 1.0, 1: 9.0})
recall_plain = plain.evaluate(x, y, verbose=0, return_dict=True)["recall"]
recall_weighted = weighted.evaluate(x, y, verbose=0, return_dict=True)["recall"]
assert recall_weighted > recall_plain, (recall_plain, recall_weighted)

sw = np.where(y == 1, 9.0, 1.0).astype("float32")
model, history = train(sample_weight=sw, validation_data=(x[:100], y[:100], sw[:100]))
weighted_eval = model.evaluate(x[:100], y[:100], sample_weight=sw[:100], verbose=0,
                               return_dict=True)
np.testing.assert_allclose(history.history["val_loss"][-1], weighted_eval["loss"], rtol=1e-4)
plain_eval = model.evaluate(x[:100], y[:100], verbose=0, return_dict=True)
assert abs(plain_eval["loss"] - weighted_eval["loss"]) > 1e-3
print(f"RESULT recall_plain={recall_plain:.3f} recall_weighted={recall_weighted:.3f}")
