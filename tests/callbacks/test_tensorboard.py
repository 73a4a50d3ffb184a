"""keras.callbacks.TensorBoard: fit writes event files that TensorBoard's own
reader (EventAccumulator) reads back with the losses History recorded, with
the same tags and steps as Keras 3's callback, on every backend, without
importing TensorFlow."""
import glob
import os

import numpy as np
import pytest

import kerasx
from tests.conftest import run_python

pytest.importorskip("tensorboard")
from tensorboard.backend.event_processing import event_accumulator  # noqa: E402
from tensorboard.util import tensor_util  # noqa: E402


def _read(directory):
    """{tag: [(step, value array)]} of every event file in `directory`."""
    out = {}
    files = sorted(glob.glob(os.path.join(directory, "events.out.tfevents.*")))
    assert files, f"no event file in {directory}"
    for path in files:
        acc = event_accumulator.EventAccumulator(path, size_guidance={"tensors": 0})
        acc.Reload()
        for tag in acc.Tags()["tensors"]:
            out.setdefault(tag, []).extend(
                (e.step, tensor_util.make_ndarray(e.tensor_proto)) for e in acc.Tensors(tag))
    return out


def _fit(lib, log_dir, **kwargs):
    rng = np.random.default_rng(0)
    x = rng.normal(size=(24, 4)).astype("float32")
    y = rng.normal(size=(24, 2)).astype("float32")
    model = lib.Sequential([lib.Input((4,)), lib.layers.Dense(3, activation="tanh"),
                            lib.layers.Dense(2)])
    model.compile(optimizer=lib.optimizers.SGD(0.1), loss="mse", metrics=["mae"])
    callback = lib.callbacks.TensorBoard(log_dir=str(log_dir), **kwargs)
    history = model.fit(x[:16], y[:16], batch_size=4, epochs=3, shuffle=False, verbose=0,
                        validation_data=(x[16:], y[16:]), callbacks=[callback])
    return history.history


def test_event_files_hold_the_history(backend, tmp_path):
    history = _fit(kerasx, tmp_path, histogram_freq=1, update_freq=2, write_graph=False)
    train = _read(tmp_path / "train")
    val = _read(tmp_path / "validation")
    for name in ("loss", "mae"):
        steps, values = zip(*train[f"epoch_{name}"])
        assert steps == (0, 1, 2)
        np.testing.assert_allclose([float(v) for v in values], history[name], rtol=1e-6)
        steps, values = zip(*val[f"epoch_{name}"])
        np.testing.assert_allclose([float(v) for v in values], history[f"val_{name}"],
                                   rtol=1e-6)
    assert [float(v) for _, v in train["epoch_learning_rate"]] == pytest.approx([0.1] * 3)
    # 4 batches an epoch, one write every 2: global batches 2, 4, ..., 12.
    assert [s for s, _ in train["batch_loss"]] == [2, 4, 6, 8, 10, 12]
    # Evaluation after each epoch, at the optimizer's step.
    assert [s for s, _ in val["evaluation_loss_vs_iterations"]] == [4, 8, 12]
    np.testing.assert_allclose([float(v) for _, v in val["evaluation_loss_vs_iterations"]],
                               history["val_loss"], rtol=1e-6)
    # Histograms: (left, right, count) rows counting every element of the weight.
    kernels = [v for k, v in train.items() if k.endswith("/kernel/histogram")]
    assert len(kernels) == 2 and len([k for k in train if k.endswith("/histogram")]) == 4
    assert sorted(h[-1][1][:, 2].sum() for h in kernels) == [6, 12]  # (3, 2), (4, 3)
    for hist in kernels:
        assert [s for s, _ in hist] == [0, 1, 2]
        assert all(table.shape == (30, 3) for _, table in hist)


def test_same_tags_and_steps_as_keras(backend, tmp_path):
    import keras

    # update_freq=2 divides the 4 training and 2 validation batches of an
    # epoch: Keras then writes every epoch summary (see TensorBoard's docstring).
    kwargs = dict(update_freq=2, histogram_freq=1, write_graph=False)
    _fit(keras, tmp_path / "keras", **kwargs)
    _fit(kerasx, tmp_path / "kerasx", **kwargs)
    for sub in ("train", "validation"):
        want = _read(tmp_path / "keras" / sub)
        have = _read(tmp_path / "kerasx" / sub)
        # Weight paths name the histograms; kerasx's paths lack the model's
        # name ("dense/kernel", Keras: "sequential/dense/kernel").
        hist = [sorted(t.split("/")[-2] for t in tags if t.endswith("/histogram"))
                for tags in (have, want)]
        # (Keras 3 on TensorFlow also repeats them in validation/, through
        # its stack of default writers; kerasx writes them to train/ only.)
        if sub == "train":
            assert hist[0] == hist[1] == ["bias", "bias", "kernel", "kernel"]
        else:
            assert hist[0] == []
        want = {t: v for t, v in want.items() if not t.endswith("/histogram")}
        assert sorted(t for t in have if not t.endswith("/histogram")) == sorted(want)
        for tag in want:
            assert [s for s, _ in have[tag]] == [s for s, _ in want[tag]], tag
            assert all(v.dtype == np.float32 and v.shape == () for _, v in have[tag])


def test_no_tensorflow_import_and_batch_mode(tmp_path):
    code = f"""
import sys, numpy as np
import kerasx.backend as kb
kb.set_backend("torch")
import kerasx
m = kerasx.Sequential([kerasx.Input((2,)), kerasx.layers.Dense(1)])
m.compile("sgd", "mse")
m.fit(np.ones((4, 2), "float32"), np.ones((4, 1), "float32"), batch_size=2, verbose=0,
      callbacks=[kerasx.callbacks.TensorBoard({str(tmp_path)!r}, update_freq="batch")])
print("tensorflow" in sys.modules)
"""
    result = run_python(code)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip().splitlines()[-1] == "False"
    steps = [s for s, _ in _read(tmp_path / "train")["batch_loss"]]
    assert steps == [1, 2]


def test_unsupported_arguments_are_clear_errors():
    with pytest.raises(ValueError, match="write_images"):
        kerasx.callbacks.TensorBoard(write_images=True)
    with pytest.raises(ValueError, match="profile_batch"):
        kerasx.callbacks.TensorBoard(profile_batch=2)
    with pytest.raises(ValueError, match="update_freq"):
        kerasx.callbacks.TensorBoard(update_freq="sometimes")
