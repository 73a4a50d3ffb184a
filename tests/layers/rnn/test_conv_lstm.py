"""ConvLSTM1D/2D/3D against Keras 3 (TensorFlow backend): weights, outputs,
gradients, output shapes, configs; returned states, masks, the portable
dropout masks (same seed, same output on every backend) and errors."""
import numpy as np
import pytest

from tests.conftest import AVAILABLE_BACKENDS
from tests.keras_reference import case_id, check_layer

keras = pytest.importorskip("keras")

CF = dict(data_format="channels_first")

CASES = [
    ("ConvLSTM1D", dict(filters=3, kernel_size=3), (2, 3, 6, 2)),
    ("ConvLSTM1D", dict(filters=2, kernel_size=2, strides=2, return_sequences=True),
     (2, 3, 6, 2)),
    ("ConvLSTM1D", dict(filters=2, kernel_size=3, padding="same", go_backwards=True,
                        **CF), (2, 4, 2, 5)),
    ("ConvLSTM2D", dict(filters=2, kernel_size=3, return_sequences=True),
     (2, 3, 5, 5, 2)),
    ("ConvLSTM2D", dict(filters=2, kernel_size=2, padding="same", dilation_rate=2,
                        unit_forget_bias=False, **CF), (2, 3, 2, 4, 5)),
    ("ConvLSTM2D", dict(filters=3, kernel_size=(2, 3), activation="relu",
                        recurrent_activation="hard_sigmoid", use_bias=False),
     (1, 2, 4, 5, 2)),
    ("ConvLSTM3D", dict(filters=2, kernel_size=2, return_sequences=True),
     (1, 2, 3, 4, 3, 2)),
    # channels_first is checked on ConvLSTM1D/2D: Keras's TensorFlow reference
    # takes ~20 s for a channels_first ConvLSTM3D here.
    ("ConvLSTM3D", dict(filters=2, kernel_size=2, padding="same", strides=(1, 2, 1)),
     (1, 2, 3, 4, 3, 2)),
]


@pytest.mark.parametrize("case", CASES, ids=[case_id(c) for c in CASES])
def test_matches_keras(backend, case):
    name, kwargs, shape = case
    check_layer(backend, name, kwargs, shape)


def test_masked_sequences_match_keras(backend):
    mask = np.array([[True, True, False, True], [True, False, False, False]])
    check_layer(backend, "ConvLSTM1D", dict(filters=2, kernel_size=2,
                                            return_sequences=True), (2, 4, 5, 2),
                mask=mask)


def test_returned_states_match_keras(backend):
    from kerasx import layers
    from kerasx.backend import get_ops

    x = np.random.default_rng(1).standard_normal((2, 3, 4, 4, 2)).astype("float32")
    kwargs = dict(filters=2, kernel_size=3, padding="same", return_state=True)
    ref, layer = keras.layers.ConvLSTM2D(**kwargs), layers.ConvLSTM2D(**kwargs)
    ref(x)
    layer(x)
    layer.set_weights(ref.get_weights())
    outs, ref_outs = layer(x), ref(x)
    assert len(outs) == len(ref_outs) == 3
    for got, want in zip(outs, ref_outs):
        np.testing.assert_allclose(get_ops().to_numpy(got), np.asarray(want), rtol=1e-5,
                                   atol=1e-6)
    assert [tuple(s) for s in layer.compute_output_shape((None, 3, 4, 4, 2))] == \
        [tuple(s) for s in ref.compute_output_shape((None, 3, 4, 4, 2))]
    # The initial state is honoured.
    h0 = np.ones((2, 4, 4, 2), "float32")
    got = layer(x, initial_state=[h0, h0])
    want = ref(x, initial_state=[h0, h0])
    np.testing.assert_allclose(get_ops().to_numpy(got[0]), np.asarray(want[0]),
                               rtol=1e-5, atol=1e-6)


def test_dropout_same_seed_same_output_on_every_backend():
    import kerasx.backend as kb

    x = np.random.default_rng(2).standard_normal((2, 3, 5, 2)).astype("float32")
    weights = None
    previous, results = kb.backend(), {}
    try:
        for name in AVAILABLE_BACKENDS:
            kb.set_backend(name)
            from kerasx import layers
            from kerasx.backend import get_ops
            layer = layers.ConvLSTM1D(2, 3, dropout=0.4, recurrent_dropout=0.3, seed=5)
            layer(x)
            if weights is None:
                weights = layer.get_weights()
            layer.set_weights(weights)
            results[name] = [get_ops().to_numpy(layer(x, training=True)),
                             get_ops().to_numpy(layer(x, training=True)),
                             get_ops().to_numpy(layer(x))]
    finally:
        kb.set_backend(previous)
    first = results[AVAILABLE_BACKENDS[0]]
    assert not np.allclose(first[0], first[1])  # fresh masks per call
    assert not np.allclose(first[0], first[2])  # dropout only in training
    for name, outs in results.items():
        for got, want in zip(outs, first):
            np.testing.assert_allclose(got, want, rtol=1e-5, atol=1e-6, err_msg=name)


def test_errors(backend):
    from kerasx import layers
    with pytest.raises(ValueError, match="filters"):
        layers.ConvLSTM2D(0, 3)
    with pytest.raises(ValueError, match="kernel_size"):
        layers.ConvLSTM2D(2, (3, 3, 3))
    with pytest.raises(ValueError, match="dilation_rate"):
        layers.ConvLSTM1D(2, 3, strides=2, dilation_rate=2)
    with pytest.raises(ValueError, match="expected ndim=5, found ndim=4"):
        layers.ConvLSTM2D(2, 3)(np.zeros((2, 3, 4, 2), "float32"))


@pytest.mark.parametrize("run_eagerly", [True, False], ids=["eager", "compiled"])
def test_fit_matches_keras(backend, run_eagerly):
    """Two epochs of SGD through ConvLSTM1D, AdaptiveMaxPooling1D and
    Conv1DTranspose from the same weights end at Keras's weights."""
    import kerasx

    x = np.random.default_rng(0).standard_normal((8, 3, 7, 2)).astype("float32")
    y = np.random.default_rng(1).standard_normal((8, 3, 2)).astype("float32")

    def build(lib):
        inputs = lib.Input((3, 7, 2))
        h = lib.layers.ConvLSTM1D(4, 3, padding="same")(inputs)
        h = lib.layers.AdaptiveMaxPooling1D(3)(h)
        return lib.Model(inputs, lib.layers.Conv1DTranspose(2, 2, padding="same")(h))

    ref = build(keras)
    ref.compile(optimizer=keras.optimizers.SGD(0.1), loss="mse")
    initial = ref.get_weights()
    ref.fit(x, y, batch_size=4, epochs=2, shuffle=False, verbose=0)
    model = build(kerasx)
    model.compile(optimizer=kerasx.optimizers.SGD(0.1), loss="mse",
                  run_eagerly=run_eagerly)
    model.set_weights(initial)
    model.fit(x, y, batch_size=4, epochs=2, shuffle=False, verbose=0)
    for got, want in zip(model.get_weights(), ref.get_weights()):
        np.testing.assert_allclose(got, want, rtol=1e-5, atol=1e-6)
