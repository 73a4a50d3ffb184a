"""BackupAndRestore: a fit interrupted mid-epoch (an exception, or SIGKILL in
a subprocess) and started again with the same call ends with weights
bit-identical to an uninterrupted run, on every backend: shuffling, dropout
masks, optimizer state, epoch/step position and callbacks' state are restored."""
import os
import signal
import subprocess
import sys

import numpy as np

import kerasx as keras
from tests import saving_jobs
from tests.conftest import REPO

TOTAL_STEPS = saving_jobs.STEPS_PER_EPOCH * saving_jobs.EPOCHS


def reference():
    model, history = saving_jobs.fit(keras)
    return model.get_weights(), history.history["loss"]


class Interrupt(Exception):
    pass


def test_resume_after_exception_is_bit_identical(backend, tmp_path):
    weights, losses = reference()
    backup = str(tmp_path / "backup")
    # Interrupted twice (mid-epoch, then just after an epoch boundary), then finished.
    for stop_at in (4, 9, None):
        seen = [0]

        class Stop(keras.callbacks.Callback):
            def get_state(self):
                return {}

            def set_state(self, state):
                pass

            def on_train_batch_end(self, batch, logs=None):
                seen[0] += 1
                if seen[0] == stop_at:
                    raise Interrupt

        model = saving_jobs.resume_model(keras)
        x, y = saving_jobs.resume_data()
        callbacks = [keras.callbacks.BackupAndRestore(backup, save_freq=2),
                     keras.callbacks.EarlyStopping("loss", patience=10), Stop()]
        try:
            history = model.fit(x, y, batch_size=8, epochs=saving_jobs.EPOCHS, verbose=0,
                                callbacks=callbacks)
        except Interrupt:
            assert os.path.exists(os.path.join(backup, "latest.weights.h5"))
            continue
    for a, b in zip(weights, model.get_weights()):
        np.testing.assert_array_equal(a, b)
    assert history.history["loss"] == losses  # History's state came back too
    assert not os.path.exists(os.path.join(backup, "latest.weights.h5"))


def test_resume_epoch_frequency_and_validation(backend, tmp_path):
    weights, _ = reference()
    backup = str(tmp_path / "b")
    for stop in (True, False):
        model = saving_jobs.resume_model(keras)
        x, y = saving_jobs.resume_data()

        class StopAtEpoch2(keras.callbacks.Callback):
            def on_epoch_begin(self, epoch, logs=None):
                if stop and epoch == 2:
                    raise Interrupt

        try:
            model.fit(x, y, batch_size=8, epochs=saving_jobs.EPOCHS, verbose=0,
                      callbacks=[keras.callbacks.EarlyStopping("loss", patience=10),
                                 keras.callbacks.BackupAndRestore(backup),
                                 StopAtEpoch2()])
        except Interrupt:
            continue
    for a, b in zip(weights, model.get_weights()):
        np.testing.assert_array_equal(a, b)


def run_fit(backend, backup, out, kill_at):
    env = {k: v for k, v in os.environ.items() if k != "KERASX_BACKEND"}
    env["KERASX_BACKEND"] = backend
    return subprocess.run([sys.executable, "-m", "tests.saving_jobs", "fit", backup, out,
                           str(kill_at)], cwd=REPO, env=env, capture_output=True,
                          text=True, timeout=300)


def test_resume_after_sigkill_is_bit_identical(backend, tmp_path):
    weights, losses = reference()
    backup, out = str(tmp_path / "backup"), str(tmp_path / "final.npz")
    rng = np.random.RandomState(abs(hash(backend)) % 1000)
    # SIGKILL at a random step (counted from each restart), twice, then finish.
    for kill_at in (rng.randint(2, 8), rng.randint(2, 8), "none"):
        result = run_fit(backend, backup, out, kill_at)
        if kill_at == "none":
            assert result.returncode == 0, result.stderr[-3000:]
        else:
            assert result.returncode == -signal.SIGKILL, result.stderr[-3000:]
    final = np.load(out)
    for i, w in enumerate(weights):
        np.testing.assert_array_equal(final[f"arr_{i}"], w)
    np.testing.assert_array_equal(final["loss"], losses)
