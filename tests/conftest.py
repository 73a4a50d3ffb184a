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
