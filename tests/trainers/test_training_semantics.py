"""Keras 3 semantics of the training loops, compared with Keras 3 itself:
what train_on_batch / test_on_batch return, the names and order of logs,
what callbacks receive in every hook, and the errors for bad input."""
import warnings

import numpy as np
import pytest

import kerasx

keras = pytest.importorskip("keras")


@pytest.fixture(scope="module")
def data():
    rng = np.random.default_rng(1)
    x = rng.normal(size=(40, 6)).astype("float32")
    y = rng.integers(0, 3, size=40).astype("int64")
    return x, y


def _model(lib, seed=0):
    if hasattr(lib.utils, "set_random_seed"):
        lib.utils.set_random_seed(seed)
    model = lib.Sequential([lib.Input((6,)), lib.layers.Dense(8, activation="relu"),
                            lib.layers.Dense(3, activation="softmax")])
    model.compile(lib.optimizers.SGD(0.1), "sparse_categorical_crossentropy",
                  metrics=["accuracy", "sparse_top_k_categorical_accuracy"])
    return model


def _pair():
    model, reference = _model(kerasx), _model(keras)
    reference.set_weights(model.get_weights())
    return model, reference


def _two_outputs(lib):
    if hasattr(lib.utils, "set_random_seed"):
        lib.utils.set_random_seed(0)
    inputs = lib.Input((6,))
    hidden = lib.layers.Dense(8, activation="tanh")(inputs)
    out_a = lib.layers.Dense(1, name="a")(hidden)
    out_b = lib.layers.Dense(3, activation="softmax", name="b")(hidden)
    model = lib.Model(inputs, [out_a, out_b])
    model.compile("sgd", loss={"a": "mse", "b": "sparse_categorical_crossentropy"},
                  metrics={"a": ["mae"], "b": ["accuracy"]})
    return model


def test_train_and_test_on_batch_return_that_batch_values(backend, data):
    x, y = data
    model, reference = _pair()
    for i in range(0, 40, 10):
        got = model.train_on_batch(x[i:i + 10], y[i:i + 10], return_dict=True)
        want = reference.train_on_batch(x[i:i + 10], y[i:i + 10], return_dict=True)
        assert list(got) == list(want)
        assert got == pytest.approx(want, rel=1e-5, abs=1e-6)
        got_list = model.test_on_batch(x[i:i + 5], y[i:i + 5])
        want_list = reference.test_on_batch(x[i:i + 5], y[i:i + 5])
        np.testing.assert_allclose(got_list, want_list, rtol=1e-5, atol=1e-6)
    for a, b in zip(model.get_weights(), reference.get_weights()):
        np.testing.assert_allclose(a, b, rtol=1e-5, atol=1e-6)
    # That batch's value, not a running mean over the calls.
    single = model.test_on_batch(x[:5], y[:5], return_dict=True)["loss"]
    assert model.evaluate(x[:5], y[:5], verbose=0)[0] == pytest.approx(single, rel=1e-6)


def test_history_and_evaluate_keys_in_keras_order(backend, data):
    x, y = data
    model, reference = _pair()
    h = model.fit(x, y, epochs=1, batch_size=10, validation_split=0.25, shuffle=False,
                  verbose=0).history
    h_ref = reference.fit(x, y, epochs=1, batch_size=10, validation_split=0.25,
                          shuffle=False, verbose=0).history
    assert list(h) == list(h_ref)
    got = model.evaluate(x, y, verbose=0, return_dict=True)
    want = reference.evaluate(x, y, verbose=0, return_dict=True)
    assert list(got) == list(want)
    np.testing.assert_allclose(model.evaluate(x, y, verbose=0),
                               reference.evaluate(x, y, verbose=0), rtol=1e-5)

    y_a = x[:, :1] * 0.5
    multi, multi_ref = _two_outputs(kerasx), _two_outputs(keras)
    multi_ref.set_weights(multi.get_weights())
    h = multi.fit(x, [y_a, y], epochs=1, batch_size=10, verbose=0, shuffle=False,
                  validation_data=(x, [y_a, y])).history
    h_ref = multi_ref.fit(x, [y_a, y], epochs=1, batch_size=10, verbose=0, shuffle=False,
                          validation_data=(x, [y_a, y])).history
    assert list(h) == list(h_ref)
    # One batch: with several, Keras 3.15 averages the per-output losses
    # over batches without weighting them by size (a_loss 1.937 for 1.866).
    got = multi.evaluate(x, [y_a, y], batch_size=40, verbose=0, return_dict=True)
    want = multi_ref.evaluate(x, [y_a, y], batch_size=40, verbose=0, return_dict=True)
    assert list(got) == list(want)
    assert got == pytest.approx(want, rel=1e-5)
    np.testing.assert_allclose(multi.evaluate(x, [y_a, y], batch_size=40, verbose=0),
                               multi_ref.evaluate(x, [y_a, y], batch_size=40, verbose=0),
                               rtol=1e-5)
    a_pred = multi.predict(x, verbose=0)[0]
    got = multi.evaluate(x, [y_a, y], batch_size=32, verbose=0, return_dict=True)
    assert got["a_loss"] == pytest.approx(float(np.mean((a_pred - y_a) ** 2)), rel=1e-5)


def _recorder(lib):
    hooks = ["on_train_begin", "on_train_end", "on_epoch_begin", "on_epoch_end",
             "on_train_batch_begin", "on_train_batch_end", "on_test_begin", "on_test_end",
             "on_test_batch_begin", "on_test_batch_end", "on_predict_begin",
             "on_predict_end", "on_predict_batch_begin", "on_predict_batch_end"]

    class Recorder(lib.callbacks.Callback):
        def __init__(self):
            super().__init__()
            self.seen = []

    def make(hook):
        indexed = "batch" in hook or "epoch" in hook

        def method(self, *args, logs=None):
            if indexed and len(args) == 2:
                logs = args[1]
            elif not indexed and args:
                logs = args[0]
            self.seen.append((hook, None if logs is None else
                              (type(logs).__name__, list(logs))))
        return method

    for hook in hooks:
        setattr(Recorder, hook, make(hook))
    return Recorder()


def test_callbacks_receive_what_keras_passes(backend, data):
    x, y = data
    model, reference = _pair()
    for action in (
            lambda m, cb: m.fit(x, y, batch_size=20, epochs=2, validation_data=(x, y),
                                callbacks=[cb], shuffle=False, verbose=0),
            lambda m, cb: m.evaluate(x, y, batch_size=20, callbacks=[cb], verbose=0),
            lambda m, cb: m.predict(x, batch_size=20, callbacks=[cb], verbose=0)):
        got, want = _recorder(kerasx), _recorder(keras)
        action(model, got)
        action(reference, want)
        assert got.seen == want.seen


@pytest.mark.parametrize("call", [
    lambda m, x, y: m.fit(x, y, batch_size=-4, verbose=0),
    lambda m, x, y: m.evaluate(x, y, batch_size=-4, verbose=0),
    lambda m, x, y: m.predict(x, batch_size=-4, verbose=0),
    lambda m, x, y: m.fit(x, y, validation_split=1.0, verbose=0),
    lambda m, x, y: m.fit(x.tolist(), y, verbose=0),
    lambda m, x, y: m.predict(x.tolist(), verbose=0),
    lambda m, x, y: m.fit("not data", y, verbose=0),
], ids=["fit-negative-batch", "evaluate-negative-batch", "predict-negative-batch",
        "validation-split-1", "fit-nested-lists", "predict-nested-lists", "string"])
def test_bad_input_raises_as_keras(backend, data, call):
    x, y = data
    model, reference = _pair()
    with pytest.raises(ValueError):
        call(reference, x, y)
    start = model.get_weights()
    with pytest.raises(ValueError):
        call(model, x, y)
    for a, b in zip(model.get_weights(), start):
        np.testing.assert_array_equal(a, b)  # nothing was trained


def test_bad_input_that_keras_accepts_silently_is_an_error(backend, data):
    """Keras 3 reports loss 0 / trains on nothing for these; kerasx says why."""
    x, y = data
    model = _model(kerasx)
    with pytest.raises(ValueError, match="0 samples"):
        model.fit(x[:0], y[:0], verbose=0)
    with pytest.raises(ValueError, match="0 samples"):
        model.evaluate(x[:0], y[:0], verbose=0)
    with pytest.raises(ValueError, match="0 samples"):
        model.predict(x[:0], verbose=0)
    with pytest.raises(ValueError, match="0 samples"):
        model.train_on_batch(x[:0], y[:0])
    for split in (-0.1, 1.5, "0.2"):
        with pytest.raises(ValueError, match=r"validation_split.*\[0, 1\)"):
            model.fit(x, y, validation_split=split, verbose=0)
    for steps in (0, -1, 2.5):
        with pytest.raises(ValueError, match="steps_per_epoch.*positive integer"):
            model.fit(x, y, steps_per_epoch=steps, verbose=0)
        with pytest.raises(ValueError, match="validation_steps.*positive integer"):
            model.fit(x, y, validation_data=(x, y), validation_steps=steps, verbose=0)
    with pytest.raises(ValueError, match="batch_size.*positive integer"):
        model.fit(x, y, batch_size=0, verbose=0)
    with pytest.raises(ValueError, match="Nested Python lists"):
        model.fit(x.tolist(), y, verbose=0)

    def empty_batches():
        yield x[:0], y[:0]

    with pytest.raises(ValueError, match="0 samples"):
        model.fit(empty_batches(), verbose=0)


def test_an_empty_call_does_not_poison_later_fits(backend, data):
    """MXNet's reduce and MKL-DNN kernels used to fail asynchronously on empty
    arrays; the error surfaced in the next, valid, fit of another model."""
    x, y = data
    model = _model(kerasx)
    assert tuple(np.shape(kerasx.backend.get_ops().to_numpy(model(x[:0])))) == (0, 3)
    fresh, reference = _pair()
    h = fresh.fit(x, y, batch_size=10, shuffle=False, verbose=0).history
    h_ref = reference.fit(x, y, batch_size=10, shuffle=False, verbose=0).history
    assert h["loss"] == pytest.approx(h_ref["loss"], rel=1e-5)


@pytest.mark.parametrize("run_eagerly", [False, True])
@pytest.mark.parametrize("activation", ["relu", "tanh", "linear"])
def test_nan_input_gives_nan_loss(backend, data, activation, run_eagerly):
    """relu included: MXNet's MKL-DNN relu and the fused oneDNN kernels of
    TensorFlow's compiled graphs map NaN to 0 (Keras 3 on TensorFlow then
    reports a finite loss); the train step reports NaN whenever a gradient is
    NaN, so the loss never hides NaN weights."""
    x, y = data
    x = x.copy()
    x[3, 2] = np.nan
    model = kerasx.Sequential([kerasx.Input((6,)),
                               kerasx.layers.Dense(8, activation=activation),
                               kerasx.layers.Dense(3, activation="softmax")])
    model.compile("sgd", "sparse_categorical_crossentropy", run_eagerly=run_eagerly)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)
        loss = model.fit(x, y, batch_size=40, verbose=0).history["loss"][0]
    assert np.isnan(loss)
    assert np.isnan(model.get_weights()[0]).any()


@pytest.mark.parametrize("run_eagerly", [False, True])
def test_nan_input_to_a_relu_convnet_gives_nan_loss(backend, run_eagerly):
    """The convolution + relu path (MKL-DNN on MXNet, fused on TensorFlow)."""
    rng = np.random.default_rng(0)
    x = rng.random((8, 6, 6, 1)).astype("float32")
    x[0, 0, 0, 0] = np.nan
    y = np.arange(8) % 2
    model = kerasx.Sequential([kerasx.Input((6, 6, 1)),
                               kerasx.layers.Conv2D(2, 3, activation="relu"),
                               kerasx.layers.Flatten(),
                               kerasx.layers.Dense(2, activation="softmax")])
    model.compile("sgd", "sparse_categorical_crossentropy", run_eagerly=run_eagerly)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)
        history = model.fit(x, y, batch_size=8, epochs=2, verbose=0).history
    assert np.isnan(history["loss"]).all()


@pytest.mark.parametrize("dtype", ["float32", "float64"])
def test_the_nan_check_changes_only_a_loss_with_nan_gradients(backend, dtype):
    from kerasx.trainers.nan_guard import nan_if_gradients_nan
    ops = kerasx.backend.get_ops()
    loss = ops.convert_to_tensor(np.array(0.123456789, dtype))
    finite = [ops.convert_to_tensor(np.full((3, 4), 2.5, dtype)),
              ops.convert_to_tensor(np.array([-1e30, 1e30, 7.0], dtype))]
    with_inf = finite + [ops.convert_to_tensor(np.array([np.inf], dtype))]
    with_nan = finite + [ops.convert_to_tensor(np.array([1.0, np.nan], dtype))]
    # float16 gradients whose float16 sum overflows: cast before summing.
    large_half = [ops.convert_to_tensor(np.full((64,), 6e4, "float16")),
                  ops.convert_to_tensor(np.full((64,), -6e4, "float16"))]
    assert ops.to_numpy(nan_if_gradients_nan(loss, finite)) == ops.to_numpy(loss)
    assert ops.to_numpy(nan_if_gradients_nan(loss, with_inf)) == ops.to_numpy(loss)
    assert ops.to_numpy(nan_if_gradients_nan(loss, large_half)) == ops.to_numpy(loss)
    assert ops.to_numpy(nan_if_gradients_nan(loss, [None] + finite)) == ops.to_numpy(loss)
    assert np.isnan(ops.to_numpy(nan_if_gradients_nan(loss, with_nan)))
