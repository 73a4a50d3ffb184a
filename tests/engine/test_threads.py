"""Two threads using kerasx at once give exactly the single-thread results, on
every backend: predict while another model trains, predict on one model from
several threads, fit on two models in two threads.

Before the run-time state moved to kerasx/backend/state.py (one per thread),
the layer call flag and depth were process-wide: a model whose inner layers
inherit `training` (the usual subclassed model) predicted with Dropout and
BatchNormalization in training mode while another model trained (torch,
eager: wrong rows from about the 20th predict on, then every row), MXNet's
predict failed with a TraceError from the other thread's trace, and two
concurrent fits ended with weights up to 0.26 away from their solo fits
(dry runs rewinding the other model's dropout generator).
"""
import threading

import numpy as np
import pytest

import kerasx as keras

FEATURES, UNITS = 16, 4


class Net(keras.Model):
    """Inner layers called without `training`: they inherit the flag of the
    outer call, as in Keras."""

    def __init__(self):
        super().__init__()
        self.hidden = keras.layers.Dense(32, activation="relu")
        self.norm = keras.layers.BatchNormalization()
        self.drop = keras.layers.Dropout(0.5)
        self.out = keras.layers.Dense(UNITS)

    def call(self, x):
        return self.out(self.drop(self.norm(self.hidden(x))))


def _model(seed, run_eagerly):
    keras.utils.set_random_seed(seed)
    model = Net()
    model(np.zeros((2, FEATURES), "float32"))
    model.compile(optimizer="adam", loss="mse", run_eagerly=run_eagerly)
    return model


def _data(n=240, seed=0):
    rng = np.random.default_rng(seed)
    return (rng.random((n, FEATURES), dtype=np.float32),
            rng.random((n, UNITS), dtype=np.float32))


def _run_threads(targets):
    """Run the functions at once, one thread each; re-raise the first error."""
    errors = []

    def guarded(fn):
        def run():
            try:
                fn()
            except BaseException as exc:  # noqa: BLE001 - reported below
                errors.append(exc)
        return run

    threads = [threading.Thread(target=guarded(fn)) for fn in targets]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=600)
    assert not any(t.is_alive() for t in threads), "a thread did not finish"
    if errors:
        raise errors[0]


def _wrong_rows(got, want):
    return int(np.sum(np.any(np.asarray(got) != np.asarray(want), axis=1)))


@pytest.mark.parametrize("run_eagerly", [True, False], ids=["eager", "compiled"])
def test_predict_while_another_model_trains(backend, run_eagerly):
    x, y = _data()
    want = _model(1, run_eagerly).predict(x, batch_size=40, verbose=0)
    a, b = _model(1, run_eagerly), _model(2, run_eagerly)  # a: fresh twin, first trace below
    training, stop = threading.Event(), threading.Event()

    class Started(keras.callbacks.Callback):
        def on_train_batch_begin(self, batch, logs=None):
            training.set()

    def train():
        while not stop.is_set():
            b.fit(x, y, batch_size=20, epochs=1, verbose=0, callbacks=[Started()])

    wrong = []

    def predict():
        try:
            assert training.wait(300), "the training thread did not start"
            for _ in range(80):
                wrong.append(_wrong_rows(a.predict(x, batch_size=40, verbose=0), want))
        finally:
            stop.set()

    _run_threads([train, predict])
    assert len(wrong) == 80
    assert sum(wrong) == 0, f"wrong rows per predict: {wrong}"
    assert np.all(np.isfinite(b.get_weights()[0]))


def test_predict_on_one_model_from_several_threads(backend):
    x, _ = _data()
    # Different batch sizes: several signatures compiled at once as well.
    # (MXNet's results depend on the batch size in the last ulp.)
    twin = _model(1, False)
    want = {size: twin.predict(x, batch_size=size, verbose=0) for size in (40, 48, 60)}
    model = _model(1, False)  # fresh: its predict step is compiled under contention
    wrong = []

    def predict(batch_size):
        def run():
            for _ in range(6):
                wrong.append(_wrong_rows(model.predict(x, batch_size=batch_size, verbose=0),
                                         want[batch_size]))
        return run

    _run_threads([predict(40), predict(40), predict(48), predict(60)])
    assert len(wrong) == 24
    assert sum(wrong) == 0, f"wrong rows per predict: {wrong}"


@pytest.mark.parametrize("run_eagerly", [True, False], ids=["eager", "compiled"])
def test_fit_in_two_threads_matches_each_fit_alone(backend, run_eagerly):
    x, y = _data()

    def fit(model):
        # shuffle=False: shuffling draws from the process-wide generator, which
        # two threads would share; Dropout draws from its layer's own.
        model.fit(x, y, batch_size=32, epochs=3, verbose=0, shuffle=False)

    alone = []
    for seed in (1, 2):
        model = _model(seed, run_eagerly)
        fit(model)
        alone.append(model.get_weights())
    models = [_model(1, run_eagerly), _model(2, run_eagerly)]
    _run_threads([lambda m=m: fit(m) for m in models])
    for model, want in zip(models, alone):
        got = model.get_weights()
        assert len(got) == len(want)
        for g, w in zip(got, want):
            np.testing.assert_array_equal(g, w)


def test_gluon_loop_in_a_new_thread_trains_as_in_the_main_thread():
    """MXNet keeps its NumPy-array semantics per thread; the plugin turns them
    on in every thread, or a gluon.Trainer there refuses the weights."""
    from kerasx.backend import registry
    from tests.interop_helpers import dense_data, dense_model, selected_backend

    if not registry.discover()["mxnet"].is_available():
        pytest.skip("mxnet is not installed")
    with selected_backend("mxnet"):
        import mxnet as mx
        from mxnet import autograd, gluon

        def train():
            weights, x, y = dense_data()
            model = dense_model(keras, weights)
            trainer = gluon.Trainer(model.collect_params(), "adam", {"learning_rate": 0.01})
            xs, ys = mx.np.array(x), mx.np.array(y)
            for _ in range(3):
                with autograd.record():
                    loss = ((model(xs) - ys) ** 2).mean()
                loss.backward()
                trainer.step(1)
            return model.get_weights()

        here, there = train(), []
        _run_threads([lambda: there.append(train())])
        for a, b in zip(here, there[0]):
            np.testing.assert_array_equal(a, b)
