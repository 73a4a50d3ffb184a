"""A third-party package adds a backend through the entry point group alone."""
import textwrap

import pytest

FAKE_MODULE = '''
import numpy as np
from kerasx.backend.contract import Backend
from kerasx.backend.dtypes import as_numpy


class NumpyBackend(Backend):
    """A deliberately small backend: a few primitives over NumPy."""
    name = "numpyfake"

    def convert_to_tensor(self, x, dtype=None):
        return as_numpy(x, dtype)

    def to_numpy(self, x):
        return np.asarray(x)

    def shape(self, x):
        return tuple(np.shape(x))

    def dtype(self, x):
        return np.asarray(x).dtype.name

    def add(self, a, b):
        return np.add(a, b)

    def divide(self, a, b):
        return np.divide(a, b)

    def abs(self, x):
        return np.abs(x)
'''

PLUGIN_MODULE = '''
PLUGIN = dict(name="numpyfake", factory="fake_numpy_backend:NumpyBackend",
              aliases=("np-fake",), requires=("numpy",))
MISSING = dict(name="needsfw", factory="fake_numpy_backend:NumpyBackend",
               requires=("kerasx_no_such_framework",),
               install_hint="Install it with: pip install 'kerasx-needsfw[fw]'")
'''

ENTRY_POINTS = '''
[kerasx.backends]
numpyfake = fake_plugin_descriptor:PLUGIN
needsfw = fake_plugin_descriptor:MISSING
'''


@pytest.fixture
def plugin_dir(tmp_path):
    (tmp_path / "fake_numpy_backend.py").write_text(FAKE_MODULE)
    (tmp_path / "fake_plugin_descriptor.py").write_text(PLUGIN_MODULE)
    info = tmp_path / "kerasx_fake_plugin-0.1.dist-info"
    info.mkdir()
    (info / "METADATA").write_text(
        "Metadata-Version: 2.1\nName: kerasx-fake-plugin\nVersion: 0.1\n")
    (info / "entry_points.txt").write_text(textwrap.dedent(ENTRY_POINTS))
    return str(tmp_path)


def test_fake_plugin_is_discovered_and_selected(python, plugin_dir):
    code = textwrap.dedent('''
        import kerasx
        from kerasx.backend import backend, get_ops, installed_backends
        ops = get_ops()
        print(backend())
        print(sorted(installed_backends()))
        # a primitive it implements, and composites derived from primitives
        print(ops.to_numpy(ops.add(ops.convert_to_tensor([1.0, 2.0]), 0.5)).tolist())
        print(ops.to_numpy(ops.softsign(ops.convert_to_tensor([1.0, -3.0]))).tolist())
        try:
            ops.conv(None, None)
        except NotImplementedError as exc:
            print(exc)
    ''')
    result = python(code, {"KERASX_BACKEND": "np-fake"}, extra_path=plugin_dir)
    assert result.returncode == 0, result.stderr
    lines = result.stdout.strip().splitlines()
    assert lines[0] == "numpyfake"
    assert {"numpyfake", "tensorflow", "torch", "mxnet"} <= set(eval(lines[1]))
    assert lines[2] == "[1.5, 2.5]"
    assert lines[3] == "[0.5, -0.75]"
    assert lines[4].startswith(
        "Operation 'conv' is not supported by the 'numpyfake' backend.")


def test_fake_plugin_with_missing_framework(python, plugin_dir):
    result = python("import kerasx; kerasx.backend.get_ops()",
                    {"KERASX_BACKEND": "needsfw"}, extra_path=plugin_dir)
    assert result.returncode != 0
    assert "BackendNotInstalledError" in result.stderr
    assert "needs kerasx_no_such_framework" in result.stderr
    assert "pip install 'kerasx-needsfw[fw]'" in result.stderr


def test_unknown_name_lists_third_party_backend(python, plugin_dir):
    result = python("import kerasx", {"KERASX_BACKEND": "bogus"}, extra_path=plugin_dir)
    assert result.returncode != 0
    assert "numpyfake (or np-fake)" in result.stderr
