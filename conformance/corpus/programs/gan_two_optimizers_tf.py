"""GAN-style model: a Model subclass with a custom compile(d_optimizer,
g_optimizer, loss_fn), two optimizers and a train_step with two
tf.GradientTapes, loss trackers exposed through the metrics property."""
# backends: tensorflow
# keras3: tensorflow
# needs: tensorflow
import numpy as np
import tensorflow as tf

import keras
from keras import layers

LATENT = 4


class GAN(keras.Model):
    def __init__(self, discriminator, generator):
        super().__init__()
        self.discriminator = discriminator
        self.generator = generator
        self.d_loss_tracker = keras.metrics.Mean(name="d_loss")
        self.g_loss_tracker = keras.metrics.Mean(name="g_loss")
        self.seed_generator = keras.random.SeedGenerator(1337)

    def compile(self, d_optimizer, g_optimizer, loss_fn):
        super().compile()
        self.d_optimizer = d_optimizer
        self.g_optimizer = g_optimizer
        self.loss_fn = loss_fn

    @property
    def metrics(self):
        return [self.d_loss_tracker, self.g_loss_tracker]

    def train_step(self, real):
        batch = tf.shape(real)[0]
        noise = keras.random.normal((batch, LATENT), seed=self.seed_generator)
        fake = self.generator(noise)
        combined = tf.concat([fake, real], axis=0)
        labels = tf.concat([tf.ones((batch, 1)), tf.zeros((batch, 1))], axis=0)
        with tf.GradientTape() as tape:
            d_loss = self.loss_fn(labels, self.discriminator(combined))
        grads = tape.gradient(d_loss, self.discriminator.trainable_weights)
        self.d_optimizer.apply_gradients(zip(grads, self.discriminator.trainable_weights))
        noise = keras.random.normal((batch, LATENT), seed=self.seed_generator)
        with tf.GradientTape() as tape:
            g_loss = self.loss_fn(tf.zeros((batch, 1)),
                                  self.discriminator(self.generator(noise)))
        grads = tape.gradient(g_loss, self.generator.trainable_weights)
        self.g_optimizer.apply_gradients(zip(grads, self.generator.trainable_weights))
        self.d_loss_tracker.update_state(d_loss)
        self.g_loss_tracker.update_state(g_loss)
        return {"d_loss": self.d_loss_tracker.result(), "g_loss": self.g_loss_tracker.result()}


keras.utils.set_random_seed(14)
real = np.random.default_rng(14).normal(2.0, 0.5, size=(512, 2)).astype("float32")
discriminator = keras.Sequential([keras.Input(shape=(2,)), layers.Dense(16, activation="relu"),
                                  layers.Dense(1, activation="sigmoid")], name="discriminator")
generator = keras.Sequential([keras.Input(shape=(LATENT,)), layers.Dense(16, activation="relu"),
                              layers.Dense(2)], name="generator")
gan = GAN(discriminator, generator)
gan.compile(d_optimizer=keras.optimizers.Adam(1e-3), g_optimizer=keras.optimizers.Adam(1e-3),
            loss_fn=keras.losses.BinaryCrossentropy())
before = generator.get_weights()[0].copy()
history = gan.fit(real, epochs=3, batch_size=64, verbose=0)
assert sorted(history.history) == ["d_loss", "g_loss"], sorted(history.history)
assert not np.allclose(before, generator.get_weights()[0])
assert all(np.isfinite(history.history["d_loss"]))
print(f"RESULT d_loss={history.history['d_loss'][-1]:.4f} "
      f"g_loss={history.history['g_loss'][-1]:.4f}")
