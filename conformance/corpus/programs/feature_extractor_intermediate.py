"""A trained Sequential model turned into a feature extractor returning every
layer's output (keras.Model(inputs=m.inputs, outputs=[l.output ...])) and one
intermediate layer's output found with get_layer(name=...)."""
# backends: all
# keras3: tensorflow, torch
# quick: yes
import numpy as np

import keras
from keras import layers

keras.utils.set_random_seed(3)
rng = np.random.default_rng(3)
x = rng.normal(size=(64, 16, 16, 3)).astype("float32")
y = (x.mean(axis=(1, 2, 3)) > 0).astype("float32")
model = keras.Sequential([
    keras.Input(shape=(16, 16, 3)),
    layers.Conv2D(4, 3, strides=2, activation="relu"),
    layers.Conv2D(8, 3, activation="relu", name="my_intermediate_layer"),
    layers.GlobalMaxPooling2D(),
    layers.Dense(1, activation="sigmoid"),
])
model.compile("adam", "binary_crossentropy")
model.fit(x, y, epochs=1, verbose=0)

extractor = keras.Model(inputs=model.inputs, outputs=[l.output for l in model.layers])
features = extractor(x[:2])
shapes = [tuple(keras.ops.shape(f)) for f in features]
assert shapes == [(2, 7, 7, 4), (2, 5, 5, 8), (2, 8), (2, 1)], shapes
np.testing.assert_allclose(keras.ops.convert_to_numpy(features[-1]), model.predict(x[:2], verbose=0),
                           rtol=1e-5, atol=1e-6)
middle = keras.Model(inputs=model.inputs,
                     outputs=model.get_layer(name="my_intermediate_layer").output)
assert tuple(middle.predict(x[:3], verbose=0).shape) == (3, 5, 5, 8)
print(f"RESULT layers={len(shapes)} last={shapes[-1]}")
