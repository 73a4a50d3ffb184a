"""The Keras example "Text classification with Transformer", small: the same
code (a TokenAndPositionEmbedding layer with two Embeddings, a TransformerBlock
with MultiHeadAttention, LayerNormalization, Dropout and a Dense FFN,
GlobalAveragePooling1D, a Dense softmax) trains on kerasx, on every backend,
to Keras 3's loss curve from Keras's initial weights (dropout 0, so both
runs are deterministic), in the compiled step (tf.function, torch, MXNet
CachedOps) and eagerly.

The Adam reference is Keras 3 on its torch backend (a subprocess): on its
TensorFlow backend an Embedding's gradient is a tf.IndexedSlices, and Adam
squares each occurrence of a repeated token separately (its second moment
is the sum of squares, not the square of the sum), so a token seen twice in
a batch moves by up to ~2x the learning rate in the first step; dense Adam
(Keras on torch or JAX, kerasx) moves it by at most the learning rate. With
plain SGD the sparse update equals the dense one: that run is compared with
Keras on TensorFlow in process.
"""
import textwrap

import numpy as np
import pytest

import kerasx
from tests.conftest import REPO, run_python

VOCAB, MAXLEN, EMBED, HEADS, FF = 30, 8, 16, 2, 24
SAMPLES, BATCH, STEPS = 32, 8, 12

#: Largest relative deviation of any step's loss, per backend and mode
#: (printed at teardown with pytest -s).
DEVIATIONS = {}


def build(keras):
    """The example's model, written against `keras` (Keras 3 or kerasx)."""
    layers, ops = keras.layers, keras.ops

    class TransformerBlock(layers.Layer):
        def __init__(self, embed_dim, num_heads, ff_dim, rate=0.1):
            super().__init__()
            self.att = layers.MultiHeadAttention(num_heads=num_heads, key_dim=embed_dim)
            self.ffn = keras.Sequential(
                [layers.Dense(ff_dim, activation="relu"), layers.Dense(embed_dim)])
            self.layernorm1 = layers.LayerNormalization(epsilon=1e-6)
            self.layernorm2 = layers.LayerNormalization(epsilon=1e-6)
            self.dropout1 = layers.Dropout(rate)
            self.dropout2 = layers.Dropout(rate)

        def call(self, inputs, training=False):
            attn_output = self.att(inputs, inputs)
            attn_output = self.dropout1(attn_output, training=training)
            out1 = self.layernorm1(inputs + attn_output)
            ffn_output = self.ffn(out1)
            ffn_output = self.dropout2(ffn_output, training=training)
            return self.layernorm2(out1 + ffn_output)

    class TokenAndPositionEmbedding(layers.Layer):
        def __init__(self, maxlen, vocab_size, embed_dim):
            super().__init__()
            self.token_emb = layers.Embedding(input_dim=vocab_size, output_dim=embed_dim)
            self.pos_emb = layers.Embedding(input_dim=maxlen, output_dim=embed_dim)

        def call(self, x):
            maxlen = ops.shape(x)[-1]
            positions = ops.arange(start=0, stop=maxlen, step=1)
            positions = self.pos_emb(positions)
            x = self.token_emb(x)
            return x + positions

    inputs = layers.Input(shape=(MAXLEN,))
    x = TokenAndPositionEmbedding(MAXLEN, VOCAB, EMBED)(inputs)
    x = TransformerBlock(EMBED, HEADS, FF, rate=0.0)(x)
    x = layers.GlobalAveragePooling1D()(x)
    x = layers.Dropout(0.0)(x)
    x = layers.Dense(20, activation="relu")(x)
    x = layers.Dropout(0.0)(x)
    outputs = layers.Dense(2, activation="softmax")(x)
    return keras.Model(inputs=inputs, outputs=outputs)


def data():
    rng = np.random.default_rng(0)
    x = rng.integers(0, VOCAB, (SAMPLES, MAXLEN)).astype("float32")
    # A learnable label: whether token 3 occurs more often than token 5.
    y = ((x == 3).sum(axis=1) > (x == 5).sum(axis=1)).astype("int32")
    return x, y


def optimizer(keras, name):
    if name == "adam":
        return keras.optimizers.Adam(learning_rate=3e-3)
    return keras.optimizers.SGD(learning_rate=0.1)


def train(keras, model, optimizer_name, run_eagerly=False):
    """STEPS optimizer steps on fixed batches: (loss per step, final
    weights, predictions)."""
    x, y = data()
    model.compile(optimizer=optimizer(keras, optimizer_name),
                  loss="sparse_categorical_crossentropy", run_eagerly=run_eagerly)
    losses = []
    for step in range(STEPS):
        i = (step * BATCH) % SAMPLES
        out = model.train_on_batch(x[i:i + BATCH], y[i:i + BATCH])
        losses.append(float(out[0] if isinstance(out, (list, tuple)) else out))
    return np.array(losses), model.get_weights(), model.predict(x, verbose=0)


KERAS_TORCH_SCRIPT = textwrap.dedent("""
    import os, sys
    import numpy as np
    import keras
    sys.path.insert(0, {repo!r})
    from tests.examples.test_transformer_classifier import build, train
    keras.utils.set_random_seed(0)
    model = build(keras)
    initial = model.get_weights()
    losses, weights, pred = train(keras, model, "adam")
    arrays = dict(losses=losses, pred=pred)
    arrays.update({{f"initial_{{i}}": w for i, w in enumerate(initial)}})
    arrays.update({{f"weights_{{i}}": w for i, w in enumerate(weights)}})
    np.savez({path!r}, **arrays)
    print("OK")
""")


def _unpack(arrays):
    count = len([k for k in arrays if k.startswith("initial_")])
    return ([arrays[f"initial_{i}"] for i in range(count)],
            (arrays["losses"], [arrays[f"weights_{i}"] for i in range(count)],
             arrays["pred"]))


@pytest.fixture(scope="module")
def reference(tmp_path_factory):
    """{optimizer: (initial weights, (losses, final weights, predictions))}
    of Keras 3: Adam on its torch backend, SGD on TensorFlow."""
    refs = {}
    path = str(tmp_path_factory.mktemp("transformer") / "keras_torch.npz")
    result = run_python(KERAS_TORCH_SCRIPT.format(repo=REPO, path=path),
                        env={"KERAS_BACKEND": "torch"})
    assert result.returncode == 0 and "OK" in result.stdout, result.stderr[-3000:]
    with np.load(path) as arrays:
        refs["adam"] = _unpack(dict(arrays))
    import keras

    keras.utils.set_random_seed(0)
    model = build(keras)
    initial = model.get_weights()
    refs["sgd"] = (initial, train(keras, model, "sgd"))
    return refs


@pytest.fixture(scope="module", autouse=True)
def _report():
    yield
    if DEVIATIONS:
        print("\ntransformer classifier: largest relative loss deviation from Keras: "
              + ", ".join(f"{k}={v:.2e}" for k, v in sorted(DEVIATIONS.items())))


@pytest.mark.parametrize("optimizer_name", ["adam", "sgd"])
@pytest.mark.parametrize("run_eagerly", [False, True], ids=["compiled", "eager"])
def test_transformer_classifier_trains_like_keras(backend, reference, run_eagerly,
                                                  optimizer_name):
    initial, (want_losses, want_weights, want_pred) = reference[optimizer_name]
    model = build(kerasx)
    assert [tuple(w.shape) for w in model.get_weights()] == [w.shape for w in initial]
    model.set_weights(initial)
    losses, weights, pred = train(kerasx, model, optimizer_name, run_eagerly)
    if backend == "mxnet" and not run_eagerly:
        # The compiled steps really ran as CachedOps (no eager fallback).
        compiled = [c for fn in model._step_functions.values() for c, _ in fn._compiled.values()]
        assert compiled and all(c.hybridized for c in compiled)
    deviation = float(np.max(np.abs(losses - want_losses) / np.abs(want_losses)))
    mode = "eager" if run_eagerly else "compiled"
    DEVIATIONS[f"{backend}/{optimizer_name}/{mode}"] = deviation
    assert want_losses[-1] < 0.9 * want_losses[0], "the reference did not learn"
    np.testing.assert_allclose(losses, want_losses, rtol=2e-5, atol=1e-6)
    for got, want in zip(weights, want_weights):
        np.testing.assert_allclose(got, want, rtol=1e-4, atol=2e-5)
    np.testing.assert_allclose(pred, want_pred, rtol=1e-4, atol=1e-5)
