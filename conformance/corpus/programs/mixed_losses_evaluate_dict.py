"""Three outputs with a sparse categorical, a binary and an MSE loss (losses
as a list, metrics as a dict), evaluate(return_dict=True) naming every loss
and metric as Keras does."""
# backends: all
# keras3: tensorflow, torch
import numpy as np

import keras
from keras import layers

keras.utils.set_random_seed(32)
rng = np.random.default_rng(32)
x = rng.normal(size=(300, 6)).astype("float32")
y_class = (x[:, 0] > 0).astype("int32") + (x[:, 1] > 0).astype("int32")
y_flag = (x[:, 2] > 0).astype("float32")
y_value = (x[:, 3:4] * 2.0).astype("float32")

inputs = keras.Input(shape=(6,))
h = layers.Dense(32, activation="relu")(inputs)
out_class = layers.Dense(3, activation="softmax", name="cls")(h)
out_flag = layers.Dense(1, activation="sigmoid", name="flag")(h)
out_value = layers.Dense(1, name="value")(h)
model = keras.Model(inputs, [out_class, out_flag, out_value])
model.compile(optimizer=keras.optimizers.Adam(1e-2),
              loss=["sparse_categorical_crossentropy", "binary_crossentropy", "mse"],
              metrics={"cls": ["accuracy"], "flag": [keras.metrics.AUC(name="auc")],
                       "value": ["mae"]})
history = model.fit(x, [y_class, y_flag, y_value], epochs=8, batch_size=32, verbose=0)
result = model.evaluate(x, [y_class, y_flag, y_value], batch_size=50, verbose=0,
                        return_dict=True)
expected = {"loss", "cls_loss", "flag_loss", "value_loss", "cls_accuracy", "flag_auc",
            "value_mae"}
assert set(result) == expected, sorted(result)
assert set(history.history) == expected, sorted(history.history)
total = result["cls_loss"] + result["flag_loss"] + result["value_loss"]
np.testing.assert_allclose(result["loss"], total, rtol=1e-4)
assert result["cls_accuracy"] > 0.7 and result["flag_auc"] > 0.8, result
print(f"RESULT loss={result['loss']:.4f} cls_acc={result['cls_accuracy']:.4f}")
