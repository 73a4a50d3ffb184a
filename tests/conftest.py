import os
import subprocess
import sys

import pytest

REPO = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def run_python(code, env=None, extra_path=None):
    """Run `code` in a fresh interpreter (the backend is chosen at import)."""
    full_env = {k: v for k, v in os.environ.items()
                if k not in ("KERASX_BACKEND", "KERAS_BACKEND")}
    full_env.update(env or {})
    if extra_path:
        full_env["PYTHONPATH"] = os.pathsep.join(
            [extra_path] + [p for p in [full_env.get("PYTHONPATH")] if p])
    return subprocess.run([sys.executable, "-c", code], env=full_env, cwd=REPO,
                          capture_output=True, text=True, timeout=300)


@pytest.fixture
def python():
    return run_python


# The reference Keras runs on TensorFlow unless a test says otherwise. kerasx
# reads KERAS_BACKEND too, and tensorflow is its default as well.
os.environ.setdefault("KERAS_BACKEND", "tensorflow")

from kerasx.backend import registry as _registry  # noqa: E402

AVAILABLE_BACKENDS = sorted(p.name for p in _registry.discover().values()
                            if p.is_available() and p.name in ("tensorflow", "torch", "mxnet"))


@pytest.fixture(params=AVAILABLE_BACKENDS)
def backend(request):
    """Run the test once per installed kerasx backend (switches the global
    backend, restores it afterwards)."""
    import kerasx.backend as kb

    previous = kb.backend()
    kb.set_backend(request.param)
    try:
        yield request.param
    finally:
        kb.set_backend(previous)
