"""`kerasx run` and `python -m kerasx` run unmodified Keras scripts."""
import os
import subprocess
import sys
import textwrap

import pytest

from tests.conftest import REPO

SCRIPT = textwrap.dedent('''
    import sys
    import numpy as np
    import keras
    from keras import layers
    from keras.models import Sequential

    model = Sequential([keras.Input((3,)), layers.Dense(2, activation="relu"),
                        layers.Dense(1)])
    out = model(np.ones((4, 3), "float32"))
    print("module", keras.__name__, type(model).__module__)
    print("backend", keras.backend.backend())
    print("shape", tuple(keras.ops.shape(out)))
    print("args", sys.argv[1:])
''')


def _run(args, env_backend):
    env = {k: v for k, v in os.environ.items() if k not in ("KERASX_BACKEND", "KERAS_BACKEND")}
    env["KERAS_BACKEND"] = env_backend
    return subprocess.run(args, capture_output=True, text=True, cwd=REPO, env=env,
                          timeout=300)


@pytest.mark.parametrize("name", ["tensorflow", "torch", "mxnet"])
def test_kerasx_run_resolves_keras_to_kerasx(tmp_path, name):
    script = tmp_path / "train.py"
    script.write_text(SCRIPT)
    kerasx_cmd = os.path.join(os.path.dirname(sys.executable), "kerasx")
    result = _run([kerasx_cmd, "run", str(script), "--epochs", "2"], name)
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    assert "module keras kerasx.models.sequential" in lines
    assert f"backend {name}" in lines
    assert "shape (4, 1)" in lines
    assert "args ['--epochs', '2']" in lines


def test_python_dash_m_kerasx(tmp_path):
    script = tmp_path / "s.py"
    script.write_text(SCRIPT)
    result = _run([sys.executable, "-m", "kerasx", str(script)], "torch")
    assert result.returncode == 0, result.stderr
    assert "backend torch" in result.stdout


@pytest.mark.parametrize("code,missing", [
    ("import keras\nkeras.layers.Bogus", "keras.layers.Bogus"),
    ("from keras.layers import Bogus", "keras.layers.Bogus"),
    ("import keras.nothing_here", "keras.nothing_here"),
])
def test_unsupported_names_say_so(tmp_path, code, missing):
    script = tmp_path / "s.py"
    script.write_text(code)
    result = _run([sys.executable, "-m", "kerasx", str(script)], "tensorflow")
    assert result.returncode != 0
    assert f"'{missing}' is not yet supported by kerasx" in result.stderr
    assert "kerasx.keras_alias.NotSupported" in result.stderr


def test_missing_script_is_a_usage_error(tmp_path):
    result = _run([sys.executable, "-m", "kerasx", "run", str(tmp_path / "nope.py")],
                  "tensorflow")
    assert result.returncode == 2
    assert "No such script" in result.stderr


def _json_line(stdout):
    import json
    return json.loads(stdout.strip().splitlines()[-1])


def test_unmodified_keras_script_runs_on_every_backend():
    script = os.path.join(REPO, "tests", "scripts", "keras_mnist_style.py")
    # The script is genuine Keras 3: it runs on the keras package itself.
    env = {k: v for k, v in os.environ.items() if k not in ("KERASX_BACKEND",)}
    env["KERAS_BACKEND"] = "tensorflow"
    keras_run = subprocess.run([sys.executable, script], capture_output=True, text=True,
                               env=env, timeout=300)
    assert keras_run.returncode == 0, keras_run.stderr
    want = _json_line(keras_run.stdout)
    for name in ("tensorflow", "torch", "mxnet"):
        result = _run([sys.executable, "-m", "kerasx", "run", script], name)
        assert result.returncode == 0, result.stderr
        got = _json_line(result.stdout)
        assert got["keys"] == want["keys"]
        assert got["epochs"] == want["epochs"] == 2
        assert got["pred_shape"] == want["pred_shape"] == [5, 4]
        assert got["params"] == want["params"]
