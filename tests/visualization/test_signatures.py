"""kerasx.visualization offers Keras 3's five functions with Keras's
argument names and defaults."""
import inspect

import pytest

import kerasx


def test_same_names_as_keras():
    import keras
    assert sorted(kerasx.visualization.__all__) == sorted(
        n for n in dir(keras.visualization) if not n.startswith("_"))


@pytest.mark.parametrize("name", kerasx.visualization.__all__)
def test_signature_is_keras_signature(name):
    import keras
    ours = inspect.signature(getattr(kerasx.visualization, name)).parameters.values()
    theirs = inspect.signature(getattr(keras.visualization, name)).parameters.values()
    assert [(p.name, p.kind, p.default) for p in ours] == \
        [(p.name, p.kind, p.default) for p in theirs]
    assert inspect.getdoc(getattr(kerasx.visualization, name))
