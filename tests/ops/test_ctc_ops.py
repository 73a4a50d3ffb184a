"""keras.ops.ctc_loss / ctc_decode and keras.losses.CTC against Keras 3 (TF
backend) on every kerasx backend: values, gradients, masks, float64."""
import numpy as np
import pytest

import kerasx as keras
from kerasx.ops.gradients import value_and_grad

RNG = np.random.default_rng(17)
B, T, K = 3, 7, 5
OUTPUT = RNG.normal(size=(B, T, K)).astype("float32")
# Repeated labels (2, 2: a blank must separate them), padding, short outputs.
TARGET = np.array([[1, 2, 2], [3, 1, 0], [4, 0, 0]], "int32")
TARGET_LENGTH = np.array([3, 2, 1], "int32")
OUTPUT_LENGTH = np.array([7, 5, 6], "int32")


def _ref():
    import keras as ref

    return ref


def _np(x):
    return keras.ops.convert_to_numpy(x)


@pytest.mark.parametrize("mask_index", [0, K - 1])
def test_ctc_loss_matches_keras(backend, mask_index):
    target = np.where(TARGET == 0, 0, TARGET - (mask_index != 0)) if mask_index else TARGET
    want = np.asarray(_ref().ops.ctc_loss(target, OUTPUT, TARGET_LENGTH, OUTPUT_LENGTH,
                                          mask_index=mask_index))
    got = _np(keras.ops.ctc_loss(target, OUTPUT, TARGET_LENGTH, OUTPUT_LENGTH,
                                 mask_index=mask_index))
    assert got.dtype == np.float32
    np.testing.assert_allclose(got, want, rtol=1e-5, atol=1e-5)


def test_ctc_loss_float64_and_gradient_match_keras(backend):
    import tensorflow as tf

    want64 = np.asarray(_ref().ops.ctc_loss(TARGET, OUTPUT.astype("float64"), TARGET_LENGTH,
                                            OUTPUT_LENGTH))
    got64 = _np(keras.ops.ctc_loss(TARGET, OUTPUT.astype("float64"), TARGET_LENGTH,
                                   OUTPUT_LENGTH))
    assert got64.dtype == np.float64
    # Keras computes float64 in float32 (tf.nn.ctc_loss has no float64).
    np.testing.assert_allclose(got64, want64, rtol=1e-6, atol=1e-6)

    logits = tf.Variable(OUTPUT)
    with tf.GradientTape() as tape:
        total = tf.reduce_sum(_ref().ops.ctc_loss(TARGET, logits, TARGET_LENGTH,
                                                  OUTPUT_LENGTH))
    want = tape.gradient(total, logits).numpy()
    v = keras.Variable(OUTPUT)
    _, (grad,) = value_and_grad(lambda: keras.ops.sum(keras.ops.ctc_loss(
        TARGET, v.value, TARGET_LENGTH, OUTPUT_LENGTH)), [v.native])
    np.testing.assert_allclose(_np(grad), want, rtol=1e-4, atol=1e-5)


@pytest.mark.parametrize("merge_repeated", [True, False])
def test_greedy_ctc_decode_matches_keras(backend, merge_repeated):
    # Repeats and blanks by construction: steps copied from their neighbours.
    inputs = OUTPUT.copy()
    inputs[:, 2] = inputs[:, 1]
    inputs[0, 4, 0] = 10.0
    want_d, want_s = _ref().ops.ctc_decode(inputs, OUTPUT_LENGTH,
                                           merge_repeated=merge_repeated)
    got_d, got_s = keras.ops.ctc_decode(inputs, OUTPUT_LENGTH,
                                        merge_repeated=merge_repeated)
    np.testing.assert_array_equal(_np(got_d), np.asarray(want_d))
    assert _np(got_d).dtype == np.int32
    np.testing.assert_allclose(_np(got_s), np.asarray(want_s), rtol=1e-6)


def test_beam_search_is_a_clear_error(backend):
    with pytest.raises(ValueError, match="greedy"):
        keras.ops.ctc_decode(OUTPUT, OUTPUT_LENGTH, strategy="beam_search")
    with pytest.raises(ValueError, match="target"):
        keras.ops.ctc_loss(TARGET[0], OUTPUT, TARGET_LENGTH, OUTPUT_LENGTH)


@pytest.mark.parametrize("reduction", ["sum_over_batch_size", "sum", None])
def test_ctc_loss_class_matches_keras(backend, reduction):
    sw = np.array([1.0, 0.5, 2.0], "float32")
    want = _ref().losses.CTC(reduction=reduction)(TARGET, OUTPUT, sample_weight=sw)
    got = keras.losses.CTC(reduction=reduction)(TARGET, OUTPUT, sample_weight=sw)
    np.testing.assert_allclose(_np(got), np.asarray(want), rtol=1e-5, atol=1e-5)
    np.testing.assert_allclose(_np(keras.losses.ctc(TARGET, OUTPUT)),
                               np.asarray(_ref().losses.ctc(TARGET, OUTPUT)), rtol=1e-5)
    config = keras.losses.CTC(reduction=reduction).get_config()
    assert config == _ref().losses.CTC(reduction=reduction).get_config()
    assert keras.losses.CTC.from_config(config).get_config() == config


def test_compiled_training_step_with_ctc_matches_keras(backend):
    import keras as ref

    x = RNG.normal(size=(B, T, 4)).astype("float32")

    def model(lib):
        m = lib.Sequential([lib.Input((T, 4)), lib.layers.Dense(K)])
        m.compile(lib.optimizers.SGD(0.1), lib.losses.CTC())
        return m

    mine, theirs = model(keras), model(ref)
    theirs.set_weights(mine.get_weights())
    for _ in range(2):
        np.testing.assert_allclose(mine.train_on_batch(x, TARGET),
                                   theirs.train_on_batch(x, TARGET), rtol=1e-5, atol=1e-5)
    for a, b in zip(mine.get_weights(), theirs.get_weights()):
        np.testing.assert_allclose(a, b, rtol=1e-5, atol=1e-6)
