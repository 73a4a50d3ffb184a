"""Model.quantize / Layer.quantize against Keras 3: the same errors for
bad arguments, the same warnings for layers without quantization, filters,
and .keras files of quantized models read both ways (kerasx -> Keras 3,
Keras 3 -> kerasx) with the same outputs."""
import os
import re
import warnings

import numpy as np
import pytest

import kerasx
from tests.layers.quantization import parity


def _error(fn):
    try:
        fn()
    except Exception as exc:  # noqa: BLE001 - the type and text are compared
        return type(exc).__name__, str(exc)
    return None


def _built(lib):
    return parity.dense_model(lib)


ERROR_CASES = {
    "unknown mode": lambda lib, m: m.quantize("int16"),
    "no mode": lambda lib, m: m.quantize(None),
    "bad filters": lambda lib, m: m.quantize("int8", filters=3),
    "unknown keyword": lambda lib, m: m.quantize("int8", foo=3),
    "gptq without config": lambda lib, m: m.quantize("gptq"),
    "config not a config": lambda lib, m: m.quantize(config=3),
    "contradictory": lambda lib, m: m.quantize(
        "int4", config=lib.quantizers.Int8QuantizationConfig()),
    "unbuilt": lambda lib, m: lib.Sequential([lib.layers.Dense(3)]).quantize("int8"),
}


@pytest.mark.parametrize("case", sorted(ERROR_CASES))
def test_errors_as_keras(backend, case):
    import keras
    want = _error(lambda: ERROR_CASES[case](keras, _built(keras)))
    got = _error(lambda: ERROR_CASES[case](kerasx, _built(kerasx)))
    assert want is not None
    # Model names differ (sequential_3 vs sequential_7): compare without them.
    strip = lambda e: (e[0], re.sub(r"sequential_\d+", "sequential", e[1]))  # noqa: E731
    assert strip(got) == strip(want)


def test_layer_errors_as_keras(backend):
    import keras

    def already(lib):
        m = _built(lib)
        m.quantize("int8")
        return m.layers[0].quantize("int8")

    def float16(lib):
        layer = lib.layers.Dense(3, dtype="mixed_float16")
        layer.build((2, 4))
        return layer.quantize("int8")

    def subclass(lib):
        class MyDense(lib.layers.Dense):
            pass
        layer = MyDense(3)
        layer.build((2, 4))
        return layer.quantize("int8")

    for fn in (already, float16, subclass):
        assert _error(lambda: fn(kerasx)) == _error(lambda: fn(keras))


def test_subclass_with_type_check_off(backend):
    class MyDense(kerasx.layers.Dense):
        pass

    layer = MyDense(3)
    layer.build((2, 4))
    layer.quantize("int8", type_check=False)
    assert layer.quantization_mode == "int8" and layer.kernel.dtype == "int8"


def test_warns_for_layers_without_quantization(backend):
    def build(lib):
        return lib.Sequential([lib.Input((6,)), lib.layers.Dense(4), lib.layers.Dropout(0.1),
                               lib.layers.Dense(2)])

    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        model = build(kerasx)
        model.quantize("int8")
    messages = [str(w.message) for w in caught]
    assert "Layer Dropout does not have a `quantize` method implemented." in messages
    assert [layer.quantization_mode for layer in model.layers] == ["int8", None, "int8"]


@pytest.mark.parametrize("filters", ["d1", ["nothing", "^d2$"], "callable"])
def test_filters(backend, filters):
    if filters == "callable":
        filters = lambda layer: layer.name == "d2"  # noqa: E731
    ref, model = parity.twins(parity.dense_model, "int8", filters=filters)
    assert [l.quantization_mode for l in model.layers] == \
        [l.quantization_mode for l in ref.layers]
    x = parity.data((3, 6))
    parity.assert_close(model(x), ref(x), "output")


def test_config_round_trip(backend):
    _, model = parity.twins(parity.dense_model, "int4")
    config = model.layers[0].get_config()
    assert config["dtype"]["class_name"] == "Int4DTypePolicy"
    assert config["quantization_config"]["class_name"] == "Int4QuantizationConfig"
    clone = kerasx.layers.Dense.from_config(config)
    clone.build((None, 6))
    assert [(v.name, v.shape, v.dtype) for v in clone.weights] == \
        [(v.name, v.shape, v.dtype) for v in model.layers[0].weights]


MODES = ["int8", "int4", "float8"]


def _mixed(lib):
    return lib.Sequential([lib.Input((3,), dtype="int32"), lib.layers.Embedding(10, 6),
                           lib.layers.Flatten(), lib.layers.Dense(5, activation="relu"),
                           lib.layers.Dense(2)])


@pytest.mark.parametrize("mode", MODES)
def test_kerasx_file_loads_in_keras(backend, mode, tmp_path):
    import keras
    _, model = parity.twins(_mixed, None)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        model.quantize(mode)
    ids = np.array([[1, 2, 3], [9, 0, 4]], "int32")
    path = os.path.join(tmp_path, f"{mode}.keras")
    model.save(path)
    loaded = keras.models.load_model(path)
    parity.assert_close(loaded.predict(ids, verbose=0), model.predict(ids, verbose=0),
                        "Keras's prediction from the kerasx file")
    again = kerasx.models.load_model(path)
    parity.assert_close(again.predict(ids, verbose=0), model.predict(ids, verbose=0),
                        "kerasx round trip")


@pytest.mark.parametrize("mode", MODES)
def test_keras_file_loads_in_kerasx(backend, mode, tmp_path):
    ref, _ = parity.twins(_mixed, None)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        ref.quantize(mode)
    ids = np.array([[1, 2, 3], [9, 0, 4]], "int32")
    path = os.path.join(tmp_path, f"keras_{mode}.keras")
    ref.save(path)
    loaded = kerasx.models.load_model(path)
    parity.assert_close(loaded.predict(ids, verbose=0), ref.predict(ids, verbose=0),
                        "kerasx's prediction from the Keras file")
    # As Keras's own loading of the file (a layer built from a float8 policy
    # orders its weights differently from one quantized after building).
    import keras
    for ref_layer, layer in zip(keras.models.load_model(path).layers, loaded.layers):
        parity.assert_same_variables(ref_layer, layer)


def test_setting_a_quantized_policy_quantizes(backend):
    """As Keras: a built float layer given an int8 policy is quantized."""
    import keras
    ref, layer = keras.layers.Dense(3), kerasx.layers.Dense(3)
    ref.build((None, 4))
    layer.build((None, 4))
    layer.set_weights(ref.get_weights())
    ref.dtype_policy = "int8_from_float32"
    layer.dtype_policy = "int8_from_float32"
    parity.assert_same_variables(ref, layer)
    x = parity.data((2, 4))
    parity.assert_close(layer(x), ref(x), "output")
