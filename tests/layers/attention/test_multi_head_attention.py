"""MultiHeadAttention against keras.layers.MultiHeadAttention (TensorFlow
backend) with Keras's weights copied: outputs, attention scores and gradients
for the layer's options and masks; Embedding(mask_zero=True) masks in a
model; dropout from the portable generator; config; a .keras file Keras 3
loads with the same outputs."""
import numpy as np
import pytest

import kerasx as keras
from kerasx.backend import get_ops
from tests.layer_parity import assert_close, check_config, report_at_teardown
from tests.layers.attention.parity import parity, weights_like as _weights_like

_report = report_at_teardown("MultiHeadAttention")

def _inputs(seed=0, t=3, s=4, dq=6, dv=5):
    rng = np.random.default_rng(seed)
    q = rng.standard_normal((2, t, dq)).astype("float32")
    v = rng.standard_normal((2, s, dv)).astype("float32")
    k = rng.standard_normal((2, s, 7)).astype("float32")
    return q, v, k


LAYERS = {
    "plain": dict(num_heads=2, key_dim=4),
    "value_dim": dict(num_heads=3, key_dim=2, value_dim=5),
    "no bias": dict(num_heads=2, key_dim=4, use_bias=False),
    "output_shape": dict(num_heads=2, key_dim=3, output_shape=7),
    "gate": dict(num_heads=2, key_dim=4, use_gate=True),
    "sliding window": dict(num_heads=2, key_dim=4, sliding_window=2),
}

CALLS = {
    "self": dict(),
    "cross with key": dict(key=True),
    "attention_mask": dict(attention_mask=True),
    "causal": dict(use_causal_mask=True),
    "causal + attention_mask": dict(use_causal_mask=True, attention_mask=True),
    "scores": dict(return_attention_scores=True),
    "scores causal": dict(return_attention_scores=True, use_causal_mask=True,
                          attention_mask=True),
}


def _call_args(call, q, v, k, rng):
    kwargs = {n: val for n, val in CALLS[call].items() if n not in ("key", "attention_mask")}
    value = q if call.startswith("self") else v
    if CALLS[call].get("key"):
        kwargs["key"] = k
    if CALLS[call].get("attention_mask"):
        mask = rng.random((q.shape[0], q.shape[1], value.shape[1])) > 0.3
        mask[:, :, 0] = True  # no fully masked row: the two paths agree there
        kwargs["attention_mask"] = mask
    return value, kwargs


def _parity(backend, layer_kwargs, q, value, call_kwargs, seed=0):
    return parity(backend, "MultiHeadAttention", layer_kwargs, q, value, call_kwargs, seed)


@pytest.mark.parametrize("call", list(CALLS))
def test_calls_match_keras(backend, call):
    q, v, k = _inputs()
    value, kwargs = _call_args(call, q, v, k, np.random.default_rng(1))
    _parity(backend, LAYERS["plain"], q, value, kwargs)


@pytest.mark.parametrize("name", [n for n in LAYERS if n != "plain"])
def test_options_match_keras(backend, name):
    q, v, k = _inputs(seed=2)
    _parity(backend, LAYERS[name], q, v, dict(key=k, use_causal_mask=True))
    _parity(backend, LAYERS[name], q, q, dict(return_attention_scores=True))


def test_attention_over_two_axes_matches_keras(backend):
    rng = np.random.default_rng(4)
    x = rng.standard_normal((2, 3, 2, 5)).astype("float32")
    _parity(backend, dict(num_heads=2, key_dim=3, attention_axes=(1, 2)), x, x,
            dict(return_attention_scores=True))
    mask = rng.random((2, 3, 2, 3, 2)) > 0.3
    mask[..., 0, 0] = True
    _parity(backend, dict(num_heads=2, key_dim=3, attention_axes=(1, 2)), x, x,
            dict(attention_mask=mask))


def _masked_model(lib, vocab=12, length=6, dim=8):
    """Embedding(mask_zero=True) -> self-attention -> residual -> LayerNorm
    -> masked average pooling: the padding mask reaches the attention as
    query and value masks, and the pooling as the attention output's mask."""
    inp = lib.Input((length,), dtype="int32")
    x = lib.layers.Embedding(vocab, dim, mask_zero=True)(inp)
    att = lib.layers.MultiHeadAttention(num_heads=2, key_dim=4)(x, x)
    y = lib.layers.LayerNormalization(epsilon=1e-6)(lib.layers.Add()([x, att]))
    pooled = lib.layers.GlobalAveragePooling1D()(att)
    return lib.Model(inp, [y, pooled, att])


def test_embedding_padding_masks_reach_the_attention_as_in_keras(backend):
    import keras as ref

    tokens = np.random.default_rng(5).integers(1, 12, (3, 6)).astype("int32")
    tokens[0, 4:] = 0
    tokens[1, 2:] = 0
    tokens[2, 1] = 0  # a padding token in the middle
    ref_model, model = _masked_model(ref), _masked_model(keras)
    ref_model.set_weights(_weights_like(ref_model, np.random.default_rng(6)))
    model.set_weights(ref_model.get_weights())
    wants = ref_model(tokens)
    gots = model(tokens)
    for name, got, want in zip(("residual + norm", "masked pooling", "attention"),
                               gots, wants):
        assert_close(name, keras.ops.convert_to_numpy(got), np.asarray(want), backend)
    # The masks matter: the same model without padding gives other numbers.
    unmasked = _masked_model(keras)
    unmasked.set_weights(ref_model.get_weights())
    unmasked.layers[1].mask_zero = False
    unmasked.layers[1].supports_masking = False
    other = keras.ops.convert_to_numpy(unmasked(tokens)[2])
    assert np.abs(other[0, :4] - np.asarray(wants[2])[0, :4]).max() > 1e-3


def test_explicit_masks_as_in_keras(backend):
    """query_mask is Keras's (read from the query tensor, so an explicit
    argument is ignored); value_mask and key_mask are combined."""
    q, v, k = _inputs(seed=7)
    value_mask = np.array([[True, True, False, True], [True, False, False, False]])
    key_mask = np.array([[True, False, True, True], [True, True, True, False]])
    _parity(backend, LAYERS["plain"], q, v,
            dict(key=k, value_mask=value_mask, key_mask=key_mask))


def test_dropout_uses_the_portable_generator(backend):
    """Dropout on the scores keeps exactly the elements of the portable
    generator's mask for the layer's seed, hence the same on every backend."""
    from kerasx.random.sampling import dropout_mask
    from kerasx.random.seed_generator import SeedGenerator

    ops = get_ops()
    q, v, _ = _inputs(seed=8)
    layer = keras.layers.MultiHeadAttention(2, 4, dropout=0.4, seed=11)
    out, scores = layer(q, v, return_attention_scores=True, training=False)
    scores = ops.to_numpy(scores)
    inference = ops.to_numpy(out)
    trained = ops.to_numpy(layer(q, v, training=True))
    keep = dropout_mask(scores.shape, 0.4, SeedGenerator(11))
    dropped = np.where(keep, scores / 0.6, 0.0).astype("float32")
    value = ops.to_numpy(layer.value_dense(v))
    mixed = np.einsum("bnts,bsnh->btnh", dropped, value)
    want = ops.to_numpy(layer.output_dense(ops.convert_to_tensor(mixed)))
    np.testing.assert_allclose(trained, want, rtol=1e-5, atol=1e-5)
    assert np.abs(trained - inference).max() > 1e-3


def test_config_round_trip(backend):
    import keras as ref

    kwargs = dict(num_heads=3, key_dim=4, value_dim=2, dropout=0.1, output_shape=(5,),
                  attention_axes=(1,), use_gate=True, sliding_window=3, seed=2)
    layer = keras.layers.MultiHeadAttention(**kwargs)
    check_config(layer, ref.layers.MultiHeadAttention(**kwargs))
    clone = keras.layers.deserialize(keras.layers.serialize(layer))
    assert clone.get_config() == layer.get_config()


def test_symbolic_shapes_and_errors(backend):
    q = keras.Input((3, 6))
    v = keras.Input((4, 5))
    out, scores = keras.layers.MultiHeadAttention(2, 4, output_shape=7)(
        q, v, return_attention_scores=True)
    assert out.shape == (None, 3, 7) and scores.shape == (None, 2, 3, 3)
    with pytest.raises(ValueError, match="num_heads"):
        keras.layers.MultiHeadAttention(0, 4)
    with pytest.raises(ValueError, match="except the last one"):
        keras.layers.MultiHeadAttention(2, 4)(np.zeros((1, 3, 6), "float32"),
                                              np.zeros((1, 4, 5), "float32"),
                                              key=np.zeros((1, 2, 5), "float32"))
    with pytest.raises(ValueError, match="flash"):
        keras.layers.MultiHeadAttention(2, 4, flash_attention=True)


def test_model_with_attention_saves_a_file_keras_loads(backend, tmp_path):
    import keras as ref

    def build(lib):
        inp = lib.Input((5,), dtype="int32")
        x = lib.layers.Embedding(10, 8)(inp)
        att = lib.layers.MultiHeadAttention(2, 4, use_gate=True)(x, x, use_causal_mask=True)
        x = lib.layers.LayerNormalization()(lib.layers.Add()([x, att]))
        x = lib.layers.GlobalAveragePooling1D()(x)
        return lib.Model(inp, lib.layers.Dense(3, activation="softmax")(x))

    tokens = np.random.default_rng(9).integers(0, 10, (4, 5)).astype("int32")
    model = build(keras)
    reference = build(ref)
    model.set_weights(_weights_like(reference, np.random.default_rng(10)))
    want = model.predict(tokens, verbose=0)
    model.save(tmp_path / "mha.keras")
    loaded = ref.models.load_model(tmp_path / "mha.keras")
    np.testing.assert_allclose(loaded.predict(tokens, verbose=0), want, rtol=1e-5,
                               atol=1e-6)
    # And back: kerasx loads Keras's file of the same model.
    reference.set_weights(model.get_weights())
    reference.save(tmp_path / "keras_mha.keras")
    again = keras.models.load_model(tmp_path / "keras_mha.keras")
    np.testing.assert_allclose(again.predict(tokens, verbose=0), want, rtol=1e-5,
                               atol=1e-6)


def test_attention_dropout_trains_identically_on_every_backend():
    """MultiHeadAttention, GroupQueryAttention and Attention with dropout,
    trained in compiled steps from one seed: the same losses and predictions
    on every backend (the masks come from the portable generator)."""
    import kerasx.backend as kb
    from tests.conftest import AVAILABLE_BACKENDS

    rng = np.random.default_rng(0)
    x, y = rng.integers(0, 20, (32, 6)), rng.integers(0, 2, 32)
    results = {}
    previous = kb.backend()
    try:
        for name in AVAILABLE_BACKENDS:
            kb.set_backend(name)
            keras.utils.set_random_seed(3)
            inp = keras.Input((6,), dtype="int32")
            e = keras.layers.Embedding(20, 8, mask_zero=True)(inp)
            a = keras.layers.MultiHeadAttention(2, 4, dropout=0.3, seed=1)(e, e)
            g = keras.layers.GroupQueryAttention(4, 4, 2, dropout=0.2, seed=2)(a, a)
            z = keras.layers.Attention(dropout=0.1, seed=3)([g, a])
            out = keras.layers.Dense(2, activation="softmax")(
                keras.layers.GlobalAveragePooling1D()(z))
            model = keras.Model(inp, out)
            model.compile("adam", "sparse_categorical_crossentropy")
            history = model.fit(x, y, batch_size=8, epochs=2, verbose=0, shuffle=False)
            results[name] = (history.history["loss"], model.predict(x, verbose=0))
    finally:
        kb.set_backend(previous)
    first = results[AVAILABLE_BACKENDS[0]]
    for name, (losses, pred) in results.items():
        np.testing.assert_allclose(losses, first[0], rtol=1e-5, err_msg=name)
        np.testing.assert_allclose(pred, first[1], rtol=1e-5, atol=1e-6, err_msg=name)
