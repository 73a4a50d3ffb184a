"""Callbacks (kerasx.callbacks) against Keras 3's, driven by a fake model so
that they do not depend on the trainer."""
import math
import re

import numpy as np
import pytest

import kerasx.callbacks as xcb
from kerasx.callbacks import (CSVLogger, Callback, CallbackList, EarlyStopping,
                              LambdaCallback, LearningRateScheduler, ModelCheckpoint,
                              ProgbarLogger, ReduceLROnPlateau, TerminateOnNaN)

ANSI = re.compile(r"\x1b\[[0-9;]*m")


class FakeOptimizer:
    def __init__(self, learning_rate=0.1):
        self.learning_rate = learning_rate


class FakeModel:
    """What the callbacks use of a model: weights, stop_training, optimizer,
    save / save_weights (write a small file)."""

    def __init__(self, lr=0.1):
        self.weights = [np.zeros((2, 2), "float32"), np.zeros((2,), "float32")]
        self.stop_training = False
        self.optimizer = FakeOptimizer(lr)
        self.saved = []

    def get_weights(self):
        return [w.copy() for w in self.weights]

    def set_weights(self, weights):
        self.weights = [np.array(w) for w in weights]

    def save_weights(self, filepath, overwrite=True):
        assert overwrite is True
        with open(filepath, "w") as f:
            f.write("weights")
        self.saved.append(("weights", filepath))

    def save(self, filepath, overwrite=True):
        assert overwrite is True
        with open(filepath, "w") as f:
            f.write("model")
        self.saved.append(("model", filepath))


def run_epochs(callback, model, values, key="val_loss", steps=0, extra=None):
    """Drive `callback` like fit() does: one epoch per value of `key`, with
    `steps` batches each; weights become the epoch index; stop when asked."""
    callback.set_model(model)
    callback.set_params({"epochs": len(values), "steps": steps or None, "verbose": 0})
    callback.on_train_begin({})
    epochs_run = 0
    for epoch, value in enumerate(values):
        callback.on_epoch_begin(epoch, {})
        model.weights = [np.full_like(w, epoch) for w in model.weights]
        for batch in range(steps):
            callback.on_train_batch_begin(batch, {})
            callback.on_train_batch_end(batch, {"loss": float(value)})
        logs = {"loss": float(value) + 1.0, key: float(value)}
        logs.update(extra or {})
        callback.on_epoch_end(epoch, logs)
        epochs_run += 1
        if model.stop_training:
            break
    callback.on_train_end({})
    return epochs_run


@pytest.fixture(scope="module")
def keras_callbacks():
    keras = pytest.importorskip("keras")
    return keras.callbacks


def test_exports():
    for name in ["Callback", "CallbackList", "History", "ProgbarLogger", "EarlyStopping",
                 "ModelCheckpoint", "LearningRateScheduler", "ReduceLROnPlateau",
                 "CSVLogger", "TerminateOnNaN", "LambdaCallback"]:
        assert issubclass(getattr(xcb, name), Callback) or name == "CallbackList"
        assert name in xcb.__all__


# -- EarlyStopping --------------------------------------------------------------
SEQUENCES = [
    [1.0, 0.9, 0.95, 0.96, 0.97, 0.5],
    [1.0, 0.8, 0.7, 0.6, 0.5],
    [0.5, 0.6, 0.4, 0.45, 0.41, 0.39, 0.5, 0.6, 0.7],
    [1.0, 1.0, 1.0, 1.0],
]


@pytest.mark.parametrize("values", SEQUENCES)
@pytest.mark.parametrize("kwargs", [
    {"patience": 0}, {"patience": 2}, {"patience": 1, "min_delta": 0.05},
    {"patience": 2, "restore_best_weights": True},
    {"patience": 1, "baseline": 0.42}, {"patience": 1, "start_from_epoch": 3},
    {"patience": 1, "mode": "max", "restore_best_weights": True},
])
def test_early_stopping_matches_keras(values, kwargs, keras_callbacks):
    ours, theirs = FakeModel(), FakeModel()
    mine = EarlyStopping(**kwargs)
    ref = keras_callbacks.EarlyStopping(**kwargs)
    assert run_epochs(mine, ours, values) == run_epochs(ref, theirs, values)
    assert mine.stopped_epoch == ref.stopped_epoch
    assert mine.best_epoch == ref.best_epoch
    assert mine.wait == ref.wait
    assert (mine.best is None) == (ref.best is None)
    if mine.best is not None:
        assert mine.best == pytest.approx(float(ref.best))
    for a, b in zip(ours.get_weights(), theirs.get_weights()):
        np.testing.assert_array_equal(a, b)


def test_early_stopping_patience_and_restore():
    model = FakeModel()
    cb = EarlyStopping(monitor="val_loss", patience=2, restore_best_weights=True, verbose=1)
    epochs = run_epochs(cb, model, [1.0, 0.5, 0.6, 0.7, 0.1])
    assert epochs == 4 and cb.stopped_epoch == 3 and model.stop_training
    assert cb.best == 0.5 and cb.best_epoch == 1
    assert all((w == 1).all() for w in model.get_weights())  # epoch 1's weights


def test_early_stopping_reuse_and_missing_monitor():
    cb = EarlyStopping(monitor="val_accuracy", patience=0)
    model = FakeModel()
    run_epochs(cb, model, [0.5, 0.6, 0.55], key="val_accuracy")  # auto -> max
    assert cb.stopped_epoch == 2
    model.stop_training = False
    run_epochs(cb, model, [0.5, 0.6, 0.7], key="val_accuracy")
    assert cb.stopped_epoch == 0 and not model.stop_training
    cb = EarlyStopping(monitor="val_missing", mode="min")
    with pytest.warns(UserWarning, match="val_missing"):
        run_epochs(cb, FakeModel(), [1.0, 2.0])


def test_auto_mode_unknown_metric_raises():
    cb = EarlyStopping(monitor="val_widget")
    cb.set_model(FakeModel())
    cb.on_train_begin()
    with pytest.raises(ValueError, match="mode='max'"):
        cb.on_epoch_end(0, {"val_widget": 1.0})


def test_auto_mode_uses_metric_direction():
    class Metric:
        name = "widget"
        _direction = "up"

    model = FakeModel()
    model.metrics = [Metric()]
    cb = EarlyStopping(monitor="val_widget", patience=0)
    run_epochs(cb, model, [0.1, 0.2, 0.1], key="val_widget")
    assert cb.stopped_epoch == 2


# -- ModelCheckpoint ------------------------------------------------------------
def test_model_checkpoint_extension_errors():
    with pytest.raises(ValueError, match=r"must end in `\.weights\.h5`"):
        ModelCheckpoint("ckpt.keras", save_weights_only=True)
    with pytest.raises(ValueError, match=r"must end in `\.keras`"):
        ModelCheckpoint("ckpt.weights")
    with pytest.raises(ValueError, match="Unrecognized save_freq"):
        ModelCheckpoint("ckpt.keras", save_freq="batch")
    ModelCheckpoint("ckpt.h5")  # legacy full-model format is accepted, as in Keras


def test_model_checkpoint_file_naming(tmp_path):
    model = FakeModel()
    path = str(tmp_path / "sub" / "{epoch:02d}-{val_loss:.2f}.weights.h5")
    cb = ModelCheckpoint(path, save_weights_only=True)
    run_epochs(cb, model, [0.5, 0.25, 0.75])
    names = sorted(p.name for p in (tmp_path / "sub").iterdir())
    assert names == ["01-0.50.weights.h5", "02-0.25.weights.h5", "03-0.75.weights.h5"]
    assert [kind for kind, _ in model.saved] == ["weights"] * 3


def test_model_checkpoint_best_only(tmp_path, capsys):
    model = FakeModel()
    path = str(tmp_path / "best-{epoch}.keras")
    cb = ModelCheckpoint(path, monitor="val_loss", save_best_only=True, verbose=1)
    run_epochs(cb, model, [0.5, 0.6, 0.4, 0.4, 0.3])
    assert sorted(p.name for p in tmp_path.iterdir()) == [
        "best-1.keras", "best-3.keras", "best-5.keras"]
    assert [kind for kind, _ in model.saved] == ["model"] * 3
    out = capsys.readouterr().out
    assert "Epoch 1: val_loss improved from None to 0.50000, saving model to" in out
    assert "Epoch 2: val_loss did not improve from 0.50000" in out
    assert cb.best == 0.3


def test_model_checkpoint_max_mode_and_threshold(tmp_path):
    model = FakeModel()
    cb = ModelCheckpoint(str(tmp_path / "m.keras"), monitor="val_acc", mode="max",
                         save_best_only=True, initial_value_threshold=0.55)
    run_epochs(cb, model, [0.5, 0.6, 0.58, 0.7], key="val_acc")
    assert len(model.saved) == 2 and cb.best == 0.7


@pytest.mark.parametrize("values", SEQUENCES)
def test_model_checkpoint_best_only_matches_keras(values, tmp_path, keras_callbacks):
    ours, theirs = FakeModel(), FakeModel()
    mine = ModelCheckpoint(str(tmp_path / "a{epoch}.keras"), save_best_only=True)
    ref = keras_callbacks.ModelCheckpoint(str(tmp_path / "b{epoch}.keras"),
                                          save_best_only=True)
    run_epochs(mine, ours, values)
    run_epochs(ref, theirs, values)
    assert [p[-7:] for _, p in ours.saved] == [p[-7:] for _, p in theirs.saved]


def test_model_checkpoint_save_freq_batches(tmp_path):
    model = FakeModel()
    cb = ModelCheckpoint(str(tmp_path / "e{epoch}-b{batch}.weights.h5"),
                         save_weights_only=True, save_freq=3)
    run_epochs(cb, model, [1.0, 1.0], steps=4)
    # batches seen: 3 (epoch 1, batch 3), then 6 (epoch 2, batch 2)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["e1-b3.weights.h5",
                                                         "e2-b2.weights.h5"]


def test_model_checkpoint_missing_placeholder(tmp_path):
    cb = ModelCheckpoint(str(tmp_path / "{nope}.keras"))
    with pytest.raises(KeyError, match="Failed to format"):
        run_epochs(cb, FakeModel(), [1.0])


# -- learning-rate callbacks ----------------------------------------------------
def test_learning_rate_scheduler(capsys):
    model = FakeModel(lr=0.1)
    seen = []
    cb = LearningRateScheduler(lambda epoch, lr: lr * 0.5 if epoch else lr, verbose=1)
    cb.set_model(model)
    for epoch in range(3):
        cb.on_epoch_begin(epoch)
        logs = {"loss": 1.0}
        cb.on_epoch_end(epoch, logs)
        seen.append(logs["learning_rate"])
    assert seen == pytest.approx([0.1, 0.05, 0.025])
    assert "Epoch 2: LearningRateScheduler setting learning rate to 0.05." in \
        capsys.readouterr().out
    # old style: schedule(epoch)
    cb = LearningRateScheduler(lambda epoch: 0.01 * (epoch + 1))
    cb.set_model(model)
    cb.on_epoch_begin(4)
    assert model.optimizer.learning_rate == pytest.approx(0.05)
    cb = LearningRateScheduler(lambda epoch, lr: "fast")
    cb.set_model(model)
    with pytest.raises(ValueError, match="should be a float"):
        cb.on_epoch_begin(0)


@pytest.mark.parametrize("kwargs", [
    {"patience": 1}, {"patience": 2, "factor": 0.5, "cooldown": 1},
    {"patience": 0, "factor": 0.5, "min_lr": 0.02}, {"patience": 1, "min_delta": 0.1},
])
def test_reduce_lr_on_plateau_matches_keras(kwargs, keras_callbacks):
    values = [1.0, 0.9, 0.95, 0.96, 0.97, 0.5, 0.51, 0.52, 0.53, 0.54]
    ours, theirs = FakeModel(lr=0.1), FakeModel(lr=0.1)
    mine = ReduceLROnPlateau(**kwargs)
    ref = keras_callbacks.ReduceLROnPlateau(**kwargs)
    for cb, model in ((mine, ours), (ref, theirs)):
        cb.set_model(model)
        cb.on_train_begin()
    for epoch, value in enumerate(values):
        logs_a, logs_b = {"val_loss": value}, {"val_loss": value}
        mine.on_epoch_end(epoch, logs_a)
        ref.on_epoch_end(epoch, logs_b)
        assert float(ours.optimizer.learning_rate) == pytest.approx(
            float(theirs.optimizer.learning_rate)), epoch
        assert logs_a["learning_rate"] == pytest.approx(logs_b["learning_rate"])
        assert (mine.wait, mine.cooldown_counter) == (ref.wait, ref.cooldown_counter)


def test_reduce_lr_on_plateau_basics(capsys):
    with pytest.raises(ValueError, match="factor >= 1.0"):
        ReduceLROnPlateau(factor=1.5)
    model = FakeModel(lr=1.0)
    cb = ReduceLROnPlateau(monitor="loss", factor=0.5, patience=1, verbose=1, min_lr=0.3)
    cb.set_model(model)
    cb.on_train_begin()
    for epoch in range(5):
        cb.on_epoch_end(epoch, {"loss": 1.0})
    assert model.optimizer.learning_rate == pytest.approx(0.3)
    assert "Epoch 2: ReduceLROnPlateau reducing learning rate to 0.5." in \
        capsys.readouterr().out


# -- CSVLogger ------------------------------------------------------------------
def test_csv_logger(tmp_path):
    path = tmp_path / "log.csv"
    model = FakeModel()
    run_epochs(CSVLogger(str(path)), model, [0.5, 0.25])
    assert path.read_text().splitlines() == [
        "epoch,loss,val_loss", "0,1.5,0.5", "1,1.25,0.25"]
    # append: no second header
    run_epochs(CSVLogger(str(path), append=True), model, [0.125])
    assert path.read_text().splitlines()[-1] == "0,1.125,0.125"
    assert len(path.read_text().splitlines()) == 4
    # no val keys: Keras adds val_ columns filled with NA; custom separator
    cb = CSVLogger(str(path), separator=";")
    cb.set_model(model)
    cb.on_train_begin()
    cb.on_epoch_end(0, {"loss": 0.5, "acc": 0.75})
    cb.on_train_end()
    assert path.read_text().splitlines() == [
        "epoch;acc;loss;val_acc;val_loss", "0;0.75;0.5;NA;NA"]


def test_csv_logger_matches_keras(tmp_path, keras_callbacks):
    for cls, name in ((CSVLogger, "a.csv"), (keras_callbacks.CSVLogger, "b.csv")):
        cb = cls(str(tmp_path / name))
        run_epochs(cb, FakeModel(), [0.5, 0.25, 0.125], extra={"acc": 0.5})
    assert (tmp_path / "a.csv").read_text() == (tmp_path / "b.csv").read_text()


# -- TerminateOnNaN, LambdaCallback ----------------------------------------------
def test_terminate_on_nan(capsys):
    model = FakeModel()
    cb = TerminateOnNaN()
    cb.set_model(model)
    cb.on_train_batch_end(0, {"loss": 1.0})
    assert not model.stop_training
    cb.on_train_batch_end(1, {"loss": float("nan")})
    assert model.stop_training
    assert "Batch 1: Invalid loss, terminating training" in capsys.readouterr().out
    cb = TerminateOnNaN(raise_error=True)
    cb.set_model(FakeModel())
    with pytest.raises(RuntimeError, match="NaN or Inf loss"):
        cb.on_train_batch_end(2, {"loss": math.inf})


def test_lambda_callback_every_hook():
    calls = []
    hooks = {name: (lambda *args, _n=name, **kw: calls.append(_n))
             for name in vars(Callback) if name.startswith("on_")}
    cb = LambdaCallback(**hooks, extra_attribute=3)
    assert cb.extra_attribute == 3
    cb.on_epoch_begin(0, {})
    cb.on_epoch_end(0, {})
    cb.on_train_begin({})
    cb.on_train_end({})
    cb.on_train_batch_begin(0, {})
    cb.on_train_batch_end(0, {})
    cb.on_test_begin({})
    cb.on_predict_batch_end(0, {})
    assert calls == ["on_epoch_begin", "on_epoch_end", "on_train_begin", "on_train_end",
                     "on_train_batch_begin", "on_train_batch_end", "on_test_begin",
                     "on_predict_batch_end"]
    # legacy on_batch_end reached through on_train_batch_end
    got = []
    cb = LambdaCallback(on_batch_end=lambda batch, logs: got.append(batch))
    cb.on_train_batch_end(7, {})
    assert got == [7]
    with pytest.raises(TypeError):
        LambdaCallback(on_epoch_end=3)


# -- ProgbarLogger ----------------------------------------------------------------
def _normalise(text):
    # Timings vary, and so does the padding that follows them.
    text = ANSI.sub("", text).replace("\b", "")
    text = re.sub(r" +(?=[\r\n]|$)", "", text)
    text = re.sub(r"\d+(ms|us|s)/step", "T/step", text)
    text = re.sub(r"(?<=[ \[])\d+(:\d\d)*s\b", "Ts", text)
    return text


def _drive(callbacks, epochs, steps):
    callbacks.on_train_begin()
    for epoch in range(epochs):
        callbacks.on_epoch_begin(epoch)
        for batch in range(steps):
            callbacks.on_train_batch_begin(batch)
            callbacks.on_train_batch_end(batch, {"loss": 1.0 / (batch + 1), "acc": 1e-4})
        callbacks.on_epoch_end(epoch, {"loss": 0.5, "acc": 0.25, "val_loss": 0.75})
    callbacks.on_train_end()


def test_progbar_logger_verbose_2(capsys):
    callbacks = CallbackList(add_progbar=True, add_history=True, model=FakeModel(),
                             verbose=2, epochs=2, steps=3)
    assert isinstance(callbacks.callbacks[0], ProgbarLogger)
    _drive(callbacks, 2, 3)
    out = capsys.readouterr().out
    lines = ANSI.sub("", out).splitlines()
    assert lines[0] == "Epoch 1/2" and lines[2] == "Epoch 2/2" and len(lines) == 4
    # Keras 3's CallbackList sorts the logs: "accuracy: ... - loss: ... - val_...".
    assert re.fullmatch(r"3/3 - \d+s - \d+(us|ms|s)/step - acc: 0\.2500 - loss: 0\.5000 "
                        r"- val_loss: 0\.7500", lines[1]), lines[1]
    assert callbacks.history.history["loss"] == [0.5, 0.5]


@pytest.mark.parametrize("verbose", [1, 2])
def test_progbar_logger_matches_keras(verbose, capsys, keras_callbacks):
    texts = []
    for cls in (ProgbarLogger, keras_callbacks.ProgbarLogger):
        logger = cls()
        logger.set_params({"verbose": verbose, "epochs": 2, "steps": 3})
        logger.set_model(FakeModel())
        capsys.readouterr()
        logger.on_train_begin()
        for epoch in range(2):
            logger.on_epoch_begin(epoch)
            logger.progbar.interval = 0  # draw every step, whatever the speed
            for batch in range(3):
                logger.on_train_batch_end(batch, {"loss": 1.0 / (batch + 1)})
            logger.on_epoch_end(epoch, {"loss": 0.5, "acc": 2e-4})
        logger.on_train_end()
        texts.append(_normalise(capsys.readouterr().out))
    assert texts[0] == texts[1]
    assert "Epoch 2/2" in texts[0]


def test_progbar_logger_single_epoch_no_header_and_evaluate(capsys):
    logger = ProgbarLogger()
    logger.set_params({"verbose": 1, "epochs": 1, "steps": 2})
    logger.on_train_begin()
    logger.on_epoch_begin(0)
    logger.on_train_batch_end(0, {"loss": 1.0})
    logger.on_epoch_end(0, {"loss": 1.0})
    logger.on_train_end()
    out = ANSI.sub("", capsys.readouterr().out)
    assert "Epoch" not in out and "2/2" in out and "loss: 1.0000" in out
    # evaluate() outside fit: the bar follows the test batches
    logger.on_test_begin()
    logger.on_test_batch_end(0, {"loss": 2.0})
    logger.on_test_batch_end(1, {"loss": 3.0})
    logger.on_test_end({"loss": 3.0})
    out = ANSI.sub("", capsys.readouterr().out)
    assert out.endswith("\n") and "2/2" in out and "loss: 3.0000" in out


def test_progbar_logger_unknown_steps(capsys):
    logger = ProgbarLogger()
    logger.set_params({"verbose": 2, "epochs": 1, "steps": None})
    logger.on_train_begin()
    logger.on_epoch_begin(0)
    for batch in range(4):
        logger.on_train_batch_end(batch, {"loss": 1.0})
    logger.on_epoch_end(0, {"loss": 1.0})
    assert ANSI.sub("", capsys.readouterr().out).startswith("4/4 - ")
