"""A training loop from scratch, TensorFlow style: tf.data batches,
tf.GradientTape inside a tf.function step, optimizer.apply_gradients,
metrics' update_state/result/reset_state per epoch, and a validation loop."""
# backends: tensorflow
# keras3: tensorflow
# needs: tensorflow
import numpy as np
import tensorflow as tf

import keras

keras.utils.set_random_seed(12)
(x_train, y_train), (x_test, y_test) = keras.datasets.mnist.load_data()
x_train = x_train[:2048].reshape(-1, 784).astype("float32") / 255
y_train = y_train[:2048].astype("int64")
x_val = x_test[:512].reshape(-1, 784).astype("float32") / 255
y_val = y_test[:512].astype("int64")
train_ds = tf.data.Dataset.from_tensor_slices((x_train, y_train)).shuffle(1024, seed=0).batch(64)
val_ds = tf.data.Dataset.from_tensor_slices((x_val, y_val)).batch(128)

inputs = keras.Input(shape=(784,), name="digits")
x = keras.layers.Dense(64, activation="relu")(inputs)
outputs = keras.layers.Dense(10, name="predictions")(x)
model = keras.Model(inputs=inputs, outputs=outputs)
optimizer = keras.optimizers.Adam(learning_rate=1e-3)
loss_fn = keras.losses.SparseCategoricalCrossentropy(from_logits=True)
train_acc = keras.metrics.SparseCategoricalAccuracy()
val_acc = keras.metrics.SparseCategoricalAccuracy()


@tf.function
def train_step(x, y):
    with tf.GradientTape() as tape:
        logits = model(x, training=True)
        loss = loss_fn(y, logits)
    grads = tape.gradient(loss, model.trainable_weights)
    optimizer.apply_gradients(zip(grads, model.trainable_weights))
    train_acc.update_state(y, logits)
    return loss


epoch_losses = []
for epoch in range(3):
    total = []
    for xb, yb in train_ds:
        total.append(float(train_step(xb, yb)))
    epoch_losses.append(np.mean(total))
    train_result = float(train_acc.result())
    train_acc.reset_state()
    for xb, yb in val_ds:
        val_acc.update_state(yb, model(xb, training=False))
    val_result = float(val_acc.result())
    val_acc.reset_state()
assert float(train_acc.result()) == 0.0  # reset_state really resets
assert epoch_losses[-1] < epoch_losses[0], epoch_losses
assert val_result > 0.5, val_result
print(f"RESULT loss={epoch_losses[-1]:.4f} acc={train_result:.4f} val_acc={val_result:.4f}")
