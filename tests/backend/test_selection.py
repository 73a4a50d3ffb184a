"""Backend selection: environment variables, aliases and their errors."""
import importlib.util

import pytest

from kerasx.backend import registry
from kerasx.backend.errors import BackendNotInstalledError, UnknownBackendError


def test_kerasx_backend_wins_over_keras_backend():
    env = {"KERASX_BACKEND": "torch", "KERAS_BACKEND": "mxnet"}
    assert registry.requested_backend(env) == "torch"


def test_keras_backend_is_used_when_kerasx_backend_is_unset():
    assert registry.requested_backend({"KERAS_BACKEND": "mxnet"}) == "mxnet"
    assert registry.requested_backend({"KERASX_BACKEND": "", "KERAS_BACKEND": "tf"}) == "tf"


def test_default_is_tensorflow_as_in_keras():
    assert registry.requested_backend({}) == "tensorflow"


@pytest.mark.parametrize("name,canonical", [
    ("tensorflow", "tensorflow"), ("tf", "tensorflow"), ("TF", "tensorflow"),
    ("torch", "torch"), ("pytorch", "torch"), (" PyTorch ", "torch"),
    ("mxnet", "mxnet"),
])
def test_names_and_aliases_resolve(name, canonical):
    assert registry.resolve(name) == canonical


def test_the_three_plugins_are_registered():
    assert {"tensorflow", "torch", "mxnet"} <= set(registry.installed_backends())


def test_unknown_name_lists_installed_backends():
    with pytest.raises(UnknownBackendError) as info:
        registry.resolve("jax")
    message = str(info.value)
    assert "'jax'" in message
    for name in ("tensorflow", "torch", "mxnet"):
        assert name in message
    assert "KERASX_BACKEND" in message


def test_missing_framework_names_the_pip_extra(monkeypatch):
    real_find_spec = importlib.util.find_spec

    def find_spec(name, *args, **kwargs):
        return None if name == "torch" else real_find_spec(name, *args, **kwargs)

    monkeypatch.setattr(importlib.util, "find_spec", find_spec)
    plugin = registry.discover()["torch"]
    assert not plugin.is_available()
    with pytest.raises(BackendNotInstalledError) as info:
        plugin.load()
    assert "pip install 'kerasx[torch]'" in str(info.value)
    with pytest.raises(UnknownBackendError) as info:
        registry.resolve("nope")
    assert "torch (or pytorch) [framework not installed]" in str(info.value)


@pytest.mark.parametrize("env,expected", [
    ({"KERASX_BACKEND": "pytorch", "KERAS_BACKEND": "tensorflow"}, "torch"),
    ({"KERAS_BACKEND": "mxnet"}, "mxnet"),
    ({}, "tensorflow"),
])
def test_backend_chosen_at_import(python, env, expected):
    result = python("import kerasx; print(kerasx.backend.backend())", env)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == expected


def test_unknown_backend_fails_at_import(python):
    result = python("import kerasx", {"KERASX_BACKEND": "theano"})
    assert result.returncode != 0
    assert "UnknownBackendError" in result.stderr
    assert "Unknown backend 'theano'. Installed backends:" in result.stderr


@pytest.mark.parametrize("name", ["tensorflow", "torch", "mxnet"])
def test_only_the_chosen_framework_is_imported(python, name):
    if not registry.discover()[name].is_available():
        pytest.skip(f"{name}'s framework is not installed")
    code = ("import sys, kerasx\n"
            "ops = kerasx.backend.get_ops()\n"
            "ops.add(ops.ones((2,)), 1.0)\n"
            "print(sorted(m for m in ('tensorflow', 'torch', 'mxnet') if m in sys.modules))")
    result = python(code, {"KERASX_BACKEND": name})
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == repr([name])


def test_importing_kerasx_imports_no_framework(python):
    code = ("import sys, kerasx, kerasx.backend\n"
            "print(sorted(m for m in ('tensorflow', 'torch', 'mxnet') if m in sys.modules))")
    result = python(code)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "[]"
