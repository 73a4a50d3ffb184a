"""Every example runs briefly on every backend, on the offline digits."""
import importlib
import os
import sys

import pytest

from tests.conftest import REPO

EXAMPLES = os.path.join(REPO, "examples")


@pytest.fixture
def example(monkeypatch):
    monkeypatch.setenv("KERASX_EXAMPLE_DATA", "digits")
    monkeypatch.syspath_prepend(EXAMPLES)

    def load(name):
        sys.modules.pop(name, None)
        return importlib.import_module(name)

    return load


@pytest.mark.parametrize("name,threshold", [
    ("mnist_mlp", 0.5), ("mnist_convnet", 0.3), ("subclassed_model", 0.3)])
def test_classifier_examples_learn(backend, example, name, threshold):
    accuracy = example(name).main(["--epochs", "3", "--limit", "600"])
    assert accuracy > threshold  # chance is 0.1


def test_functional_multi_io_example(backend, example):
    results = example("functional_multi_io").main(["--epochs", "2", "--limit", "300"])
    assert {"digit_accuracy", "ink_mae", "loss"} <= set(results)


def test_same_script_three_backends_agrees(example, monkeypatch):
    results, worst = example("same_script_three_backends").main(
        ["--epochs", "1", "--limit", "128"])
    assert {r["backend"] for r in results} == {"tensorflow", "torch", "mxnet"}
    assert worst < 1e-4
