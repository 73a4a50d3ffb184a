"""Recurrent layers run their time loop as one contract `scan`: a compiled
training step keeps the size of a sequence length 10 at length 100 (where
the plugin's scan is native: TensorFlow's while loop, MXNet's foreach), and
compiled training gives eager training's numbers with masks, go_backwards,
return_sequences, stateful layers, dropout and cells run step by step."""
import warnings

import numpy as np
import pytest

import kerasx as keras
from kerasx.backend import get_ops

FEATURES, BATCH = 4, 6


def _data(steps, seed=0, masked=False, batch=BATCH):
    rng = np.random.default_rng(seed)
    x = rng.standard_normal((batch, steps, FEATURES)).astype("float32")
    if masked:  # post-padding of different lengths, and a hole
        for row, length in enumerate([steps, steps - 2, 3, steps - 1, 2, steps] * (batch // 6)):
            x[row, length:] = 0.0
        x[0, 1] = 0.0
    y = rng.standard_normal((batch, 2)).astype("float32")
    return x, y


MODELS = {
    "lstm": lambda L: [L.LSTM(5)],
    "masked lstm sequences": lambda L: [L.Masking(0.0), L.LSTM(5, return_sequences=True),
                                        L.GlobalAveragePooling1D()],
    "masked gru backwards": lambda L: [L.Masking(0.0), L.GRU(5, go_backwards=True)],
    "simple_rnn dropout": lambda L: [L.SimpleRNN(5, dropout=0.3, recurrent_dropout=0.2,
                                                 seed=3)],
    "masked lstm cell loop": lambda L: [L.Masking(0.0), L.LSTM(
        5, recurrent_activation="hard_sigmoid", recurrent_dropout=0.25, seed=1)],
    "bidirectional masked": lambda L: [L.Masking(0.0), L.Bidirectional(L.LSTM(3))],
}


def _model(name, steps, stateful=False):
    keras.utils.set_random_seed(11)
    L = keras.layers
    if stateful:
        layers = [L.Input((steps, FEATURES), batch_size=BATCH),
                  L.LSTM(5, stateful=True, return_sequences=True), L.Flatten()]
    else:
        layers = [L.Input((steps, FEATURES))] + MODELS[name](L)
    return keras.Sequential(layers + [L.Dense(2)])


def _train(name, steps, run_eagerly, jit_compile="auto", stateful=False, batches=3):
    model = _model(name, steps, stateful)
    model.compile(optimizer=keras.optimizers.SGD(0.1), loss="mse",
                  run_eagerly=run_eagerly, jit_compile=jit_compile)
    losses = []
    with warnings.catch_warnings():
        # A compiled step that falls back to eager execution warns: not here.
        warnings.simplefilter("error", RuntimeWarning)
        for b in range(batches):
            x, y = _data(steps, seed=b, masked="masked" in name)
            losses.append(float(model.train_on_batch(x, y)))
    return model, losses


@pytest.mark.parametrize("name", list(MODELS))
def test_compiled_training_matches_eager(backend, name):
    _, eager_losses = _train(name, 7, True)
    eager_weights = _train(name, 7, True)[0].get_weights()
    model, losses = _train(name, 7, False)
    np.testing.assert_allclose(losses, eager_losses, rtol=1e-5)
    for got, want in zip(model.get_weights(), eager_weights):
        np.testing.assert_allclose(got, want, rtol=1e-5, atol=1e-6)


def test_compiled_stateful_training_matches_eager(backend):
    eager, eager_losses = _train("stateful", 5, True, stateful=True)
    model, losses = _train("stateful", 5, False, stateful=True)
    np.testing.assert_allclose(losses, eager_losses, rtol=1e-5)
    ops = get_ops()
    for got, want in zip(model.layers[0].states, eager.layers[0].states):
        np.testing.assert_allclose(ops.to_numpy(got.value), ops.to_numpy(want.value),
                                   rtol=1e-5, atol=1e-6)
    assert np.abs(ops.to_numpy(model.layers[0].states[0].value)).max() > 0


def test_torch_compile_trains_a_masked_lstm_as_eager(backend):
    """jit_compile=True (torch.compile on PyTorch, XLA on TensorFlow): the
    masked LSTM's step loop compiles and trains as eagerly."""
    _, eager_losses = _train("masked lstm sequences", 5, True, batches=2)
    model, losses = _train("masked lstm sequences", 5, False, jit_compile=True, batches=2)
    np.testing.assert_allclose(losses, eager_losses, rtol=1e-5)


# -- compiled graph sizes ------------------------------------------------------------

def _tf_graph_size(monkeypatch):
    """Record the concrete functions the TensorFlow plugin compiles; returns
    a function giving the node count of the last one, library included (a
    while loop's body is a library function)."""
    import tensorflow as tf

    concrete = []
    original = tf.function

    class Recording:
        def __init__(self, fn, **kwargs):
            self._function = original(fn, **kwargs)

        def get_concrete_function(self, *args):
            concrete.append(self._function.get_concrete_function(*args))
            return concrete[-1]

    monkeypatch.setattr(tf, "function", Recording)

    def size():
        graph = concrete[-1].graph.as_graph_def()
        return len(graph.node) + sum(len(f.node_def) for f in graph.library.function)
    return size


def _mxnet_graph_size(monkeypatch):
    """Record the symbols of the CachedOps the MXNet tracer makes; returns a
    function giving their node count (subgraphs, a foreach's body, included)
    since the last call."""
    import json

    import mxnet as mx

    sizes = []

    def nodes(graph):
        return sum(1 + sum(nodes(sub) for sub in node.get("subgraphs", ()))
                   for node in graph["nodes"])

    class Recording(mx.ndarray.CachedOp):
        def __init__(self, sym, flags=()):
            sizes.append(nodes(json.loads(sym.tojson())))
            super().__init__(sym, flags)

    monkeypatch.setattr(mx.ndarray, "CachedOp", Recording)

    def size():
        total = sum(sizes)
        sizes.clear()
        return total
    return size


@pytest.mark.parametrize("name", ["lstm", "masked lstm sequences", "masked gru backwards",
                                  "simple_rnn dropout"])
def test_compiled_step_size_does_not_grow_with_the_sequence(backend, monkeypatch, name):
    if backend == "torch":
        pytest.skip("PyTorch's torch.compile unrolls the loop: its scan operator "
                    "miscompiles gradients in torch 2.13 (see backends/kerasx_torch)")
    size = (_tf_graph_size if backend == "tensorflow" else _mxnet_graph_size)(monkeypatch)
    sizes = []
    for steps in (10, 100):
        model = _model(name, steps)
        model.compile(optimizer=keras.optimizers.SGD(0.1), loss="mse")
        # batch 30: TensorFlow writes a zeros tensor of 1,000 elements or more
        # (Masking's, of the input's shape) as Fill, a smaller one as a
        # constant; at batch 30 both lengths take the same form.
        x, y = _data(steps, masked="masked" in name, batch=30)
        model.train_on_batch(x, y)
        sizes.append(size())
    assert sizes[0] == sizes[1] and sizes[0] > 50, sizes
