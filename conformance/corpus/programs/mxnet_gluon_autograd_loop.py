"""The MXNet Gluon way: a Keras model's weights trained in a hand-written loop
with mxnet.autograd.record() and loss.backward(), the gradients read from
the native arrays and applied with a Keras optimizer."""
# backends: mxnet
# keras3: no
# needs: mxnet
import numpy as np

np.bool = bool  # mxnet 1.9 needs this alias with numpy >= 1.24
import mxnet as mx

import keras

keras.utils.set_random_seed(11)
rng = np.random.default_rng(11)
x = rng.normal(size=(256, 4)).astype("float32")
y = (x @ np.array([[1.0], [-2.0], [0.5], [3.0]], dtype="float32") + 1.0).astype("float32")
model = keras.Sequential([keras.Input(shape=(4,)), keras.layers.Dense(1)])
optimizer = keras.optimizers.SGD(learning_rate=0.1)
loss_fn = keras.losses.MeanSquaredError()
weights = model.trainable_weights
natives = [w.value for w in weights]
for array in natives:
    array.attach_grad()
losses = []
for epoch in range(10):
    for start in range(0, len(x), 32):
        xb = mx.np.array(x[start:start + 32])
        yb = mx.np.array(y[start:start + 32])
        with mx.autograd.record():
            loss = loss_fn(yb, model(xb, training=True))
        loss.backward()
        optimizer.apply([a.grad for a in natives], weights)
    losses.append(float(loss_fn(y, model.predict(x, verbose=0))))
assert losses[-1] < 1e-3, losses
kernel = keras.ops.convert_to_numpy(weights[0])
np.testing.assert_allclose(kernel[:, 0], [1.0, -2.0, 0.5, 3.0], atol=0.02)
print(f"RESULT loss={losses[-1]:.6f}")
