"""On a machine without one framework, the selection tests skip what needs
it instead of failing (they failed before)."""
import os
import pathlib
import subprocess
import sys
import textwrap

import pytest

TESTS = pathlib.Path(__file__).resolve().parents[1]

# Makes `framework` look uninstalled in every interpreter started with this
# folder on PYTHONPATH: find_spec answers None and importing it fails.
HIDE = '''
import importlib.util
import sys

HIDDEN = {framework!r}
_find_spec = importlib.util.find_spec


def find_spec(name, package=None):
    return None if name.partition(".")[0] == HIDDEN else _find_spec(name, package)


class _Hide:
    def find_spec(self, name, path=None, target=None):
        if name.partition(".")[0] == HIDDEN:
            raise ModuleNotFoundError(f"No module named {{name!r}}", name=name)
        return None


importlib.util.find_spec = find_spec
sys.meta_path.insert(0, _Hide())
'''


@pytest.mark.parametrize("framework", ["mxnet"])
def test_selection_tests_skip_a_missing_framework(tmp_path, framework):
    (tmp_path / "sitecustomize.py").write_text(textwrap.dedent(HIDE.format(
        framework=framework)))
    selection = next(TESTS.rglob("test_selection.py"))
    env = {k: v for k, v in os.environ.items() if k not in ("KERASX_BACKEND",)}
    env["PYTHONPATH"] = os.pathsep.join(
        [str(tmp_path)] + [p for p in [env.get("PYTHONPATH")] if p])
    result = subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", "-rs",
         str(selection)], env=env, cwd=TESTS.parent, capture_output=True, text=True,
        timeout=600)
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]
    assert f"{framework}'s framework is not installed" in result.stdout
    assert " failed" not in result.stdout
