"""The quantized dtype policies in kerasx against Keras 3: names, dtypes,
quantization modes, equality, configs, errors, dtype_policies.get /
serialize / deserialize both ways, and DTypePolicyMap holding them."""
import json

import pytest

import kerasx
from kerasx import dtype_policies as xd

keras = pytest.importorskip("keras")
kd = keras.dtype_policies

NAMES = ["int8_from_float32", "int8_from_float64", "int4_from_float32", "int4/64_from_float32",
         "int4/-1_from_mixed_float16",
         "float8_from_float32", "float8_from_mixed_float16", "gptq/4/128_from_float32",
         "gptq/2/-1_from_float16", "awq/4/-1_from_float64", "awq/4/32_from_float32"]


def _json(config):
    return json.loads(json.dumps(config))


@pytest.mark.parametrize("name", NAMES)
def test_policy_from_name_is_keras(name):
    x, k = xd.get(name), kd.get(name)
    assert type(x).__name__ == type(k).__name__
    assert (x.name, x.compute_dtype, x.variable_dtype, x.quantization_mode, repr(x)) == \
        (k.name, k.compute_dtype, k.variable_dtype, k.quantization_mode, repr(k))
    for attr in ("block_size", "weight_bits", "group_size", "amax_history_length", "mode"):
        assert getattr(x, attr, None) == getattr(k, attr, None)
    assert x.get_config() == k.get_config()
    assert _json(xd.serialize(x)) == _json(kd.serialize(k))
    # Keras's config loads in kerasx and kerasx's in Keras.
    assert xd.deserialize(_json(kd.serialize(k))) == x
    assert kd.deserialize(_json(xd.serialize(x))) == k
    assert type(x).from_config(x.get_config()) == x
    assert xd.get(x) is x


def test_classes_and_arguments():
    p = xd.QuantizedDTypePolicy("int8", "float32")
    assert p.source_name == "float32" and p == xd.get("int8_from_float32")
    assert p != xd.QuantizedDTypePolicy("int8", "float64")
    assert p != xd.DTypePolicy("float32") and xd.DTypePolicy("float32") != p
    assert p != xd.Int4DTypePolicy("int4/-1", "float32")
    f8 = xd.QuantizedFloat8DTypePolicy("float8", "float32", amax_history_length=16)
    kf8 = kd.QuantizedFloat8DTypePolicy("float8", "float32", amax_history_length=16)
    assert f8.get_config() == kf8.get_config()
    assert f8 != xd.QuantizedFloat8DTypePolicy("float8", "float32")
    assert xd.QuantizedFloat8DTypePolicy.default_amax_history_length == 1024
    assert len({p, xd.get("int8_from_float32"), f8}) == 2
    # The source defaults to the global policy.
    assert xd.QuantizedDTypePolicy("int8").name == kd.QuantizedDTypePolicy("int8").name


_BAD = [
    ("int8", "Cannot convert `policy` into a valid pair"),
    ("int8_from_float32_from_x", "Cannot convert `policy`"),
    ("int8x_from_float32", "Invalid quantization mode"),
    ("int8_from_float16", "doesn't work well with compute_dtype='float16'"),
    ("int4/0_from_float32", "Invalid block_size in mode"),
    ("int4/x_from_float32", "<block_size> must be an integer"),
    ("int4/1/2_from_float32", "Invalid mode for Int4DTypePolicy"),
    ("gptq/5/128_from_float32", "Invalid weight_bits in mode"),
    ("gptq/4/0_from_float32", "Invalid group_size in mode"),
    ("gptq/a/1_from_float32", "must be integers"),
    ("gptq/4_from_float32", "Invalid mode for GPTQDTypePolicy"),
    ("awq/3/1_from_float32", "AWQ only supports 4-bit"),
    ("awq/4/-3_from_float32", "Invalid group_size in mode"),
]


@pytest.mark.parametrize("name,message", _BAD)
def test_errors_match_keras(name, message):
    with pytest.raises(ValueError, match=message) as want:
        kd.get(name)
    with pytest.raises(ValueError, match=message) as got:
        xd.get(name)
    assert str(got.value) == str(want.value)


def test_float8_history_length_type():
    for module in (xd, kd):
        with pytest.raises(TypeError, match="`amax_history_length` must be an integer"):
            module.QuantizedFloat8DTypePolicy("float8", "float32", amax_history_length=2.0)


def test_policy_map_holds_quantized_policies():
    x_map = xd.DTypePolicyMap("float32", {
        "model/dense": "int8_from_float32",
        "model/dense_1": xd.QuantizedFloat8DTypePolicy("float8", "float32", 16),
        "model/block.*": "gptq/4/128_from_float32"})
    k_map = kd.DTypePolicyMap("float32", {
        "model/dense": "int8_from_float32",
        "model/dense_1": kd.QuantizedFloat8DTypePolicy("float8", "float32", 16),
        "model/block.*": "gptq/4/128_from_float32"})
    assert x_map["model/dense"] == xd.get("int8_from_float32")
    assert x_map["model/block_3"] == xd.get("gptq/4/128_from_float32")
    assert x_map["other"] == xd.DTypePolicy("float32")
    assert x_map.quantization_mode is None and k_map.quantization_mode is None
    # kerasx's map config loads in Keras, Keras's (with names) in kerasx.
    k_loaded = kd.deserialize(_json(xd.serialize(x_map)))
    x_loaded = xd.deserialize(_json(kd.serialize(k_map)))
    for key in ("model/dense", "model/dense_1", "model/block_0"):
        assert repr(k_loaded[key]) == repr(kd.get(k_map[key]))  # Keras keeps names as given
        assert x_loaded[key] == x_map[key]
    assert k_loaded["model/dense_1"].amax_history_length == 16
    assert xd.DTypePolicyMap.from_config(x_map.get_config()) == x_map
    assert xd.DTypePolicyMap(default_policy="int8_from_float32").quantization_mode == "int8"


def test_policy_map_without_default_follows_the_global_policy():
    x_map = xd.DTypePolicyMap(None, {"d": "int8_from_float32", "e": "float16"})
    k_map = kd.DTypePolicyMap(None, {"d": kd.get("int8_from_float32"), "e": kd.get("float16")})
    config = _json(x_map.get_config())
    assert config == _json(k_map.get_config())
    assert config["policy_map"]["d"]["config"] == {"mode": "int8", "source_name": None}
    loaded = xd.DTypePolicyMap.from_config(config)
    assert loaded["d"].name == "int8_from_float32"  # the global policy is float32


def test_global_policy_may_be_quantized():
    try:
        kerasx.config.set_dtype_policy("int8_from_float32")
        assert isinstance(kerasx.config.dtype_policy(), xd.QuantizedDTypePolicy)
        assert xd.get(None).quantization_mode == "int8"
    finally:
        kerasx.config.set_dtype_policy("float32")


def test_layer_takes_a_quantized_policy_config():
    policy = kd.get("int8_from_float32")
    layer = kerasx.layers.Dense(2, dtype=xd.deserialize(_json(kd.serialize(policy))))
    assert isinstance(layer.dtype_policy, xd.QuantizedDTypePolicy)
    assert layer.dtype_policy.quantization_mode == "int8"
    assert layer.compute_dtype == "float32"


def test_policy_map_refuses_what_get_cannot_read():
    for module in (xd, kd):
        policy_map = module.DTypePolicyMap("float32")
        with pytest.raises(ValueError, match="Cannot interpret the assigned value"):
            policy_map["d"] = "int8_from_nothing"
