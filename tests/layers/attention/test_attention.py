"""Attention (Luong) and AdditiveAttention (Bahdanau) against Keras 3
(TensorFlow backend) with Keras's weights copied: outputs and gradients for
both score modes, masks (explicit and from Embedding(mask_zero=True)), causal
masks, returned scores, dropout from the portable generator, config, a .keras
file Keras 3 loads."""
import numpy as np
import pytest

import kerasx as keras
from kerasx.backend import get_ops
from tests.layer_parity import assert_close, check_config, report_at_teardown
from tests.layers.attention.parity import weights_like

_report = report_at_teardown("Attention, AdditiveAttention")

LAYERS = {
    "dot": ("Attention", {}),
    "dot scaled": ("Attention", dict(use_scale=True)),
    "concat": ("Attention", dict(score_mode="concat")),
    "concat scaled": ("Attention", dict(score_mode="concat", use_scale=True)),
    "additive": ("AdditiveAttention", {}),
    "additive unscaled": ("AdditiveAttention", dict(use_scale=False)),
}

Q_MASK = np.array([[True, True, False], [True, False, True]])
V_MASK = np.array([[True, True, False, True], [False, True, True, True]])

CALLS = {
    "plain": {},
    "causal": dict(use_causal_mask=True),
    "masks": dict(mask=[Q_MASK, V_MASK]),
    "value mask causal": dict(mask=[None, V_MASK], use_causal_mask=True),
}


def _inputs(with_key=False, seed=0):
    rng = np.random.default_rng(seed)
    q = rng.standard_normal((2, 3, 5)).astype("float32")
    v = rng.standard_normal((2, 4, 5)).astype("float32")
    k = rng.standard_normal((2, 4, 5)).astype("float32")
    return [q, v, k] if with_key else [q, v]


@pytest.mark.parametrize("call", list(CALLS))
@pytest.mark.parametrize("name", list(LAYERS))
def test_matches_keras(backend, name, call):
    import keras as ref

    cls, kwargs = LAYERS[name]
    inputs = _inputs(with_key=call == "masks")
    _compare(backend, getattr(keras.layers, cls)(**kwargs), getattr(ref.layers, cls)(**kwargs),
             inputs, CALLS[call])


def _compare(backend, layer, ref_layer, inputs, call_kwargs):
    """Outputs and gradients (w.r.t. the inputs and every weight) with
    Keras's weights copied. Keras's inputs are watched constants: its
    Attention refuses tf.Variable inputs (swapaxes reads `.ndim`)."""
    import tensorflow as tf

    ops = get_ops()
    rng = np.random.default_rng(7)
    ref_layer(inputs, **call_kwargs)
    layer(inputs, **call_kwargs)
    assert [tuple(w.shape) for w in layer.weights] == [tuple(w.shape)
                                                        for w in ref_layer.weights]
    ref_layer.set_weights(weights_like(ref_layer, rng))
    layer.set_weights(ref_layer.get_weights())
    want = np.asarray(ref_layer(inputs, **call_kwargs))
    assert_close("output", ops.to_numpy(layer(inputs, **call_kwargs)), want, backend)
    w = rng.standard_normal(want.shape).astype("float32")
    consts = [tf.constant(x) for x in inputs]
    with tf.GradientTape() as tape:
        tape.watch(consts)
        loss = tf.reduce_sum(ref_layer(consts, **call_kwargs) * w)
    want_grads = tape.gradient(loss, consts + list(ref_layer.trainable_weights))
    variables = [ops.variable(x) for x in inputs]
    kw = ops.convert_to_tensor(w)

    def loss_fn():
        y = layer([ops.variable_value(v) for v in variables], **call_kwargs)
        return ops.sum(ops.multiply(y, kw))

    _, grads = ops.value_and_grad(loss_fn, variables + [v.native
                                                        for v in layer.trainable_weights])
    for i, (g, want_g) in enumerate(zip(grads, want_grads)):
        assert_close(f"gradient {i}", ops.to_numpy(g), np.asarray(want_g), backend,
                     1e-5, 1e-5)


@pytest.mark.parametrize("name", ["dot scaled", "additive"])
def test_returned_scores_match_keras(backend, name):
    import keras as ref

    cls, kwargs = LAYERS[name]
    inputs = _inputs()
    layer, ref_layer = getattr(keras.layers, cls)(**kwargs), getattr(ref.layers, cls)(**kwargs)
    ref_layer(inputs)
    layer(inputs)
    ref_layer.set_weights(weights_like(ref_layer, np.random.default_rng(1)))
    layer.set_weights(ref_layer.get_weights())
    call = dict(return_attention_scores=True, use_causal_mask=True, mask=[Q_MASK, V_MASK])
    out, scores = layer(inputs, **call)
    want_out, want_scores = ref_layer(inputs, **call)
    assert_close("output", get_ops().to_numpy(out), np.asarray(want_out), backend)
    assert_close("scores", get_ops().to_numpy(scores), np.asarray(want_scores), backend)


@pytest.mark.parametrize("cls", ["Attention", "AdditiveAttention"])
def test_embedding_masks_reach_the_layer_as_in_keras(backend, cls):
    import keras as ref

    def build(lib):
        q_in = lib.Input((3,), dtype="int32")
        v_in = lib.Input((4,), dtype="int32")
        emb = lib.layers.Embedding(9, 5, mask_zero=True)
        out = getattr(lib.layers, cls)()([emb(q_in), emb(v_in)])
        return lib.Model([q_in, v_in], lib.layers.GlobalAveragePooling1D()(out))

    rng = np.random.default_rng(2)
    tokens = [rng.integers(0, 9, (3, 3)).astype("int32"),
              rng.integers(0, 9, (3, 4)).astype("int32")]
    tokens[1][:, 0] = 1  # each query sees at least one value
    tokens[0][0, 2] = 0
    tokens[1][1, 2:] = 0
    ref_model, model = build(ref), build(keras)
    ref_model.set_weights(weights_like(ref_model, rng))
    model.set_weights(ref_model.get_weights())
    assert_close("masked model", keras.ops.convert_to_numpy(model(tokens)),
                 np.asarray(ref_model(tokens)), backend)


def test_dropout_uses_the_portable_generator(backend):
    from kerasx.random.sampling import dropout_mask
    from kerasx.random.seed_generator import SeedGenerator

    ops = get_ops()
    q, v = _inputs(seed=3)
    layer = keras.layers.Attention(dropout=0.5, seed=4)
    _, weights = layer([q, v], return_attention_scores=True)
    trained = ops.to_numpy(layer([q, v], training=True))
    keep = dropout_mask(ops.shape(weights), 0.5, SeedGenerator(4))
    want = np.where(keep, ops.to_numpy(weights) / 0.5, 0.0) @ v
    np.testing.assert_allclose(trained, want, rtol=1e-5, atol=1e-6)


@pytest.mark.parametrize("name", ["concat scaled", "additive"])
def test_config_shapes_and_errors(backend, name):
    import keras as ref

    cls, kwargs = LAYERS[name]
    kwargs = dict(kwargs, dropout=0.2)
    check_config(getattr(keras.layers, cls)(**kwargs), getattr(ref.layers, cls)(**kwargs))
    out, scores = getattr(keras.layers, cls)()([keras.Input((3, 5)), keras.Input((4, 5))],
                                               return_attention_scores=True)
    assert out.shape == (None, 3, 5) and scores.shape == (None, 3, 4)
    with pytest.raises(ValueError, match="list of inputs"):
        getattr(keras.layers, cls)()(np.zeros((1, 3, 5), "float32"))
    with pytest.raises(ValueError, match="score_mode"):
        keras.layers.Attention(score_mode="add")


def test_model_saves_a_file_keras_loads(backend, tmp_path):
    import keras as ref

    def build(lib):
        q_in, v_in = lib.Input((3, 5)), lib.Input((4, 5))
        a = lib.layers.Attention(use_scale=True, score_mode="concat")([q_in, v_in])
        b = lib.layers.AdditiveAttention()([q_in, v_in])
        return lib.Model([q_in, v_in], lib.layers.Add()([a, b]))

    inputs = _inputs(seed=5)
    model = build(keras)
    model.set_weights(weights_like(build(ref), np.random.default_rng(6)))
    want = model.predict(inputs, verbose=0)
    model.save(tmp_path / "attention.keras")
    loaded = ref.models.load_model(tmp_path / "attention.keras")
    np.testing.assert_allclose(loaded.predict(inputs, verbose=0), want, rtol=1e-5, atol=1e-6)
