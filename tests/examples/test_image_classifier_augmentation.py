"""A small image classifier in the style of the Keras example "Image
classification from scratch": data augmentation (RandomFlip, RandomRotation)
inside the model, Rescaling, convolutions, trained a few steps on the digits
upscaled to 16x16 (pixel values 0-255).

- With the augmentation layers at factor 0 (each still runs its transform:
  an identity rotation, zoom, translation, contrast, brightness), the loss
  curve equals Keras 3's from the same weights within float32 bars.
- With augmentation on, the same seed gives the same loss curve on every
  kerasx backend (the augmentation draws come from the portable generator).
"""
import keras
import numpy as np

import kerasx
import kerasx.backend as kb
from kerasx.datasets import digits
from tests.conftest import AVAILABLE_BACKENDS

STEPS, BATCH = 6, 32


def _data():
    (x, y), _ = digits.load_data()
    x = np.kron(x[:STEPS * BATCH], np.ones((2, 2), "float32"))[..., None] * 255.0
    return x.astype("float32"), y[:STEPS * BATCH].astype("int32")


def _model(lib, augmentation, run_eagerly=False):
    L = lib.layers
    data_augmentation = lib.Sequential(augmentation(L))
    inputs = lib.Input((16, 16, 1))
    x = data_augmentation(inputs)
    x = L.Rescaling(1.0 / 255)(x)
    x = L.Conv2D(8, 3, strides=2, padding="same")(x)
    x = L.BatchNormalization()(x)
    x = L.Activation("relu")(x)
    x = L.Conv2D(16, 3, padding="same", activation="relu")(x)
    x = L.MaxPooling2D(2)(x)
    x = L.GlobalAveragePooling2D()(x)
    outputs = L.Dense(10)(x)
    model = lib.Model(inputs, outputs)
    model.compile(optimizer=lib.optimizers.SGD(0.05),
                  loss=lib.losses.SparseCategoricalCrossentropy(from_logits=True),
                  run_eagerly=run_eagerly)
    return model


def _factor_zero(L):
    return [L.RandomRotation(0.0), L.RandomZoom(0.0), L.RandomTranslation(0.0, 0.0),
            L.RandomContrast(0.0), L.RandomBrightness(0.0)]


def _augmenting(L):
    return [L.RandomFlip("horizontal", seed=1), L.RandomRotation(0.1, seed=2)]


def _curve(model, x, y):
    return np.array([float(np.asarray(model.train_on_batch(
        x[i * BATCH:(i + 1) * BATCH], y[i * BATCH:(i + 1) * BATCH])).reshape(-1)[0])
        for i in range(STEPS)])


def test_factor_zero_training_matches_keras(backend):
    x, y = _data()
    kerasx.utils.set_random_seed(0)
    ours = _model(kerasx, _factor_zero)
    theirs = _model(keras, _factor_zero)
    theirs.set_weights(ours.get_weights())
    mine, reference = _curve(ours, x, y), _curve(theirs, x, y)
    np.testing.assert_allclose(mine, reference, rtol=1e-5, atol=1e-6)
    assert mine[-1] < mine[0]  # it learns
    np.testing.assert_allclose(ours.predict(x[:BATCH], verbose=0),
                               theirs.predict(x[:BATCH], verbose=0), rtol=1e-5, atol=1e-6)
    np.testing.assert_allclose(
        kb.get_ops().to_numpy(ours(x[:BATCH], training=False)),
        keras.ops.convert_to_numpy(theirs(x[:BATCH], training=False)), rtol=1e-5, atol=1e-6)


def test_augmented_training_same_curve_on_every_backend():
    x, y = _data()
    previous = kb.backend()
    curves = {}
    try:
        for be in AVAILABLE_BACKENDS:
            kb.set_backend(be)
            kerasx.utils.set_random_seed(0)
            model = _model(kerasx, _augmenting)
            curves[be] = _curve(model, x, y)
            # Inference passes the images through: predict equals the model
            # without its augmentation.
            plain = _model(kerasx, lambda L: [])
            plain.set_weights(model.get_weights())
            np.testing.assert_allclose(model.predict(x[:BATCH], verbose=0),
                                       plain.predict(x[:BATCH], verbose=0), rtol=1e-6,
                                       atol=1e-6)
    finally:
        kb.set_backend(previous)
    first = curves[AVAILABLE_BACKENDS[0]]
    for be in AVAILABLE_BACKENDS[1:]:
        np.testing.assert_allclose(curves[be], first, rtol=1e-5, atol=1e-6)
    # The augmentation is on: the curve differs from training without it;
    # and the compiled step draws anew at each step, as an eager one.
    graph = "tensorflow" if "tensorflow" in curves else AVAILABLE_BACKENDS[0]
    kb.set_backend(graph)
    try:
        kerasx.utils.set_random_seed(0)
        unaugmented = _curve(_model(kerasx, _factor_zero), x, y)
        kerasx.utils.set_random_seed(0)
        eager = _curve(_model(kerasx, _augmenting, run_eagerly=True), x, y)
    finally:
        kb.set_backend(previous)
    assert np.abs(unaugmented - curves[graph]).max() > 1e-4
    np.testing.assert_allclose(eager, curves[graph], rtol=1e-5, atol=1e-6)
