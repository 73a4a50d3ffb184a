"""`kerasx conformance --quick`: its presets, its option checks, a small run
that prints the verdict first, and the Keras 3 reference left out when Keras
is not installed. (The quick run itself, on every backend with the Keras 3
reference, is CI's wheel check, .ci/wheel_check.)"""
import importlib.util
import os
import subprocess
import sys

import pytest

from conformance import run_training
from conformance.training import models, report, suite
from tests.conftest import AVAILABLE_BACKENDS, REPO

#: The backends that start fastest, for the small runs.
FAST = [b for b in ("mxnet", "torch", "tensorflow") if b in AVAILABLE_BACKENDS]


def options(*argv):
    p = run_training.parser()
    return run_training.options_from(p.parse_args(list(argv)), p.error)


def test_quick_presets():
    got = options("--quick")
    assert got["models"] == ["cnn"]
    assert got["dtypes"] == ["float32", "float64"]
    assert got["modes"] == ["eager"]
    assert got["epochs"] == 1
    assert got["keras"] is True and got["keras_backends"] == ["tensorflow"]
    assert got["backends"] == [b for b in suite.BACKENDS if b in AVAILABLE_BACKENDS]


def test_given_options_win_over_the_quick_presets():
    got = options("--quick", "--models", "lstm,cnn", "--epochs", "2", "--backends", "torch",
                  "--keras-backends", "tensorflow,torch")
    assert got["models"] == ["lstm", "cnn"] and got["epochs"] == 2
    assert got["backends"] == ["torch"] and got["keras_backends"] == ["tensorflow", "torch"]
    assert got["modes"] == ["eager"]  # still quick where not given


def test_full_run_defaults():
    got = options()
    assert got["models"] == list(models.DEFAULT_MODELS)
    assert got["modes"] == list(suite.MODES) and got["epochs"] == 3
    assert got["keras_backends"] == list(suite.KERAS_BACKENDS)


@pytest.mark.parametrize("argv,message", [
    (["--quick", "--models", "resnet"], "unknown model(s) ['resnet']"),
    (["--quick", "--dtypes", "float16"], "unknown dtype(s) ['float16']"),
    (["--quick", "--modes", "turbo"], "unknown mode(s) ['turbo']"),
    (["--quick", "--keras-backends", "jax"], "unknown Keras 3 backend(s) ['jax']"),
    (["--quick", "--epochs", "0"], "--epochs must be at least 1"),
])
def test_bad_options_are_usage_errors(argv, message, capsys):
    with pytest.raises(SystemExit) as exit_info:
        options(*argv)
    assert exit_info.value.code == 2
    assert message in capsys.readouterr().err


@pytest.mark.skipif(len(FAST) < 2, reason="needs two backends")
def test_small_quick_run_prints_the_verdict_first(tmp_path):
    out = tmp_path / "report"
    result = subprocess.run(
        [sys.executable, "-m", "kerasx", "conformance", "--quick", "--backends",
         ",".join(FAST[:2]), "--dtypes", "float64", "--n-train", "64", "--n-test", "32",
         "--no-keras", "--out", str(out)],
        capture_output=True, text=True, cwd=REPO, timeout=600)
    assert result.returncode == 0, result.stdout + result.stderr
    first = result.stdout.splitlines()[0]
    assert first.startswith("PASS: 1/1 comparisons within the bars; largest deviation: "
                            f"kerasx-{FAST[0]} vs kerasx-{FAST[1]} (cnn float64): loss ")
    loss = float(first.split(": loss ")[1].split()[0])
    assert loss <= 1e-10  # the float64 bar
    assert "kerasx runs: 2" in result.stderr  # progress goes to stderr
    assert os.path.getsize(out / "report.png") > 10_000


def test_without_keras_the_reference_is_skipped(tmp_path, monkeypatch):
    find_spec = importlib.util.find_spec
    monkeypatch.setattr(importlib.util, "find_spec",
                        lambda name, *a: None if name == "keras" else find_spec(name, *a))
    opts = options("--quick", "--backends", FAST[0], "--dtypes", "float64", "--n-train", "32",
                   "--n-test", "16", "--out", str(tmp_path))
    assert opts["keras"] is True  # asked for, but not installed
    result = suite.run_suite(opts, log=lambda m: None)
    assert not result["failed_runs"]
    assert not any(r["run"].startswith("cnn/float64/cpu/keras-") for r in result["rows"])
    assert result["skipped"] == ["Keras 3 not installed, reference skipped (pip install "
                                 "'kerasx[reference]' to compare with it)"]
    line = report.verdict_line(result)
    assert line == ("PASS: 0/0 comparisons within the bars; nothing compared (this needs two "
                    "backends or the Keras 3 reference); Keras 3 not installed, reference "
                    "skipped")
