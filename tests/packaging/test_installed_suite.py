"""The conformance suite under its installed name, kerasx_conformance, away
from a checkout: the same files reached through a folder that is not the
repository (as site-packages is), in a fresh interpreter: its paths, a
training run in a worker process, and a corpus program."""
import os
import subprocess
import sys
import textwrap

import pytest

from tests.conftest import AVAILABLE_BACKENDS, REPO

CODE = textwrap.dedent("""
    import json, sys
    from kerasx_conformance import paths
    from kerasx_conformance.training import data, suite
    print(json.dumps({"package": paths.PACKAGE, "repo": paths.REPO,
                      "shared_mnist": paths.SHARED_MNIST,
                      "worker": paths.module("training.worker")}))
    try:
        data.load("mnist")
    except FileNotFoundError as exc:
        print("mnist:", exc)
    spec = suite.make_spec("kerasx", sys.argv[1], "cpu", "float64", "cnn",
                           {"epochs": 1, "batch_size": 16, "seed": 1, "data": "digits",
                            "n_train": 32, "n_test": 16}, sys.argv[2])
    ok, seconds, error = suite.run_worker(spec)
    print("worker:", ok, error)
    from kerasx_conformance.corpus import catalog, fixture, runner
    program = next(p for p in catalog.programs() if p.name == "subclassed_model_call")
    fixture.prepare(sys.argv[3])
    result = runner.run_one(program, runner.Column("kerasx", sys.argv[1]), sys.argv[3])
    print("corpus:", program.path.startswith(paths.SUITE_DIR), result.status, result.detail)
    print("loaded:", sorted(m for m in sys.modules if m.split(".")[0] == "conformance"))
""")


@pytest.mark.skipif(not AVAILABLE_BACKENDS, reason="needs a backend")
def test_suite_runs_under_its_installed_name(tmp_path):
    site = tmp_path / "site"
    site.mkdir()
    os.symlink(os.path.join(REPO, "conformance"), site / "kerasx_conformance")
    env = {k: v for k, v in os.environ.items() if k not in ("KERASX_BACKEND", "KERAS_BACKEND")}
    env["PYTHONPATH"] = os.pathsep.join([str(site)] + [p for p in [env.get("PYTHONPATH")] if p])
    env["KERAS_HOME"] = str(tmp_path / "empty_keras_home")  # no cached MNIST
    backend = "mxnet" if "mxnet" in AVAILABLE_BACKENDS else AVAILABLE_BACKENDS[0]
    result = subprocess.run([sys.executable, "-c", CODE, backend, str(tmp_path / "runs"),
                             str(tmp_path / "keras_home")],
                            capture_output=True, text=True, cwd=str(tmp_path), env=env,
                            timeout=600)
    assert result.returncode == 0, result.stderr
    import json
    lines = result.stdout.splitlines()
    assert json.loads(lines[0]) == {"package": "kerasx_conformance", "repo": None,
                                    "shared_mnist": None,
                                    "worker": "kerasx_conformance.training.worker"}
    assert lines[1] == ("mnist: MNIST not found: put mnist.npz in ~/.keras/datasets (Keras's "
                        "cache), or pass --data PATH (an mnist.npz file or a folder of MNIST "
                        "idx files).")
    assert lines[2] == "worker: True "
    assert lines[3] == "corpus: True PASS "  # a program of the corpus, run from its folder
    assert lines[4] == "loaded: []"  # one copy of the suite, under one name
