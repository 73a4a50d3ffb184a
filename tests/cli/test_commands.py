"""`kerasx --help`, `kerasx --version` and every command's own --help."""
import importlib.metadata
import os
import platform
import subprocess
import sys

import pytest

from kerasx import cli
from tests.conftest import REPO


def kerasx(*args, env=None):
    full_env = {k: v for k, v in os.environ.items() if k not in ("KERASX_BACKEND",)}
    full_env.update(env or {})
    return subprocess.run([sys.executable, "-m", "kerasx", *args], capture_output=True,
                          text=True, cwd=REPO, env=full_env, timeout=300)


def _description(help_text):
    """The paragraph after the usage line(s), as one line."""
    paragraphs = help_text.split("\n\n")
    return " ".join(paragraphs[1].split())


def test_help_lists_every_command_on_one_line():
    result = kerasx("--help")
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    assert lines[0] == "usage: kerasx [--help] [--version] COMMAND ..."
    description = _description(result.stdout)
    assert description.startswith("kerasx: a Keras-compatible front end")
    assert description.endswith(".")
    commands = [line.split() for line in lines if line.startswith("  ") and
                line.split()[0] in cli.COMMANDS]
    assert [c[0] for c in commands] == list(cli.COMMANDS)
    assert {"run", "conformance", "op-conformance", "corpus", "benchmark",
            "backends"} <= set(cli.COMMANDS)
    for words in commands:  # each one line, a whole sentence
        assert " ".join(words[1:]) == cli.COMMANDS[words[0]][1]
        assert words[-1].endswith("."), words


def test_no_command_prints_the_help_and_exits_2():
    result = kerasx()
    assert result.returncode == 2
    assert "commands:" in result.stdout and "backends" in result.stdout


def test_unknown_command_names_the_commands():
    result = kerasx("bogus")
    assert result.returncode == 2
    assert "invalid choice: 'bogus'" in result.stderr
    for name in cli.COMMANDS:
        assert f"'{name}'" in result.stderr


def test_version_is_the_installed_distribution():
    result = kerasx("--version")
    assert result.returncode == 0, result.stderr
    where = os.path.dirname(os.path.abspath(cli.__file__))
    want = (f"kerasx {importlib.metadata.version('kerasx')} from {os.path.dirname(where)} "
            f"(Python {platform.python_version()})")
    assert result.stdout.strip() == want


@pytest.mark.parametrize("command", list(cli.COMMANDS))
def test_every_command_has_its_own_help(command):
    result = kerasx(command, "--help")
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith(f"usage: kerasx {command} ")
    assert _description(result.stdout).endswith(".")
