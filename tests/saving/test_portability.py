"""Portability of .keras files: kerasx backend -> every other kerasx backend,
Keras 3 (TensorFlow and torch backends) -> kerasx on every backend, and
kerasx -> Keras 3 (both backends), with the same predictions (float32, 1e-6)."""
import textwrap

import numpy as np
import pytest

import kerasx as keras
import kerasx.backend as kb
from tests.conftest import AVAILABLE_BACKENDS, REPO, run_python

TOL = 1e-6


def inputs():
    return np.random.RandomState(1).rand(6, 8, 8, 1).astype("float32")


def build(lib):
    """The same architecture in kerasx or Keras 3: every layer family with
    saved state (conv, batch norm with moving statistics, dense)."""
    inp = lib.Input((8, 8, 1))
    x = lib.layers.Conv2D(4, 3, padding="same", activation="relu")(inp)
    x = lib.layers.BatchNormalization()(x)
    x = lib.layers.MaxPooling2D()(x)
    x = lib.layers.DepthwiseConv2D(3)(x)
    x = lib.layers.Flatten()(x)
    x = lib.layers.Dropout(0.3)(x)
    x = lib.layers.Dense(8, activation="tanh")(x)
    out = lib.layers.Dense(3, activation="softmax")(x)
    model = lib.Model(inp, out)
    model.compile(optimizer="adam", loss="sparse_categorical_crossentropy",
                  metrics=["accuracy"])
    rs = np.random.RandomState(0)
    model.fit(rs.rand(16, 8, 8, 1).astype("float32"), rs.randint(0, 3, 16), epochs=1,
              batch_size=8, verbose=0)
    return model


KERAS_TORCH_SCRIPT = textwrap.dedent("""
    import glob, os, sys
    import numpy as np
    import keras
    sys.path.insert(0, {repo!r})
    from tests.saving.test_portability import build, inputs
    directory = {directory!r}
    keras.utils.set_random_seed(0)
    model = build(keras)
    model.save(os.path.join(directory, "keras_torch.keras"))
    np.save(os.path.join(directory, "keras_torch_pred.npy"), model.predict(inputs(), verbose=0))
    for path in sorted(glob.glob(os.path.join(directory, "kerasx_*.keras"))):
        loaded = keras.models.load_model(path)
        np.save(path + ".keras_torch_pred.npy", loaded.predict(inputs(), verbose=0))
    print("OK")
""")


@pytest.fixture(scope="module")
def files(tmp_path_factory):
    """kerasx files from every backend, a Keras 3 TensorFlow file (in
    process) and a Keras 3 torch file (subprocess, which also loads the
    kerasx files)."""
    directory = tmp_path_factory.mktemp("portability")
    previous = kb.backend()
    preds = {}
    try:
        for name in AVAILABLE_BACKENDS:
            kb.set_backend(name)
            keras.random.set_global_seed(0)
            model = build(keras)
            model.save(directory / f"kerasx_{name}.keras")
            preds[f"kerasx_{name}"] = model.predict(inputs(), verbose=0)
    finally:
        kb.set_backend(previous)
    keras3 = pytest.importorskip("keras")
    if keras3.backend.backend() == "tensorflow":
        keras3.utils.set_random_seed(0)
        model = build(keras3)
        model.save(directory / "keras_tensorflow.keras")
        preds["keras_tensorflow"] = model.predict(inputs(), verbose=0)
    result = run_python(KERAS_TORCH_SCRIPT.format(repo=REPO, directory=str(directory)),
                        env={"KERAS_BACKEND": "torch"})
    assert result.returncode == 0 and "OK" in result.stdout, result.stderr[-3000:]
    preds["keras_torch"] = np.load(directory / "keras_torch_pred.npy")
    return directory, preds


def _max_diff(a, b):
    return float(np.max(np.abs(np.asarray(a) - np.asarray(b))))


@pytest.mark.parametrize("source", AVAILABLE_BACKENDS)
def test_kerasx_file_loads_on_every_backend(files, backend, source):
    directory, preds = files
    model = keras.models.load_model(directory / f"kerasx_{source}.keras")
    assert _max_diff(model.predict(inputs(), verbose=0), preds[f"kerasx_{source}"]) <= TOL
    assert int(model.optimizer.iterations.numpy()) == 2


@pytest.mark.parametrize("source", ["keras_tensorflow", "keras_torch"])
def test_keras3_file_loads_in_kerasx(files, backend, source):
    directory, preds = files
    if source not in preds:
        pytest.skip(f"{source} was not written")
    model = keras.models.load_model(directory / f"{source}.keras")
    assert _max_diff(model.predict(inputs(), verbose=0), preds[source]) <= TOL
    # The optimizer state came along: Adam's iteration count and slots.
    assert int(model.optimizer.iterations.numpy()) == 2
    assert type(model.optimizer).__name__ == "Adam"


@pytest.mark.parametrize("source", AVAILABLE_BACKENDS)
def test_kerasx_file_loads_in_keras3(files, source):
    directory, preds = files
    keras3 = pytest.importorskip("keras")
    path = directory / f"kerasx_{source}.keras"
    model = keras3.models.load_model(path)
    assert _max_diff(model.predict(inputs(), verbose=0), preds[f"kerasx_{source}"]) <= TOL
    assert int(keras3.ops.convert_to_numpy(model.optimizer.iterations)) == 2
    torch_pred = np.load(str(path) + ".keras_torch_pred.npy")
    assert _max_diff(torch_pred, preds[f"kerasx_{source}"]) <= TOL
