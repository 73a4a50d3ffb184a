"""ReversibleEmbedding against keras.layers.ReversibleEmbedding (TensorFlow
backend) with Keras's weights copied: embedding and reverse logits (tied and
untied, soft cap, reverse dtype), gradients, masks, config, and a tied
language-model head saved to a .keras file Keras 3 loads."""
import numpy as np
import pytest

import kerasx as keras
from kerasx.backend import get_ops
from tests.layer_parity import assert_close, check_config, report_at_teardown

_report = report_at_teardown("ReversibleEmbedding")

CASES = {
    "tied": {},
    "untied": dict(tie_weights=False),
    "soft cap": dict(logit_soft_cap=2.0),
    "float64 reverse": dict(reverse_dtype="float64"),
}


def _pair(kwargs, seed=0):
    import keras as ref

    rng = np.random.default_rng(seed)
    ref_layer = ref.layers.ReversibleEmbedding(7, 4, **kwargs)
    layer = keras.layers.ReversibleEmbedding(7, 4, **kwargs)
    ref_layer.build()
    layer.build()
    assert [tuple(w.shape) for w in layer.weights] == [tuple(w.shape)
                                                        for w in ref_layer.weights]
    ref_layer.set_weights([rng.standard_normal(w.shape).astype("float32")
                           for w in ref_layer.get_weights()])
    layer.set_weights(ref_layer.get_weights())
    return layer, ref_layer


@pytest.mark.parametrize("name", list(CASES))
def test_forward_and_reverse_match_keras(backend, name):
    import tensorflow as tf

    ops = get_ops()
    layer, ref_layer = _pair(CASES[name])
    ids = np.array([[1, 0, 6], [3, 3, 2]], "int32")
    assert_close("embedding", ops.to_numpy(layer(ids)), np.asarray(ref_layer(ids)), backend)
    vectors = np.random.default_rng(1).standard_normal((2, 3, 4)).astype("float32")
    want = np.asarray(ref_layer(vectors, reverse=True))
    got = ops.to_numpy(layer(vectors, reverse=True))
    assert got.dtype == want.dtype
    assert_close("reverse logits", got, want, backend)

    # Gradients of the reverse logits w.r.t. the vectors and the weights.
    w = np.random.default_rng(2).standard_normal(want.shape).astype(want.dtype)
    x = tf.constant(vectors)
    with tf.GradientTape() as tape:
        tape.watch(x)
        loss = tf.reduce_sum(ref_layer(x, reverse=True) * w)
    want_grads = tape.gradient(loss, [x] + list(ref_layer.trainable_weights))
    xv = ops.variable(vectors)
    kw = ops.convert_to_tensor(w)
    _, grads = ops.value_and_grad(
        lambda: ops.sum(ops.multiply(layer(ops.variable_value(xv), reverse=True), kw)),
        [xv] + [v.native for v in layer.trainable_weights])
    for g, want_g in zip(grads, want_grads):
        # None from TensorFlow: a weight the reverse call does not read (the
        # untied layer's embeddings); kerasx gives zeros, as value_and_grad says.
        want_g = np.zeros(ops.shape(g)) if want_g is None else np.asarray(want_g)
        assert_close("gradient", ops.to_numpy(g), want_g, backend, 1e-5, 1e-5)


def test_mask_zero_masks_the_embedding_only(backend):
    ops = get_ops()
    layer = keras.layers.ReversibleEmbedding(5, 3, mask_zero=True)
    out = layer(np.array([[1, 0, 2]], "int32"))
    np.testing.assert_array_equal(ops.to_numpy(out._keras_mask), [[True, False, True]])
    logits = layer(ops.to_numpy(out), reverse=True)
    assert getattr(logits, "_keras_mask", None) is None
    assert tuple(ops.shape(logits)) == (1, 3, 5)


def test_config_and_symbolic_shapes(backend):
    import keras as ref

    kwargs = dict(tie_weights=False, logit_soft_cap=30.0, reverse_dtype="float32",
                  mask_zero=True)
    check_config(keras.layers.ReversibleEmbedding(10, 4, **kwargs),
                 ref.layers.ReversibleEmbedding(10, 4, **kwargs))
    layer = keras.layers.ReversibleEmbedding(10, 4)
    x = layer(keras.Input((6,), dtype="int32"))
    assert x.shape == (None, 6, 4)
    assert layer(x, reverse=True).shape == (None, 6, 10)


def test_tied_head_model_saves_a_file_keras_loads(backend, tmp_path):
    import keras as ref

    def build(lib):
        inp = lib.Input((5,), dtype="int32")
        emb = lib.layers.ReversibleEmbedding(11, 6)
        x = lib.layers.Dense(6, activation="tanh")(emb(inp))
        return lib.Model(inp, emb(x, reverse=True))

    tokens = np.random.default_rng(3).integers(0, 11, (3, 5)).astype("int32")
    model, reference = build(keras), build(ref)
    rng = np.random.default_rng(4)
    model.set_weights([rng.standard_normal(w.shape).astype("float32")
                       for w in reference.get_weights()])
    want = model.predict(tokens, verbose=0)
    model.save(tmp_path / "reversible.keras")
    loaded = ref.models.load_model(tmp_path / "reversible.keras")
    np.testing.assert_allclose(loaded.predict(tokens, verbose=0), want, rtol=1e-5, atol=1e-5)
