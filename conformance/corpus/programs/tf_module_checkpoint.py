"""TensorFlow interop: a Keras model's variables tracked by tf.train.Checkpoint
(save, change, restore) and read by tf.GradientTape inside tf.function."""
# backends: tensorflow
# keras3: tensorflow
# needs: tensorflow
import os

import numpy as np
import tensorflow as tf

import keras

keras.utils.set_random_seed(39)
model = keras.Sequential([keras.Input(shape=(3,)), keras.layers.Dense(2)])
checkpoint = tf.train.Checkpoint(model=model)
path = checkpoint.save(os.path.join(os.getcwd(), "ckpt"))
original = model.get_weights()
model.set_weights([w + 1.0 for w in original])
checkpoint.restore(path)
for a, b in zip(original, model.get_weights()):
    np.testing.assert_array_equal(a, b)

x = tf.constant(np.random.default_rng(39).normal(size=(4, 3)).astype("float32"))


@tf.function
def grads(x):
    with tf.GradientTape() as tape:
        loss = tf.reduce_sum(model(x) ** 2)
    return tape.gradient(loss, model.trainable_variables)


g = grads(x)
assert all(v is not None for v in g) and g[0].shape == (3, 2)
kernel, bias = original
expected = 2 * x.numpy().T @ (x.numpy() @ kernel + bias)
np.testing.assert_allclose(g[0].numpy(), expected, rtol=1e-5, atol=1e-5)
print(f"RESULT grad_norm={float(tf.linalg.global_norm(g)):.4f}")
