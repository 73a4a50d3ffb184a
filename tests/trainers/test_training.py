"""compile / fit / evaluate / predict, checked against Keras 3 and for their
argument handling and errors."""
import numpy as np
import pytest

import kerasx
from kerasx import layers as kl


@pytest.fixture(scope="module")
def keras():
    import keras
    return keras


@pytest.fixture(scope="module")
def digits():
    from sklearn.datasets import load_digits
    data = load_digits()
    x = (data.data[:256] / 16.0).astype("float32")
    y = data.target[:256].astype("int32")
    return x, y


def _mlp(lib, dropout=False):
    L = lib.layers
    stack = [lib.Input((64,)), L.Dense(16, activation="relu")]
    if dropout:
        stack.append(L.Dropout(0.3))
    stack.append(L.Dense(10, activation="softmax"))
    return lib.Sequential(stack)


@pytest.mark.parametrize("optimizer", ["sgd", "adam"])
def test_fit_history_matches_keras(backend, keras, digits, optimizer):
    x, y = digits
    ref = _mlp(keras)
    model = _mlp(kerasx)
    model.set_weights(ref.get_weights())
    for m in (ref, model):
        m.compile(optimizer=optimizer, loss="sparse_categorical_crossentropy",
                  metrics=["accuracy"])
    want = ref.fit(x, y, batch_size=32, epochs=3, shuffle=False, verbose=0).history
    got = model.fit(x, y, batch_size=32, epochs=3, shuffle=False, verbose=0).history
    assert sorted(got) == sorted(want) == ["accuracy", "loss"]
    np.testing.assert_allclose(got["loss"], want["loss"], rtol=1e-5)
    np.testing.assert_allclose(got["accuracy"], want["accuracy"], rtol=1e-5)
    for a, b in zip(model.get_weights(), ref.get_weights()):
        np.testing.assert_allclose(a, b, rtol=1e-4, atol=1e-5)
    ev_got = model.evaluate(x, y, verbose=0)
    ev_want = ref.evaluate(x, y, verbose=0)
    np.testing.assert_allclose(ev_got, ev_want, rtol=1e-5)
    np.testing.assert_allclose(model.predict(x[:40], verbose=0),
                               ref.predict(x[:40], verbose=0), rtol=1e-4, atol=1e-6)


def test_validation_split_and_data(backend, digits):
    x, y = digits
    model = _mlp(kerasx)
    model.compile("sgd", "sparse_categorical_crossentropy", metrics=["accuracy"])
    hist = model.fit(x, y, epochs=2, validation_split=0.25, verbose=0).history
    assert sorted(hist) == ["accuracy", "loss", "val_accuracy", "val_loss"]
    assert len(hist["val_loss"]) == 2
    # validation_split takes the last quarter: the same as passing it explicitly.
    hist2 = model.fit(x[:192], y[:192], epochs=1, validation_data=(x[192:], y[192:]),
                      verbose=0).history
    expected = model.evaluate(x[192:], y[192:], verbose=0, return_dict=True)
    assert hist2["val_loss"][0] == pytest.approx(expected["loss"], rel=1e-6)


def test_sample_and_class_weight(backend, digits):
    x, y = digits
    model = _mlp(kerasx)
    model.compile("sgd", "sparse_categorical_crossentropy")
    weights = model.get_weights()
    ones = model.evaluate(x, y, sample_weight=np.ones(len(y)), verbose=0)
    plain = model.evaluate(x, y, verbose=0)
    assert ones == pytest.approx(plain, rel=1e-6)
    doubled = model.evaluate(x, y, sample_weight=np.full(len(y), 2.0), verbose=0)
    assert doubled == pytest.approx(2 * plain, rel=1e-5)
    model.fit(x, y, epochs=1, class_weight={c: 1.0 for c in range(10)}, shuffle=False,
              verbose=0)
    after_cw = model.get_weights()
    model.set_weights(weights)
    model.fit(x, y, epochs=1, shuffle=False, verbose=0)
    for a, b in zip(after_cw, model.get_weights()):
        np.testing.assert_allclose(a, b, rtol=1e-6)
    with pytest.raises(ValueError, match="not both"):
        model.fit(x, y, class_weight={0: 1.0}, sample_weight=np.ones(len(y)), verbose=0)


def test_generator_and_pydataset(backend, digits):
    x, y = digits

    def gen():
        while True:
            for i in range(0, 256, 64):
                yield x[i:i + 64], y[i:i + 64]

    class Data(kerasx.utils.PyDataset):
        def __len__(self):
            return 4

        def __getitem__(self, i):
            return x[i * 64:(i + 1) * 64], y[i * 64:(i + 1) * 64]

    model = _mlp(kerasx)
    model.compile("sgd", "sparse_categorical_crossentropy")
    start = model.get_weights()
    h1 = model.fit(gen(), steps_per_epoch=4, epochs=2, verbose=0).history
    end_gen = model.get_weights()
    model.set_weights(start)
    h2 = model.fit(Data(), epochs=2, shuffle=False, verbose=0).history
    np.testing.assert_allclose(h1["loss"], h2["loss"], rtol=1e-6)
    for a, b in zip(end_gen, model.get_weights()):
        np.testing.assert_allclose(a, b, rtol=1e-6)


def test_initial_epoch_steps_and_callbacks(backend, digits):
    x, y = digits
    seen = []

    class Recorder(kerasx.callbacks.Callback):
        def on_epoch_begin(self, epoch, logs=None):
            seen.append(("epoch", epoch))

        def on_train_batch_end(self, batch, logs=None):
            seen.append(("batch", batch, sorted(logs)))

        def on_train_end(self, logs=None):
            seen.append(("end", sorted(logs)))

    model = _mlp(kerasx)
    model.compile("sgd", "sparse_categorical_crossentropy", metrics=["accuracy"])
    history = model.fit(x, y, batch_size=64, epochs=3, initial_epoch=1, steps_per_epoch=2,
                        callbacks=[Recorder()], verbose=0)
    assert history.epoch == [1, 2]
    assert [s for s in seen if s[0] == "epoch"] == [("epoch", 1), ("epoch", 2)]
    assert [s[1] for s in seen if s[0] == "batch"] == [0, 1, 0, 1]
    assert seen[-1] == ("end", ["accuracy", "loss"])


def test_dropout_training_is_reproducible_from_a_seed(backend, digits):
    x, y = digits
    results = []
    for _ in range(2):
        kerasx.utils.set_random_seed(7)
        model = _mlp(kerasx, dropout=True)
        model.compile("sgd", "sparse_categorical_crossentropy")
        model.fit(x, y, epochs=1, verbose=0)
        results.append(model.get_weights())
    for a, b in zip(*results):
        np.testing.assert_array_equal(a, b)


def test_on_batch_methods(backend, digits):
    x, y = digits
    model = _mlp(kerasx)
    model.compile("sgd", "sparse_categorical_crossentropy", metrics=["accuracy"])
    loss, acc = model.test_on_batch(x[:32], y[:32])
    logs = model.train_on_batch(x[:32], y[:32], return_dict=True)
    assert sorted(logs) == ["accuracy", "loss"]
    assert logs["loss"] == pytest.approx(loss, rel=1e-5)
    out = model.predict_on_batch(x[:5])
    assert out.shape == (5, 10)
    np.testing.assert_allclose(out.sum(axis=1), np.ones(5), rtol=1e-5)


def test_multi_output_losses_and_metrics(backend, keras):
    def build(lib):
        inp = lib.Input((4,))
        h = lib.layers.Dense(6, activation="relu")(inp)
        a = lib.layers.Dense(3, activation="softmax", name="cls")(h)
        b = lib.layers.Dense(1, name="reg")(h)
        return lib.Model(inp, [a, b])

    ref, model = build(keras), build(kerasx)
    model.set_weights(ref.get_weights())
    rng = np.random.default_rng(3)
    x = rng.standard_normal((40, 4)).astype("float32")
    y = {"cls": rng.integers(0, 3, 40), "reg": rng.standard_normal((40, 1)).astype("float32")}
    for m in (ref, model):
        m.compile("sgd", loss={"cls": "sparse_categorical_crossentropy", "reg": "mse"},
                  loss_weights={"cls": 1.0, "reg": 0.5}, metrics={"cls": ["accuracy"]})
    want = ref.fit(x, y, batch_size=10, epochs=2, shuffle=False, verbose=0).history
    got = model.fit(x, y, batch_size=10, epochs=2, shuffle=False, verbose=0).history
    assert sorted(got) == sorted(want)
    for key in want:
        np.testing.assert_allclose(got[key], want[key], rtol=1e-5, err_msg=key)


def test_regularizer_loss_is_added(backend):
    model = kerasx.Sequential([kl.Input((3,)), kl.Dense(2, kernel_initializer="ones",
                                                        kernel_regularizer="l2")])
    model.compile("sgd", "mse")
    x, y = np.zeros((4, 3), "float32"), np.zeros((4, 2), "float32")
    # Zero inputs and targets: the loss is the penalty, 0.01 * sum(ones(3, 2) ** 2).
    assert model.evaluate(x, y, verbose=0) == pytest.approx(0.06, rel=1e-6)


def test_wrong_input_shape_fails_before_training(backend, digits):
    x, y = digits
    model = _mlp(kerasx)
    model.compile("sgd", "sparse_categorical_crossentropy")
    before = model.get_weights()
    with pytest.raises(ValueError, match=r"expects data of shape \(None, 64\), but received "
                                         r"data of shape \(32, 8, 8\)"):
        model.fit(x.reshape(-1, 8, 8), y, verbose=0)
    for a, b in zip(before, model.get_weights()):
        np.testing.assert_array_equal(a, b)


def test_labels_that_do_not_fit_the_loss(backend, digits):
    x, y = digits
    model = _mlp(kerasx)
    model.compile("sgd", "categorical_crossentropy")
    with pytest.raises(ValueError, match=r"one-hot targets of shape \(32, 10\).*received "
                                         r"targets of shape \(32,\)"):
        model.fit(x, y, verbose=0)
    model.compile("sgd", "sparse_categorical_crossentropy")
    with pytest.raises(ValueError, match=r"values in \[0, 10\)"):
        model.fit(x, y + 5, verbose=0)
    with pytest.raises(ValueError, match="Data cardinality is ambiguous"):
        model.fit(x, y[:100], verbose=0)


def test_fit_before_compile_is_an_error(backend):
    with pytest.raises(RuntimeError, match=r"must call `compile\(\)` before calling `fit"):
        _mlp(kerasx).fit(np.zeros((2, 64)), np.zeros(2), verbose=0)


def test_progress_bar_output(backend, digits, capsys):
    x, y = digits
    model = _mlp(kerasx)
    model.compile("sgd", "sparse_categorical_crossentropy", metrics=["accuracy"])
    model.fit(x, y, batch_size=64, epochs=2, verbose=1)
    out = capsys.readouterr().out
    assert "Epoch 1/2" in out and "Epoch 2/2" in out
    assert "4/4" in out and "loss:" in out and "accuracy:" in out
