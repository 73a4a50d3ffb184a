"""Every input kind fit/evaluate/predict accept, on every backend: the same
model trained on the same data given as arrays, backend tensors, tf.data,
a torch DataLoader, a torch Dataset, a PyDataset (threads and processes) and
a generator ends with the same weights, equal to Keras 3's."""
import os
import threading
import time
import warnings

import numpy as np
import pytest

import kerasx
from kerasx.trainers import data_adapters

tf = pytest.importorskip("tensorflow")
torch = pytest.importorskip("torch")

N, BATCH = 50, 8  # 7 batches, the last one partial (2 samples)


@pytest.fixture(scope="module")
def data():
    rng = np.random.default_rng(0)
    x = rng.normal(size=(N, 5)).astype("float32")
    y = rng.integers(0, 3, size=N).astype("int64")
    return x, y


def _model(lib, seed=0):
    if hasattr(lib.utils, "set_random_seed"):
        lib.utils.set_random_seed(seed)
    model = lib.Sequential([lib.Input((5,), name="features"),
                            lib.layers.Dense(4, activation="tanh"),
                            lib.layers.Dense(3, activation="softmax")])
    model.compile(lib.optimizers.SGD(0.1), "sparse_categorical_crossentropy",
                  metrics=["accuracy"])
    return model


class Batches(kerasx.utils.PyDataset):
    def __init__(self, x, y, delay=0.0, **kwargs):
        super().__init__(**kwargs)
        self.x, self.y, self.delay = x, y, delay
        self.fetched_by = set()

    def __len__(self):
        return -(-len(self.x) // BATCH)

    def __getitem__(self, i):
        if self.delay:
            time.sleep(self.delay)
        self.fetched_by.add((os.getpid(), threading.get_ident()))
        return self.x[i * BATCH:(i + 1) * BATCH], self.y[i * BATCH:(i + 1) * BATCH]


def _inputs(x, y):
    """name -> a callable giving fit's keyword arguments for that input kind."""
    tds = torch.utils.data.TensorDataset(torch.from_numpy(x), torch.from_numpy(y))

    def gen():
        for i in range(0, N, BATCH):
            yield x[i:i + BATCH], y[i:i + BATCH]

    return {
        "arrays": lambda: dict(x=x, y=y, batch_size=BATCH, shuffle=False),
        "backend tensors": lambda: dict(
            x=kerasx.backend.get_ops().convert_to_tensor(x),
            y=kerasx.backend.get_ops().convert_to_tensor(y), batch_size=BATCH,
            shuffle=False),
        "torch tensors": lambda: dict(x=torch.from_numpy(x), y=torch.from_numpy(y),
                                      batch_size=BATCH, shuffle=False),
        "tf.data": lambda: dict(x=tf.data.Dataset.from_tensor_slices((x, y)).batch(BATCH)),
        "tf.data repeat": lambda: dict(
            x=tf.data.Dataset.from_tensor_slices((x, y)).batch(BATCH).repeat(),
            steps_per_epoch=7),
        "DataLoader": lambda: dict(x=torch.utils.data.DataLoader(tds, batch_size=BATCH)),
        "torch Dataset": lambda: dict(x=tds, batch_size=BATCH, shuffle=False),
        "PyDataset": lambda: dict(x=Batches(x, y), shuffle=False),
        "PyDataset threads": lambda: dict(x=Batches(x, y, workers=3), shuffle=False),
        "PyDataset processes": lambda: dict(x=Batches(x, y, workers=2,
                                                      use_multiprocessing=True),
                                            shuffle=False),
        "generator": lambda: dict(x=gen()),
    }


def test_every_input_kind_trains_to_the_same_weights(backend, data):
    x, y = data
    results = {}
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", UserWarning)  # shuffle ignored for pipelines
        for name, kwargs in _inputs(x, y).items():
            model = _model(kerasx)
            epochs = 1 if name == "generator" else 2
            history = model.fit(epochs=epochs, verbose=0, **kwargs()).history
            results[name] = (history["loss"][-1] if epochs == 1 else history["loss"][0],
                             model.get_weights())
    ref_loss, ref_weights = results["arrays"]
    for name, (loss, weights) in results.items():
        if name == "generator":
            continue  # one epoch only: compared below
        assert loss == pytest.approx(ref_loss, rel=1e-6), name
        for a, b in zip(weights, ref_weights):
            np.testing.assert_allclose(a, b, rtol=1e-6, atol=1e-7, err_msg=name)
    one_epoch = _model(kerasx)
    one_epoch.fit(x, y, batch_size=BATCH, shuffle=False, verbose=0)
    for a, b in zip(results["generator"][1], one_epoch.get_weights()):
        np.testing.assert_allclose(a, b, rtol=1e-6, atol=1e-7)


def test_same_weights_as_keras_with_a_partial_last_batch(backend, data):
    import keras

    x, y = data
    model, reference = _model(kerasx), _model(keras)
    reference.set_weights(model.get_weights())
    ds = tf.data.Dataset.from_tensor_slices((x, y)).batch(BATCH)
    h = model.fit(ds, epochs=2, verbose=0).history
    h_ref = reference.fit(ds, epochs=2, verbose=0).history
    assert list(h) == list(h_ref)
    np.testing.assert_allclose(h["loss"], h_ref["loss"], rtol=1e-5)
    for a, b in zip(model.get_weights(), reference.get_weights()):
        np.testing.assert_allclose(a, b, rtol=1e-5, atol=1e-6)
    np.testing.assert_allclose(model.predict(ds, verbose=0), reference.predict(ds, verbose=0),
                               rtol=1e-5, atol=1e-6)


def test_evaluate_predict_and_validation_data_from_pipelines(backend, data):
    x, y = data
    model = _model(kerasx)
    expected = model.evaluate(x, y, batch_size=BATCH, verbose=0, return_dict=True)
    ds = tf.data.Dataset.from_tensor_slices((x, y)).batch(BATCH)
    loader = torch.utils.data.DataLoader(
        torch.utils.data.TensorDataset(torch.from_numpy(x), torch.from_numpy(y)),
        batch_size=BATCH)
    for source in (ds, loader, Batches(x, y, workers=2)):
        got = model.evaluate(source, verbose=0, return_dict=True)
        assert got == pytest.approx(expected, rel=1e-6)
    predicted = model.predict(x, batch_size=BATCH, verbose=0)
    for source in (tf.data.Dataset.from_tensor_slices(x).batch(BATCH),
                   torch.utils.data.DataLoader(torch.from_numpy(x), batch_size=BATCH)):
        np.testing.assert_allclose(model.predict(source, verbose=0), predicted, rtol=1e-6)
    start = model.get_weights()
    history = model.fit(x, y, batch_size=BATCH, epochs=1, verbose=0, shuffle=False,
                        validation_data=loader).history
    val_expected = model.evaluate(x, y, batch_size=BATCH, verbose=0, return_dict=True)
    assert history["val_loss"][0] == pytest.approx(val_expected["loss"], rel=1e-6)
    model.set_weights(start)
    history = model.fit(x, y, batch_size=BATCH, epochs=1, verbose=0, shuffle=False,
                        validation_data=ds, validation_steps=3).history
    first3 = model.evaluate(x[:3 * BATCH], y[:3 * BATCH], batch_size=BATCH, verbose=0)
    assert history["val_loss"][0] == pytest.approx(first3[0], rel=1e-6)


def test_dict_inputs_and_sample_weights_from_tf_data(backend, data):
    x, y = data
    w = np.linspace(0.5, 2.0, N).astype("float32")
    model = _model(kerasx)
    start = model.get_weights()
    model.fit(x, y, sample_weight=w, batch_size=BATCH, shuffle=False, verbose=0)
    expected = model.get_weights()
    model.set_weights(start)
    ds = tf.data.Dataset.from_tensor_slices(({"features": x}, y, w)).batch(BATCH)
    model.fit(ds, verbose=0)
    for a, b in zip(model.get_weights(), expected):
        np.testing.assert_allclose(a, b, rtol=1e-6, atol=1e-7)


def test_class_weight_with_arrays_and_pipelines(backend, data):
    x, y = data
    class_weight = {0: 0.5, 1: 2.0}  # class 2 missing: weight 1, as Keras
    sw = np.array([class_weight.get(int(c), 1.0) for c in y], "float32")
    model = _model(kerasx)
    start = model.get_weights()
    model.fit(x, y, sample_weight=sw, batch_size=BATCH, shuffle=False, verbose=0)
    expected = model.get_weights()
    for kwargs in (dict(x=x, y=y, batch_size=BATCH, shuffle=False),
                   dict(x=tf.data.Dataset.from_tensor_slices((x, y)).batch(BATCH)),
                   dict(x=Batches(x, y), shuffle=False)):
        model.set_weights(start)
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", UserWarning)
            model.fit(class_weight=class_weight, verbose=0, **kwargs)
        for a, b in zip(model.get_weights(), expected):
            np.testing.assert_allclose(a, b, rtol=1e-6, atol=1e-7)


def test_steps_per_epoch_continues_across_epochs_as_keras(backend, data):
    """A finite dataset with steps_per_epoch: the next epoch continues where
    the previous stopped; the epoch that hits the end is cut short (Keras 3:
    7-batch dataset, 3 steps -> 3, 3, 1, 3)."""
    import keras

    x, y = data
    ds = tf.data.Dataset.from_tensor_slices((x, y)).batch(BATCH)
    counts = {}
    for lib in (kerasx, keras):
        seen = []

        class Count(lib.callbacks.Callback):
            def on_epoch_begin(self, epoch, logs=None):
                seen.append(0)

            def on_train_batch_end(self, batch, logs=None):
                seen[-1] += 1

        with warnings.catch_warnings():
            warnings.simplefilter("ignore", UserWarning)
            _model(lib).fit(ds, steps_per_epoch=3, epochs=4, verbose=0, callbacks=[Count()])
        counts[lib.__name__] = seen
    assert counts["kerasx"] == counts["keras"] == [3, 3, 1, 3]


def test_generator_runs_out(backend, data):
    x, y = data

    def gen(n):
        for i in range(n):
            yield x[:BATCH], y[:BATCH]

    model = _model(kerasx)
    with pytest.warns(UserWarning, match="ran out of data"):
        history = model.fit(gen(5), steps_per_epoch=2, epochs=4, verbose=0)
    assert history.epoch == [0, 1, 2]  # 2 + 2 + 1 batches, then training stops
    iterator = iter([(x[:BATCH], y[:BATCH])] * 3)  # any iterator, not only generators
    assert model.fit(iterator, epochs=2, verbose=0).epoch == [0]


def test_py_dataset_workers_fetch_in_parallel_and_in_order(backend, data):
    x, y = data
    serial = Batches(x, y, delay=0.05)
    start = time.perf_counter()
    out_serial = _model(kerasx).predict(serial, verbose=0)
    serial_time = time.perf_counter() - start
    threaded = Batches(x, y, delay=0.05, workers=4)
    start = time.perf_counter()
    out_threads = _model(kerasx).predict(threaded, verbose=0)
    threaded_time = time.perf_counter() - start
    np.testing.assert_array_equal(out_threads, out_serial)
    assert len({tid for _, tid in threaded.fetched_by}) > 1
    assert threaded_time < serial_time * 0.8, (threaded_time, serial_time)

    class Pids(kerasx.utils.PyDataset):
        def __init__(self, **kwargs):
            super().__init__(**kwargs)

        def __len__(self):
            return 4

        def __getitem__(self, i):
            # The batch carries the pid of the process that made it.
            return np.full((2, 5), i, "float32"), np.full((2,), os.getpid(), "int64")

    batches = list(data_adapters.get_data_adapter(
        Pids(workers=2, use_multiprocessing=True)).batches())
    assert [int(b[0][0, 0]) for b in batches] == [0, 1, 2, 3]
    assert os.getpid() not in {int(b[1][0]) for b in batches}


def test_unsupported_inputs_name_the_type_and_the_accepted_ones(backend):
    model = _model(kerasx)
    for bad in ("abc", {1, 2}, object()):
        with pytest.raises(ValueError, match=r"Unrecognized data type.*" +
                           type(bad).__name__ + r".*Accepted: .*tf\.data\.Dataset"):
            model.fit(bad, np.zeros(3), verbose=0)
    with pytest.raises(ValueError, match="should not be passed"):
        model.fit(tf.data.Dataset.from_tensor_slices((np.zeros((4, 5)), np.zeros(4))),
                  np.zeros(4), verbose=0)
    with pytest.raises(ValueError, match="infinite.*steps_per_epoch"):
        model.fit(tf.data.Dataset.from_tensor_slices(
            (np.zeros((4, 5), "float32"), np.zeros(4))).batch(2).repeat(), verbose=0)

    class Endless(kerasx.utils.PyDataset):
        def __init__(self):
            super().__init__()

        @property
        def num_batches(self):
            return None

        def __getitem__(self, i):
            return np.full((2, 5), i, "float32"), np.zeros(2, "int64")

    with pytest.raises(ValueError, match="infinite.*validation_steps"):
        model.fit(Endless(), steps_per_epoch=2, validation_data=Endless(), verbose=0)
    # With steps, an infinite PyDataset is read on from epoch to epoch.
    batches = data_adapters.get_data_adapter(Endless(), steps=3)
    assert [int(b[0][0, 0]) for _ in range(2) for b in batches.batches()] == \
        [0, 1, 2, 3, 4, 5]


def test_no_framework_imported_by_the_adapters(python):
    """Reading arrays and generators imports neither TensorFlow nor torch."""
    result = python(
        "import sys, numpy as np\n"
        "from kerasx.trainers import data_adapters\n"
        "a = data_adapters.get_data_adapter(np.zeros((4, 2)), np.zeros(4), batch_size=2)\n"
        "assert len(list(a.batches())) == 2\n"
        "print(sorted(m for m in ('tensorflow', 'torch') if m in sys.modules))\n",
        env={"KERASX_BACKEND": "mxnet"})
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip().splitlines()[-1] == "[]"
