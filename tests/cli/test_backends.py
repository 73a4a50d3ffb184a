"""`kerasx backends`: every registered plugin with its framework's version, its
devices and whether it imports (and why not)."""
import importlib.metadata
import json
import os
import subprocess
import sys
import textwrap

import pytest

from tests.conftest import AVAILABLE_BACKENDS, REPO

FRAMEWORK_MODULE = {"tensorflow": "tensorflow", "torch": "torch", "mxnet": "mxnet"}


def kerasx(*args, extra_path=None):
    env = {k: v for k, v in os.environ.items() if k not in ("KERASX_BACKEND", "KERAS_BACKEND")}
    if extra_path:
        env["PYTHONPATH"] = os.pathsep.join([extra_path] + [p for p in [env.get("PYTHONPATH")]
                                                            if p])
    return subprocess.run([sys.executable, "-m", "kerasx", *args], capture_output=True,
                          text=True, cwd=REPO, env=env, timeout=600)


def distribution_version(module):
    """The version of the distribution that provides `module`, from its
    metadata (the framework is not imported here)."""
    (dist, *_) = importlib.metadata.packages_distributions()[module]
    return importlib.metadata.version(dist)


@pytest.fixture(scope="module")
def listing():
    result = kerasx("backends")
    assert result.returncode == 0, result.stdout + result.stderr
    return result.stdout


def test_each_installed_backend_is_listed_with_its_framework_version(listing):
    lines = listing.splitlines()
    assert lines[0].split() == ["backend", "status", "framework", "devices", "aliases"]
    rows = {line.split()[0]: line.split() for line in lines[2:] if line.strip()}
    assert AVAILABLE_BACKENDS, "no backend installed"
    for name in AVAILABLE_BACKENDS:
        module = FRAMEWORK_MODULE[name]
        assert rows[name][1:4] == ["ok", module, distribution_version(module)], rows[name]
        assert "cpu:0" in " ".join(rows[name][4:])
    assert lines[-1] == "selected: tensorflow (the default; set KERASX_BACKEND to choose)"


def test_json_survey():
    result = kerasx("backends", "--json")
    assert result.returncode == 0, result.stderr
    survey = json.loads(result.stdout)
    for name in AVAILABLE_BACKENDS:
        assert survey[name]["status"] == "ok"
        assert "cpu:0" in survey[name]["devices"]


@pytest.fixture
def fake_plugins(tmp_path):
    """Two plugins registered through an entry point of a fake distribution:
    one whose framework is missing, one whose framework fails to import."""
    info = tmp_path / "kerasx_fakes-1.0.dist-info"
    info.mkdir()
    (info / "METADATA").write_text("Metadata-Version: 2.1\nName: kerasx-fakes\nVersion: 1.0\n")
    (info / "entry_points.txt").write_text(textwrap.dedent("""\
        [kerasx.backends]
        fakemissing = kerasx_fakes:MISSING
        fakebroken = kerasx_fakes:BROKEN
        """))
    (tmp_path / "kerasx_fakes.py").write_text(textwrap.dedent("""\
        MISSING = dict(name="fakemissing", factory="kerasx_fakes:Nothing",
                       requires=("no_such_framework_xyz",),
                       install_hint="Install it with: pip install no-such-framework")
        BROKEN = dict(name="fakebroken", factory="kerasx_fakes_impl:Backend",
                      requires=("json",))
        """))
    (tmp_path / "kerasx_fakes_impl.py").write_text(
        "raise ImportError('libfake.so: cannot open shared object file')\n")
    return str(tmp_path)


def test_missing_and_failing_backends_say_why(fake_plugins):
    result = kerasx("backends", extra_path=fake_plugins)
    assert result.returncode == 1  # a backend with its framework installed fails
    rows = {line.split()[0]: line for line in result.stdout.splitlines() if line.strip()}
    assert rows["fakemissing"].split()[1:3] == ["not", "installed"]
    assert rows["fakebroken"].split()[1] == "fails"
    details = {line.split(":")[0]: line for line in result.stdout.splitlines()}
    assert details["fakemissing"] == ("fakemissing: needs no_such_framework_xyz. Install it "
                                      "with: pip install no-such-framework")
    assert "libfake.so: cannot open shared object file" in details["fakebroken"]
    for name in AVAILABLE_BACKENDS:  # the real ones are still listed as usable
        assert rows[name].split()[1] == "ok"
