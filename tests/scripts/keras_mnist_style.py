"""A Keras 3 script written only against the public API (it runs unchanged on
the keras package and, through `kerasx run`, on kerasx). Prints one JSON line."""
import json
import sys

import numpy as np

import keras
from keras import layers

keras.utils.set_random_seed(1)
rng = np.random.default_rng(0)
x = rng.random((96, 8, 8, 1)).astype("float32")
y = (x.mean(axis=(1, 2, 3)) > 0.5).astype("int32") + 2 * (x[:, :4].mean(axis=(1, 2, 3)) > 0.5)

model = keras.Sequential([
    keras.Input(shape=(8, 8, 1)),
    layers.Conv2D(8, 3, activation="relu", padding="same"),
    layers.BatchNormalization(),
    layers.MaxPooling2D(2),
    layers.Flatten(),
    layers.Dropout(0.2),
    layers.Dense(4, activation="softmax"),
])
model.compile(optimizer=keras.optimizers.Adam(learning_rate=1e-2),
              loss=keras.losses.SparseCategoricalCrossentropy(),
              metrics=["accuracy", keras.metrics.SparseTopKCategoricalAccuracy(k=2)])
history = model.fit(x, y, batch_size=16, epochs=int(sys.argv[1]) if len(sys.argv) > 1 else 2,
                    validation_split=0.25, verbose=0,
                    callbacks=[keras.callbacks.EarlyStopping(patience=3),
                               keras.callbacks.ReduceLROnPlateau(patience=1)])
loss, acc, top2 = model.evaluate(x, y, verbose=0)
pred = model.predict(x[:5], verbose=0)
print(json.dumps({"keys": sorted(history.history), "epochs": len(history.epoch),
                  "loss": float(loss), "pred_shape": list(pred.shape),
                  "params": model.count_params()}))
