"""The compatibility corpus (conformance/corpus): its catalogue, the offline
dataset fixture, the runner's verdicts, and the fast subset of programs run
through `kerasx run` on every installed backend. The full report, with the
Keras 3 columns, is `python -m conformance.corpus` (`make corpus`)."""
import hashlib
import os
import subprocess
import sys

import numpy as np
import pytest

from conformance.corpus import catalog, fixture, report, runner
from tests.conftest import AVAILABLE_BACKENDS

PROGRAMS = catalog.programs()
QUICK = [p for p in PROGRAMS if p.quick]


@pytest.fixture(scope="module")
def keras_home(tmp_path_factory):
    home = str(tmp_path_factory.mktemp("corpus_keras_home"))
    fixture.prepare(home)
    return home


def _digest(path):
    with np.load(path, allow_pickle=False) as f:
        return {k: hashlib.sha256(f[k].tobytes()).hexdigest()[:16] for k in f}


def test_catalogue_declares_every_program():
    assert len(PROGRAMS) >= 30, len(PROGRAMS)
    for program in PROGRAMS:
        assert program.backends, f"{program.name} is written for no backend"
        assert set(program.keras3) <= set(program.backends) | {"tensorflow", "torch"}
    # Each framework's own API has programs of its own, and most are for all.
    assert sum(p.backends == catalog.KERASX_BACKENDS for p in PROGRAMS) >= 25
    for backend in catalog.KERASX_BACKENDS:
        assert any(p.backends == (backend,) for p in PROGRAMS), backend
    assert 5 <= len(QUICK) <= 8, [p.name for p in QUICK]


def test_header_errors_are_clear(tmp_path):
    path = tmp_path / "bad.py"
    path.write_text("# backends: tensorflow, jax\n# keras3: no\nimport keras\n")
    with pytest.raises(ValueError, match=r"unknown backend \['jax'\]"):
        catalog.parse(str(path))
    path.write_text("# keras3: no\nimport keras\n")
    with pytest.raises(ValueError, match="must declare '# backends: ...'"):
        catalog.parse(str(path))
    with pytest.raises(ValueError, match="Unknown corpus programs"):
        catalog.select(PROGRAMS, ["no_such_program"])


def test_generated_datasets_have_mnist_shapes_and_are_deterministic():
    (x, y), (xt, yt) = fixture.generated(seed=21)
    assert (x.shape, x.dtype, y.shape, y.dtype) == ((60000, 28, 28), np.uint8, (60000,), np.uint8)
    assert (xt.shape, yt.shape) == ((10000, 28, 28), (10000,))
    assert set(np.unique(y)) == set(range(10))
    (x2, _), _ = fixture.generated(seed=21)
    np.testing.assert_array_equal(x[:100], x2[:100])
    # Learnable: the nearest class mean classifies most test images.
    means = np.stack([x[y == c].reshape(-1, 784).mean(0) for c in range(10)])
    dist = ((xt[:500].reshape(-1, 1, 784) - means[None]) ** 2).sum(-1)
    assert (dist.argmin(1) == yt[:500]).mean() > 0.9


@pytest.mark.parametrize("library", ["kerasx", "keras"])
def test_loaders_serve_the_fixture_offline(keras_home, library):
    """keras.datasets.<name>.load_data() returns the fixture's arrays, under
    kerasx and under Keras 3, with downloads made impossible."""
    code = ("import urllib.request, numpy as np\n"
            "def refuse(*a, **k): raise RuntimeError('download attempted')\n"
            "urllib.request.urlretrieve = refuse\n"
            "import keras\n"
            "for name in ('mnist', 'fashion_mnist'):\n"
            "    (x, y), (xt, yt) = getattr(keras.datasets, name).load_data()\n"
            "    print(name, x.shape, x.dtype, yt.shape, int(x[:50].sum()), int(yt.sum()))\n")
    script = os.path.join(keras_home, "load.py")
    with open(script, "w") as f:
        f.write(code)
    column = runner.Column(library, "tensorflow")
    program = catalog.Program("load", script, ("tensorflow",), ("tensorflow",), (), False)
    proc = subprocess.run(runner.command(program, column), capture_output=True, text=True,
                          env=runner.environment(column, keras_home), cwd=keras_home,
                          timeout=300)
    assert proc.returncode == 0, proc.stderr[-2000:]
    lines = proc.stdout.strip().splitlines()
    for name, line in zip(fixture.DATASETS, lines):
        with np.load(os.path.join(keras_home, "datasets", f"{name}.npz")) as f:
            expected = (f"{name} (60000, 28, 28) uint8 (10000,) {int(f['x_train'][:50].sum())} "
                        f"{int(f['y_test'].sum())}")
        assert line == expected


def test_prepare_keeps_files_written_from_the_same_source(keras_home):
    path = os.path.join(keras_home, "datasets", "mnist.npz")
    before = os.stat(path).st_mtime_ns
    fixture.prepare(keras_home)
    assert os.stat(path).st_mtime_ns == before


def test_error_line_is_the_exception_not_keras_notes():
    stderr = ("warning: something\nTraceback (most recent call last):\n"
              '  File "x.py", line 3, in <module>\n    f()\n'
              "ValueError: Exception encountered when calling Dense.call().\n\n"
              "Arguments received by Dense.call():\n  • inputs=1\n")
    assert runner.error_line(stderr, 1) == \
        "ValueError: Exception encountered when calling Dense.call()."
    graph = ("Traceback (most recent call last):\n  File \"x.py\", line 1\n"
             "AttributeError: in user code:\n\n    File \"y.py\", line 2, in step\n"
             "        tape.gradient(loss, v)\n\n"
             "    AttributeError: 'Variable' object has no attribute '_id'\n")
    assert runner.error_line(graph, 1) == ("AttributeError: in user code: ... AttributeError: "
                                           "'Variable' object has no attribute '_id'")
    assert runner.error_line("Killed\n", -9) == "Killed"
    assert runner.error_line("", 3) == "exit status 3"


def test_runner_verdicts_and_exit_status(tmp_path, keras_home, capsys):
    """A raising program FAILs with its exception line, one without a RESULT
    line FAILs, a good one PASSes, and the command exits 1 on a kerasx failure."""
    header = "# backends: tensorflow\n# keras3: tensorflow\nimport keras\n"
    (tmp_path / "raises.py").write_text(header + "raise ValueError('boom at step 3')\n")
    (tmp_path / "silent.py").write_text(header + "print('done')\n")
    (tmp_path / "good.py").write_text(
        header + "print('RESULT n=%d' % keras.ops.convert_to_numpy(keras.ops.ones((2,))).size)\n")
    programs = catalog.programs(str(tmp_path))
    column = runner.Column("kerasx", "tensorflow")
    results = {p.name: runner.run_one(p, column, keras_home, timeout=120) for p in programs}
    assert results["raises"].status == runner.FAIL
    assert results["raises"].detail == "ValueError: boom at step 3"
    assert results["silent"].status == runner.FAIL
    assert "RESULT" in results["silent"].detail
    assert results["good"].status == runner.PASS and results["good"].result == "RESULT n=2"
    na = runner.run_one(programs[0], runner.Column("kerasx", "mxnet"), keras_home)
    assert na.status == runner.NA
    text = report.table(programs, [column], list(results.values()))
    assert "raises [kerasx-tensorflow]: ValueError: boom at step 3" in text
    assert "kerasx-tensorflow: 1 / 3" in text


def test_command_line_exit_status(keras_home):
    proc = subprocess.run(
        [sys.executable, "-m", "kerasx", "corpus", "--programs", "no_such_program"],
        capture_output=True, text=True, cwd=fixture.REPO, timeout=120)
    assert proc.returncode == 2 and "Unknown corpus programs" in proc.stderr


@pytest.mark.parametrize("backend", AVAILABLE_BACKENDS)
@pytest.mark.parametrize("program", QUICK, ids=lambda p: p.name)
def test_quick_program_passes(program, backend, keras_home):
    column = runner.Column("kerasx", backend)
    if not runner.applies(program, column):
        pytest.skip(f"{program.name} is not written for {backend}")
    result = runner.run_one(program, column, keras_home, timeout=180)
    if result.status == runner.SKIP:
        pytest.skip(result.detail)
    assert result.status == runner.PASS, f"{program.name} on {backend}: {result.detail}"
