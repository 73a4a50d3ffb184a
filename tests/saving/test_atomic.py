"""Atomic saves: a process SIGKILLed at random moments while saving leaves
either the old or the new complete file at the target.

The number of kills per kind is KERASX_SAVING_KILLS (default 20 for the raw
atomic writer, a sixth of it for model.save, save_weights and
ModelCheckpoint, which start a backend in each process)."""
import os
import random
import signal
import subprocess
import sys
import time

import pytest

from tests.conftest import AVAILABLE_BACKENDS, REPO

KILLS = int(os.environ.get("KERASX_SAVING_KILLS", "20"))
FAST_BACKEND = "torch" if "torch" in AVAILABLE_BACKENDS else AVAILABLE_BACKENDS[0]


def start(args, backend=None):
    env = {k: v for k, v in os.environ.items() if k not in ("KERASX_BACKEND",)}
    if backend:
        env["KERASX_BACKEND"] = backend
    return subprocess.Popen([sys.executable, "-m", "tests.saving_jobs", *args], cwd=REPO,
                            env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                            text=True)


def kill_after_ready(proc, rng, max_delay):
    line = proc.stdout.readline()
    assert "READY" in line, proc.stderr.read()[-3000:]
    time.sleep(rng.uniform(0, max_delay))
    proc.send_signal(signal.SIGKILL)
    proc.wait(timeout=60)
    assert proc.returncode == -signal.SIGKILL


def test_atomic_write_survives_sigkill(tmp_path):
    rng = random.Random(0)
    target = str(tmp_path / "blob.bin")
    for _ in range(KILLS):
        kill_after_ready(start(["write_loop", target]), rng, 0.3)
        data = open(target, "rb").read()
        assert len(data) == 4 << 20 and data == bytes([data[0]]) * len(data)


@pytest.mark.parametrize("kind", ["save", "save_weights", "checkpoint"])
def test_model_saves_survive_sigkill(tmp_path, kind):
    import kerasx
    import kerasx.backend as kb
    from tests.saving_jobs import small_model

    rng = random.Random(hash(kind) % 1000)
    target = str(tmp_path / ("m.weights.h5" if kind == "save_weights" else "m.keras"))
    previous = kb.backend()
    kb.set_backend(FAST_BACKEND)
    try:
        versions = []
        for _ in range(max(2, KILLS // 6)):
            kill_after_ready(start(["save_loop", kind, target], FAST_BACKEND), rng, 0.6)
            if kind == "save_weights":
                model = small_model(kerasx)
                model.load_weights(target)
            else:
                model = kerasx.models.load_model(target)
            weights = model.get_weights()
            version = weights[0].flat[0]
            assert version >= 1 and all((w == version).all() for w in weights)
            versions.append(float(version))
        assert len(versions) >= 2
    finally:
        kb.set_backend(previous)
