"""Transfer learning: a base model trained in the script on one task,
frozen with trainable=False (its weights stay put, BatchNormalization runs
in inference mode), a new head trained, then fine-tuning with a low
learning rate after recompiling with the base unfrozen."""
# backends: all
# keras3: tensorflow, torch
import numpy as np

import keras
from keras import layers

keras.utils.set_random_seed(34)
(x_train, y_train), (x_test, y_test) = keras.datasets.mnist.load_data()
x = x_train[:1500, ..., None].astype("float32") / 255
digit = y_train[:1500]
base = keras.Sequential([keras.Input(shape=(28, 28, 1)), layers.Conv2D(8, 3, strides=2),
                         layers.BatchNormalization(), layers.ReLU(), layers.Conv2D(8, 3, strides=2),
                         layers.GlobalAveragePooling2D()], name="base")
pretrain = keras.Sequential([base, layers.Dense(10, activation="softmax")])
pretrain.compile("adam", "sparse_categorical_crossentropy")
pretrain.fit(x, digit, epochs=2, batch_size=64, verbose=0)

# New task: is the digit even?
even = (digit % 2 == 0).astype("float32")
base.trainable = False
assert base.trainable_weights == [] and len(base.non_trainable_weights) == 8
inputs = keras.Input(shape=(28, 28, 1))
features = base(inputs, training=False)
outputs = layers.Dense(1, activation="sigmoid")(layers.Dropout(0.2)(features))
model = keras.Model(inputs, outputs)
assert len(model.trainable_weights) == 2
frozen = [w.copy() for w in base.get_weights()]
model.compile(keras.optimizers.Adam(1e-2), "binary_crossentropy", metrics=["accuracy"])
model.fit(x, even, epochs=2, batch_size=64, verbose=0)
for before, after in zip(frozen, base.get_weights()):
    np.testing.assert_array_equal(before, after)

base.trainable = True
model.compile(keras.optimizers.Adam(1e-4), "binary_crossentropy", metrics=["accuracy"])
assert len(model.trainable_weights) == 2 + 6
history = model.fit(x, even, epochs=1, batch_size=64, verbose=0)
changed = any(not np.allclose(a, b) for a, b in zip(frozen, base.get_weights()))
assert changed
print(f"RESULT loss={history.history['loss'][-1]:.4f} acc={history.history['accuracy'][-1]:.4f}")
