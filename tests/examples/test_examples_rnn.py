"""The recurrent example (examples/text_rnn.py) learns briefly on every backend."""
import importlib
import os
import sys

from tests.conftest import REPO

EXAMPLES = os.path.join(REPO, "examples")


def test_text_rnn_learns(backend, monkeypatch):
    monkeypatch.syspath_prepend(EXAMPLES)
    sys.modules.pop("text_rnn", None)
    text_rnn = importlib.import_module("text_rnn")
    accuracy = text_rnn.main(["--epochs", "2", "--limit", "480", "--units", "16"])
    assert accuracy > 0.65  # balanced classes: chance is 0.5
