"""Plugin discovery survives broken plugins: a registered entry point that
cannot be read fails only when its backend is selected, and the
unknown-backend error lists it as broken with the reason."""
import importlib.metadata
import sys
import textwrap

import pytest

from kerasx.backend import registry
from kerasx.backend.errors import BrokenPluginError, UnknownBackendError

GROUP = registry.ENTRY_POINT_GROUP

RAISING_MODULE = "raise RuntimeError('the plugin package is half-installed')\n"


@pytest.fixture
def broken_entry_points(monkeypatch, tmp_path):
    """The real entry points plus three broken ones: a module that is gone, a
    module that raises on import and a descriptor that is not a dict."""
    (tmp_path / "kerasx_fake_raising_plugin.py").write_text(RAISING_MODULE)
    monkeypatch.syspath_prepend(str(tmp_path))
    real = list(importlib.metadata.entry_points(group=GROUP))
    fake = [importlib.metadata.EntryPoint("gone", "kerasx_no_such_plugin:PLUGIN", GROUP),
            importlib.metadata.EntryPoint("raising", "kerasx_fake_raising_plugin:PLUGIN",
                                          GROUP),
            importlib.metadata.EntryPoint("notadict", "kerasx.backend.registry:ENTRY_POINT_GROUP",
                                          GROUP)]

    def entry_points(**params):
        assert params == {"group": GROUP}
        return real + fake

    monkeypatch.setattr(importlib.metadata, "entry_points", entry_points)
    registry.discover(refresh=True)
    yield
    monkeypatch.undo()
    sys.modules.pop("kerasx_fake_raising_plugin", None)
    registry.discover(refresh=True)


def test_broken_entry_points_are_left_out_and_recorded(broken_entry_points):
    assert {"tensorflow", "torch", "mxnet"} <= set(registry.installed_backends())
    assert not {"gone", "raising", "notadict"} & set(registry.installed_backends())
    broken = registry.broken_plugins()
    assert sorted(broken) == ["gone", "notadict", "raising"]
    assert "ModuleNotFoundError: No module named 'kerasx_no_such_plugin'" in broken["gone"]
    assert "RuntimeError: the plugin package is half-installed" in broken["raising"]
    assert "must give a dict of BackendPlugin fields" in broken["notadict"]
    assert "'kerasx.backends'" in broken["notadict"]  # the value it gave


def test_other_backends_resolve_despite_broken_ones(broken_entry_points):
    assert registry.resolve("tf") == "tensorflow"
    assert registry.resolve("pytorch") == "torch"


@pytest.mark.parametrize("name,reason", [
    ("gone", "No module named 'kerasx_no_such_plugin'"),
    (" Raising ", "the plugin package is half-installed"),
])
def test_selecting_a_broken_plugin_says_why(broken_entry_points, name, reason):
    with pytest.raises(BrokenPluginError) as info:
        registry.load(name)
    message = str(info.value)
    assert f"The backend plugin '{name.strip().lower()}' is registered but broken" in message
    assert reason in message
    assert "tensorflow (or tf)" in message  # what to choose instead
    assert isinstance(info.value, ImportError)


def test_unknown_backend_error_lists_the_broken_plugins(broken_entry_points):
    with pytest.raises(UnknownBackendError) as info:
        registry.resolve("theano")
    message = str(info.value)
    assert message.startswith("Unknown backend 'theano'. Installed backends: ")
    assert "mxnet; tensorflow (or tf); torch (or pytorch)." in message
    assert "Broken plugins (they cannot be loaded): gone (entry point " \
           "'gone = kerasx_no_such_plugin:PLUGIN' failed: ModuleNotFoundError" in message
    assert "raising (entry point 'raising = kerasx_fake_raising_plugin:PLUGIN' " \
           "failed: RuntimeError: the plugin package is half-installed)" in message


def test_no_broken_plugins_no_broken_list():
    with pytest.raises(UnknownBackendError) as info:
        registry.resolve("theano")
    assert "Broken" not in str(info.value)
    assert registry.broken_plugins() == {}


# An installed distribution whose entry point names a module that is gone:
# before, `import kerasx` failed for every backend.
BROKEN_DIST = '''
[kerasx.backends]
ghost = kerasx_ghost_plugin_removed:PLUGIN
'''


@pytest.fixture
def broken_dist(tmp_path):
    info = tmp_path / "kerasx_ghost_plugin-0.1.dist-info"
    info.mkdir()
    (info / "METADATA").write_text(
        "Metadata-Version: 2.1\nName: kerasx-ghost-plugin\nVersion: 0.1\n")
    (info / "entry_points.txt").write_text(textwrap.dedent(BROKEN_DIST))
    return str(tmp_path)


def test_import_kerasx_works_beside_a_broken_plugin(python, broken_dist):
    code = ("import kerasx; print(kerasx.backend.backend()); "
            "print(sorted(kerasx.backend.registry.broken_plugins()))")
    result = python(code, {"KERASX_BACKEND": "pytorch"}, extra_path=broken_dist)
    assert result.returncode == 0, result.stderr
    assert result.stdout.split("\n")[:2] == ["torch", "['ghost']"]


def test_selecting_the_broken_plugin_fails_at_import_with_the_reason(python, broken_dist):
    result = python("import kerasx", {"KERASX_BACKEND": "ghost"}, extra_path=broken_dist)
    assert result.returncode != 0
    assert ("BrokenPluginError: The backend plugin 'ghost' is registered but broken: "
            "entry point 'ghost = kerasx_ghost_plugin_removed:PLUGIN' failed: "
            "ModuleNotFoundError: No module named 'kerasx_ghost_plugin_removed'"
            in result.stderr)
