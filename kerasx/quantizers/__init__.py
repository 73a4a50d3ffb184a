"""Quantization, as keras.quantizers: the quantizer classes, the int8/int4/
float8 quantization functions, and the quantization configs."""
import inspect

from kerasx.quantizers.fake_quant import fake_quant_with_min_max_vars
from kerasx.quantizers.float8 import (compute_float8_amax_history, compute_float8_scale,
                                      quantize_and_dequantize)
from kerasx.quantizers.int4_packing import pack_int4, unpack_int4
from kerasx.quantizers.quantization_config import (AWQConfig, Float8QuantizationConfig,
                                                   GPTQConfig, Int4QuantizationConfig,
                                                   Int8QuantizationConfig, QuantizationConfig)
from kerasx.quantizers.quantizers import (AbsMaxQuantizer, Quantizer, abs_max_quantize,
                                          abs_max_quantize_grouped_with_zero_point,
                                          compute_quantization_parameters,
                                          dequantize_with_sz_map, dequantize_with_zero_point,
                                          quantize_with_sz_map, quantize_with_zero_point)
from kerasx.backend.naming import to_snake_case

# compute_quantization_parameters, (de)quantize_with_zero_point and
# (de)quantize_with_sz_map are importable here, as in Keras's package, for
# GPTQ and AWQ, but are not in Keras's public API (nor in __all__).
_CLASSES = [Quantizer, AbsMaxQuantizer, QuantizationConfig, Int8QuantizationConfig,
            Int4QuantizationConfig, Float8QuantizationConfig, GPTQConfig, AWQConfig]


def _objects():
    objects = {cls.__name__: cls for cls in _CLASSES}
    objects.update({to_snake_case(cls.__name__): cls for cls in _CLASSES})
    return objects


def serialize(initializer):
    """The Keras config of a quantizer (or config object):
    {"module", "class_name", "config", "registered_name"}."""
    from kerasx.saving.serialization import serialize_keras_object
    return serialize_keras_object(initializer)


def deserialize(config, custom_objects=None):
    """The quantizer (or quantization config) a `serialize` config, kerasx's
    or Keras's, describes.

    Raises:
        ValueError: for a config that names no known or custom class.
    """
    if not isinstance(config, dict) or "class_name" not in config:
        raise ValueError(f"Could not interpret quantizer config: {config!r}.")
    from kerasx.saving import registry
    name = config["class_name"]
    cls = None
    for key in (config.get("registered_name"), name):
        if key and registry.is_user_registered(key, custom_objects):
            cls = registry.get_registered_object(key, custom_objects)
            break
    cls = cls or _objects().get(name)
    if cls is None:
        raise ValueError(f"Unknown quantizer class {name!r}: kerasx has "
                         f"{', '.join(sorted(c.__name__ for c in _CLASSES))}; pass a "
                         "custom class in `custom_objects`.")
    return cls.from_config(config.get("config") or {})


def get(identifier, **kwargs):
    """A quantizer from None (None), a config dict, a class name ("AbsMaxQuantizer"
    or "abs_max_quantizer", instantiated with `kwargs` as keyword arguments;
    Keras passes them as one positional dict, which lands in `axis`) or a
    callable.

    Raises:
        ValueError: for anything else.
    """
    if identifier is None:
        return None
    if isinstance(identifier, dict):
        obj = deserialize(identifier)
    elif isinstance(identifier, str):
        obj = _objects().get(identifier)
    else:
        obj = identifier
    if callable(obj):
        return obj(**kwargs) if inspect.isclass(obj) else obj
    raise ValueError(f"Could not interpret quantizer identifier: {identifier}")


__all__ = ["Quantizer", "AbsMaxQuantizer", "QuantizationConfig", "Int8QuantizationConfig",
           "Int4QuantizationConfig", "Float8QuantizationConfig", "GPTQConfig", "AWQConfig",
           "abs_max_quantize", "abs_max_quantize_grouped_with_zero_point",
           "fake_quant_with_min_max_vars", "quantize_and_dequantize", "compute_float8_scale",
           "compute_float8_amax_history", "pack_int4", "unpack_int4", "get", "serialize",
           "deserialize"]
