"""GroupedQueryAttention (keras.layers.GroupQueryAttention) against Keras 3
(TensorFlow backend) with Keras's weights copied: outputs, scores and
gradients with grouped, multi-query and full heads, masks, gate, sliding
window; dropout from the portable generator; config; a .keras file Keras 3
loads."""
import numpy as np
import pytest

import kerasx as keras
from kerasx.backend import get_ops
from tests.layer_parity import assert_close, check_config, report_at_teardown
from tests.layers.attention.parity import parity, weights_like

_report = report_at_teardown("GroupedQueryAttention")

LAYERS = {
    "grouped": dict(head_dim=4, num_query_heads=4, num_key_value_heads=2),
    "multi-query + gate": dict(head_dim=3, num_query_heads=3, num_key_value_heads=1,
                               use_gate=True),
    "full heads, no bias": dict(head_dim=3, num_query_heads=2, num_key_value_heads=2,
                                use_bias=False),
    "sliding window": dict(head_dim=4, num_query_heads=4, num_key_value_heads=2,
                           sliding_window=2),
}


def _inputs(seed=0):
    rng = np.random.default_rng(seed)
    q = rng.standard_normal((2, 3, 6)).astype("float32")
    v = rng.standard_normal((2, 4, 6)).astype("float32")
    k = rng.standard_normal((2, 4, 5)).astype("float32")
    mask = rng.random((2, 3, 4)) > 0.3
    mask[:, :, 0] = True  # no fully masked row (the two paths differ there, as in Keras)
    return q, v, k, mask


@pytest.mark.parametrize("name", list(LAYERS))
def test_matches_keras(backend, name):
    q, v, k, mask = _inputs()
    kwargs = LAYERS[name]
    parity(backend, "GroupQueryAttention", kwargs, q, v, {})
    parity(backend, "GroupQueryAttention", kwargs, q, v, dict(key=k, use_causal_mask=True))
    parity(backend, "GroupQueryAttention", kwargs, q, v, dict(attention_mask=mask))
    parity(backend, "GroupQueryAttention", kwargs, q, q,
           dict(return_attention_scores=True, use_causal_mask=True))


def test_keras_masks_of_the_inputs_as_in_keras(backend):
    import keras as ref

    def build(lib):
        inp = lib.Input((5,), dtype="int32")
        x = lib.layers.Embedding(9, 6, mask_zero=True)(inp)
        out = lib.layers.GroupQueryAttention(3, 4, 2)(x, x)
        return lib.Model(inp, out)

    tokens = np.array([[3, 4, 0, 0, 0], [1, 0, 2, 8, 0]], "int32")
    ref_model, model = build(ref), build(keras)
    ref_model.set_weights(weights_like(ref_model, np.random.default_rng(2)))
    model.set_weights(ref_model.get_weights())
    assert_close("masked output", keras.ops.convert_to_numpy(model(tokens)),
                 np.asarray(ref_model(tokens)), backend)


def test_dropout_uses_the_portable_generator(backend):
    from kerasx.random.sampling import dropout_mask
    from kerasx.random.seed_generator import SeedGenerator

    ops = get_ops()
    q, v, _, _ = _inputs(seed=3)
    layer = keras.layers.GroupQueryAttention(4, 4, 2, dropout=0.3, seed=5)
    _, scores = layer(q, v, return_attention_scores=True)
    trained = ops.to_numpy(layer(q, v, training=True))
    keep = dropout_mask(ops.shape(scores), 0.3, SeedGenerator(5))
    dropped = np.where(keep, ops.to_numpy(scores) / 0.7, 0.0).astype("float32")
    value = np.repeat(ops.to_numpy(layer._value_dense(v)), 2, axis=2)
    mixed = np.einsum("buqk,bkuh->bquh", dropped, value)
    want = ops.to_numpy(layer._output_dense(ops.convert_to_tensor(mixed)))
    np.testing.assert_allclose(trained, want, rtol=1e-5, atol=1e-5)


def test_config_errors_and_shapes(backend):
    import keras as ref

    kwargs = dict(head_dim=4, num_query_heads=6, num_key_value_heads=3, dropout=0.1,
                  use_gate=True, sliding_window=4, seed=1)
    layer = keras.layers.GroupQueryAttention(**kwargs)
    check_config(layer, ref.layers.GroupQueryAttention(**kwargs))
    assert keras.layers.GroupQueryAttention is keras.layers.GroupedQueryAttention
    with pytest.raises(ValueError, match="divisible"):
        keras.layers.GroupQueryAttention(4, 6, 4)
    out, scores = keras.layers.GroupQueryAttention(4, 6, 3)(
        keras.Input((3, 8)), keras.Input((5, 8)), return_attention_scores=True)
    assert out.shape == (None, 3, 8) and scores.shape == (None, 6, 3, 5)


def test_model_saves_a_file_keras_loads(backend, tmp_path):
    import keras as ref

    def build(lib):
        inp = lib.Input((4, 6))
        out = lib.layers.GroupQueryAttention(3, 4, 2, use_gate=True)(
            inp, inp, use_causal_mask=True)
        return lib.Model(inp, out)

    x = np.random.default_rng(4).standard_normal((2, 4, 6)).astype("float32")
    model = build(keras)
    model.set_weights(weights_like(build(ref), np.random.default_rng(5)))
    want = model.predict(x, verbose=0)
    model.save(tmp_path / "gqa.keras")
    loaded = ref.models.load_model(tmp_path / "gqa.keras")
    np.testing.assert_allclose(loaded.predict(x, verbose=0), want, rtol=1e-5, atol=1e-6)
    # And back: kerasx reads Keras's file (class name GroupQueryAttention).
    reference = build(ref)
    reference.set_weights(model.get_weights())
    reference.save(tmp_path / "keras_gqa.keras")
    again = keras.models.load_model(tmp_path / "keras_gqa.keras")
    np.testing.assert_allclose(again.predict(x, verbose=0), want, rtol=1e-5, atol=1e-6)
