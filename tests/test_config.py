"""kerasx.config against keras.config: every name Keras 3 has, the debugging
caps of fit (max_epochs, max_steps_per_epoch) honoured as Keras honours them,
the recorded switches, and enable_unsafe_deserialization."""
import warnings

import numpy as np
import pytest

import kerasx
from kerasx import config


def test_every_keras_config_name_exists():
    import keras

    missing = sorted(n for n in dir(keras.config) if not n.startswith("_")
                     and not hasattr(config, n))
    assert missing == []


def test_interactive_logging(backend, capsys, caplog):
    """Disabled, the progress lines go to the "kerasx" logger, not stdout."""
    import logging

    assert config.is_interactive_logging_enabled() is True
    model = kerasx.Sequential([kerasx.Input((2,)), kerasx.layers.Dense(1)])
    model.compile("sgd", "mse")
    x, y = np.ones((4, 2), "float32"), np.ones((4, 1), "float32")
    config.disable_interactive_logging()
    try:
        with caplog.at_level(logging.INFO, logger="kerasx"):
            model.fit(x, y, epochs=2, verbose=2)
    finally:
        config.enable_interactive_logging()
    assert capsys.readouterr().out == ""
    logged = "".join(r.getMessage() for r in caplog.records if r.name == "kerasx")
    assert "Epoch 2/2" in logged and "loss" in logged
    model.fit(x, y, epochs=2, verbose=2)
    assert "Epoch 2/2" in capsys.readouterr().out


@pytest.fixture
def caps():
    try:
        yield
    finally:
        config.set_max_epochs(None)
        config.set_max_steps_per_epoch(None)


def _fit(lib, **kwargs):
    model = lib.Sequential([lib.Input((2,)), lib.layers.Dense(1)])
    model.compile(optimizer="sgd", loss="mse")
    x = np.ones((20, 2), "float32")
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        history = model.fit(x, np.ones((20, 1), "float32"), batch_size=4, verbose=0,
                            **kwargs)
    return model, history, [str(w.message) for w in caught]


def test_max_epochs_and_steps_match_keras(backend, caps):
    import keras

    results = []
    for lib in (keras, kerasx):
        lib.config.set_max_epochs(2)
        lib.config.set_max_steps_per_epoch(3)
        try:
            model, history, messages = _fit(lib, epochs=5)
        finally:
            lib.config.set_max_epochs(None)
            lib.config.set_max_steps_per_epoch(None)
        results.append((len(history.history["loss"]),
                        int(np.asarray(model.optimizer.iterations)),
                        "Limiting epochs to 2" in messages,
                        "Limiting steps_per_epoch to 3" in messages))
    # 5 batches of data: 3 steps, then the 2 left (Keras continues the iterator).
    assert results[0] == results[1] == (2, 5, True, True)
    assert config.max_epochs() is None and config.max_steps_per_epoch() is None
    # Under the cap nothing changes.
    config.set_max_epochs(10)
    _, history, _ = _fit(kerasx, epochs=3)
    assert len(history.history["loss"]) == 3


def test_switches_as_keras():
    import keras

    assert config.is_traceback_filtering_enabled() is \
        keras.config.is_traceback_filtering_enabled() is True
    config.disable_traceback_filtering()
    assert config.is_traceback_filtering_enabled() is False
    config.enable_traceback_filtering()
    assert config.is_traceback_filtering_enabled() is True
    assert config.is_flash_attention_enabled() is keras.config.is_flash_attention_enabled()
    config.enable_flash_attention()
    assert config.is_flash_attention_enabled() is True
    config.disable_flash_attention()
    assert config.is_flash_attention_enabled() is False
    config._FLASH_ATTENTION = None
    assert config.is_nnx_enabled() is False


def test_enable_unsafe_deserialization(tmp_path, python):
    """In a fresh process (the switch is process-wide): a Lambda's bytecode is
    refused, then loads after enable_unsafe_deserialization()."""
    code = f"""
import numpy as np, kerasx
m = kerasx.Sequential([kerasx.Input((2,)), kerasx.layers.Lambda(lambda x: x * 3.0)])
path = {str(tmp_path / 'l.keras')!r}
m.save(path)
try:
    kerasx.saving.load_model(path)
    print("loaded")
except ValueError:
    print("refused")
kerasx.config.enable_unsafe_deserialization()
out = kerasx.saving.load_model(path).predict(np.ones((1, 2), "float32"), verbose=0)
print(float(out[0, 0]))
"""
    result = python(code)
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["refused", "3.0"]
