"""keras.quantizers' classes and configs in kerasx against Keras 3: the same
configs, the same validation errors, round trips through JSON in both
directions (a config Keras wrote loads in kerasx and the reverse), and
quantizers.get / serialize / deserialize."""
import json

import pytest

import kerasx
from kerasx import quantizers as xq

keras = pytest.importorskip("keras")
kq = keras.quantizers


def _json(config):
    return json.loads(json.dumps(config))


def _pairs():
    return [
        (xq.Int8QuantizationConfig(), kq.Int8QuantizationConfig()),
        (xq.Int8QuantizationConfig(xq.AbsMaxQuantizer(axis=0), None),
         kq.Int8QuantizationConfig(kq.AbsMaxQuantizer(axis=0), None)),
        (xq.Int4QuantizationConfig(), kq.Int4QuantizationConfig()),
        (xq.Int4QuantizationConfig(block_size=64), kq.Int4QuantizationConfig(block_size=64)),
        (xq.Int4QuantizationConfig(xq.AbsMaxQuantizer(value_range=(-8, 7)), block_size=None),
         kq.Int4QuantizationConfig(kq.AbsMaxQuantizer(value_range=(-8, 7)), block_size=None)),
        (xq.Float8QuantizationConfig(), kq.Float8QuantizationConfig()),
        (xq.GPTQConfig(None, None, weight_bits=3, group_size=-1, symmetric=True,
                       activation_order=True, hessian_damping=0.1),
         kq.GPTQConfig(None, None, weight_bits=3, group_size=-1, symmetric=True,
                       activation_order=True, hessian_damping=0.1)),
        (xq.AWQConfig(["text"], None, num_grid_points=5, group_size=32),
         kq.AWQConfig(["text"], None, num_grid_points=5, group_size=32)),
        (xq.AbsMaxQuantizer(axis=(1,), value_range=(-100, 100), epsilon=1e-3),
         kq.AbsMaxQuantizer(axis=(1,), value_range=(-100, 100), epsilon=1e-3)),
        (xq.AbsMaxQuantizer(), kq.AbsMaxQuantizer()),
    ]


@pytest.mark.parametrize("index", range(len(_pairs())))
def test_configs_serialize_as_keras_both_ways(index):
    x, k = _pairs()[index]
    sx, sk = xq.serialize(x), kq.serialize(k)
    assert _json(sx) == _json(sk)
    # Keras reads kerasx's config, kerasx reads Keras's (through JSON, as in a file).
    from_keras = xq.deserialize(_json(sk))
    assert type(from_keras) is type(x)
    assert _json(xq.serialize(from_keras)) == _json(sk)
    # (keras.quantizers.deserialize does not know GPTQConfig: Keras's saving
    # API, which model loading uses, does. Not through JSON: Keras's own
    # Int4QuantizationConfig refuses the list value_range JSON gives back.)
    assert _json(kq.serialize(keras.saving.deserialize_keras_object(sx))) == _json(sk)
    assert _json(xq.serialize(type(x).from_config(x.get_config()))) == _json(sx)
    if hasattr(k, "mode"):
        assert x.mode == k.mode


def test_gptq_and_awq_config_attributes():
    g = xq.GPTQConfig("data", "tok", weight_bits=8, group_size=32)
    assert (g.dataset, g.tokenizer, g.per_channel, g.num_samples, g.sequence_length) == \
        ("data", "tok", True, 128, 512)
    assert g.dtype_policy_string() == kq.GPTQConfig(None, None, weight_bits=8,
                                                    group_size=32).dtype_policy_string()
    assert g.get_config()["dataset"] is None and g.get_config()["tokenizer"] is None
    a = xq.AWQConfig("data", "tok", group_size=-1)
    assert a.dtype_policy_string() == "awq/4/-1" == kq.AWQConfig(
        None, None, group_size=-1).dtype_policy_string()


_BAD = [
    (lambda m: m.GPTQConfig(None, None, weight_bits=5), "Unsupported weight_bits 5"),
    (lambda m: m.GPTQConfig(None, None, num_samples=0), "num_samples must be a positive"),
    (lambda m: m.GPTQConfig(None, None, sequence_length=-1), "sequence_length must be"),
    (lambda m: m.GPTQConfig(None, None, hessian_damping=1.5), "hessian_damping must be"),
    (lambda m: m.GPTQConfig(None, None, group_size=0), "Invalid group_size"),
    (lambda m: m.AWQConfig(None, None, weight_bits=8), "AWQ only supports 4-bit"),
    (lambda m: m.AWQConfig(None, None, num_grid_points=0), "num_grid_points must be"),
    (lambda m: m.AWQConfig(None, None, group_size=-2), "Invalid group_size"),
    (lambda m: m.Int4QuantizationConfig(block_size=0), "block_size must be None, -1"),
    (lambda m: m.Int4QuantizationConfig(m.AbsMaxQuantizer(value_range=(-8, 7))),
     "does not support custom quantizers"),
    (lambda m: m.Int4QuantizationConfig(m.AbsMaxQuantizer(), block_size=-1),
     r"value_range=\(-8, 7\)"),
    (lambda m: m.Int8QuantizationConfig(m.AbsMaxQuantizer(output_dtype="int16",
                                                           value_range=(-300, 300))),
     "output_dtype='int8'"),
    (lambda m: m.AbsMaxQuantizer(value_range=(-200, 127)), r"within the interval \[-128, 127\]"),
]


@pytest.mark.parametrize("make,message", _BAD)
def test_validation_errors_match_keras(make, message):
    with pytest.raises(ValueError, match=message) as want:
        make(kq)
    with pytest.raises(ValueError, match=message) as got:
        make(xq)
    assert str(got.value) == str(want.value)


def test_base_classes():
    with pytest.raises(NotImplementedError):
        xq.QuantizationConfig().mode
    with pytest.raises(NotImplementedError):
        xq.Quantizer().get_config()
    assert xq.Quantizer()(3) == 3 and xq.Quantizer().output_dtype == "int8"
    assert kerasx.Quantizer is xq.Quantizer
    q = xq.AbsMaxQuantizer(axis=1)
    assert q.axis == (1,) and xq.AbsMaxQuantizer(axis=[0, 1]).axis == (0, 1)
    assert xq.QuantizationConfig.weight_quantizer_or_default(None, "d") == "d"
    config = xq.Int8QuantizationConfig(q, None)
    assert xq.QuantizationConfig.weight_quantizer_or_default(config, "d") is q
    assert xq.QuantizationConfig.activation_quantizer_or_default(config, "d") is None


def test_get():
    assert xq.get(None) is None
    q = xq.get("AbsMaxQuantizer", value_range=(-8, 7))
    assert isinstance(q, xq.AbsMaxQuantizer) and q.value_range == (-8, 7)
    assert isinstance(xq.get("abs_max_quantizer"), xq.AbsMaxQuantizer)
    # A config dict gives a quantizer; a (non-callable) quantization config is
    # refused, as Keras does.
    assert isinstance(xq.get(kq.serialize(kq.AbsMaxQuantizer())), xq.AbsMaxQuantizer)
    for module in (xq, kq):
        with pytest.raises(ValueError, match="Could not interpret quantizer identifier"):
            module.get(kq.serialize(kq.Int4QuantizationConfig()))
    same = xq.AbsMaxQuantizer()
    assert xq.get(same) is same
    with pytest.raises(ValueError, match="Could not interpret quantizer identifier"):
        xq.get("no_such_quantizer")
    with pytest.raises(ValueError, match="Unknown quantizer class"):
        xq.deserialize({"class_name": "Nope", "config": {}})


def test_validate_and_resolve_config():
    from keras.src.quantizers.quantization_config import validate_and_resolve_config as ref
    from kerasx.quantizers.quantization_config import validate_and_resolve_config as got
    for mode in ("int8", "int4", "float8"):
        assert got(mode, None).mode == ref(mode, None).mode == mode
        assert got(None, mode).mode == mode
    g = xq.GPTQConfig(None, None)
    assert got("gptq", g) is g and got(None, g) is g
    for mode, config, message in [("gptq", None, "you must pass a `GPTQConfig`"),
                                  ("awq", None, "you must pass an `AWQConfig`"),
                                  (None, None, "You must provide either"),
                                  ("int3", None, "Invalid quantization mode"),
                                  ("int8", 3, "must be an instance"),
                                  ("int4", "int8_config", "Contradictory arguments")]:
        if config == "int8_config":
            config, kconfig = xq.Int8QuantizationConfig(), kq.Int8QuantizationConfig()
        else:
            kconfig = config
        with pytest.raises(ValueError, match=message) as want:
            ref(mode, kconfig)
        with pytest.raises(ValueError, match=message) as have:
            got(mode, config)
        assert str(have.value) == str(want.value)
