"""Dtype policies, as keras.dtype_policies: which dtype a layer keeps its
variables in and which it computes in (mixed precision), and the quantized
policies of quantized layers ("int8_from_float32", "gptq/4/128_from_float32",
...)."""
from kerasx.dtype_policies import dtype_policy as _policies
from kerasx.dtype_policies.dtype_policy import (QUANTIZATION_MODES, DTypePolicy,
                                                FloatDTypePolicy)
from kerasx.dtype_policies.dtype_policy_map import DTypePolicyMap
from kerasx.dtype_policies.quantized_dtype_policy import (AWQDTypePolicy, GPTQDTypePolicy,
                                                          Int4DTypePolicy,
                                                          QuantizedDTypePolicy,
                                                          QuantizedFloat8DTypePolicy,
                                                          quantized_policy_from_name)

_CLASSES = {cls.__name__: cls for cls in (
    DTypePolicy, FloatDTypePolicy, DTypePolicyMap, QuantizedDTypePolicy,
    QuantizedFloat8DTypePolicy, Int4DTypePolicy, GPTQDTypePolicy, AWQDTypePolicy)}
# Keras exports the float policies as keras.DTypePolicy, the others under
# keras.dtype_policies: the "module" of their configs.
_TOP_LEVEL = ("DTypePolicy", "FloatDTypePolicy")


def serialize(dtype_policy):
    """The Keras config of a policy: {"module", "class_name", "config",
    "registered_name"} ("module" is "keras" for DTypePolicy and
    FloatDTypePolicy, "keras.dtype_policies" for the others, as Keras)."""
    cls = type(dtype_policy)
    class_name = cls.__name__ if cls.__name__ in _CLASSES else "DTypePolicy"
    module = "keras" if class_name in _TOP_LEVEL else "keras.dtype_policies"
    return {"module": module, "class_name": class_name,
            "config": dtype_policy.get_config(), "registered_name": None}


def deserialize(config, custom_objects=None):
    """The policy a config (from `serialize`, kerasx's or Keras's) describes;
    a policy name is accepted too, as `get`.

    Raises:
        ValueError: for a class that is not a dtype policy.
    """
    if isinstance(config, str):
        return get(config)
    if not isinstance(config, dict) or "class_name" not in config:
        raise ValueError(f"Could not interpret dtype policy config: {config!r}.")
    cls = (custom_objects or {}).get(config["class_name"]) or \
        _CLASSES.get(config["class_name"])
    if cls is None:
        raise ValueError(f"Unknown dtype policy class {config['class_name']!r}; kerasx "
                         f"has {', '.join(sorted(_CLASSES))}.")
    inner = config.get("config") or {}
    if cls is DTypePolicyMap:
        return cls.from_config(inner, custom_objects=custom_objects)
    return cls.from_config(inner)


def get(identifier):
    """A policy from None (the global policy), a name ("float32",
    "mixed_float16", "int8_from_float32", "int4/128_from_float32",
    "gptq/4/128_from_float32", "awq/4/128_from_float32",
    "float8_from_mixed_float16"), a config dict or a policy.

    Raises:
        ValueError: for an invalid name or any other identifier.
    """
    if identifier is None:
        return _policies.dtype_policy()
    if isinstance(identifier, DTypePolicy):
        return identifier
    if isinstance(identifier, dict):
        return deserialize(identifier)
    if isinstance(identifier, str):
        if identifier.startswith(QUANTIZATION_MODES):
            return quantized_policy_from_name(identifier)
        return DTypePolicy(identifier)
    name = getattr(identifier, "name", None)  # a NumPy dtype
    if isinstance(name, str):
        return DTypePolicy(name)
    raise ValueError(f"Cannot interpret `dtype` argument. Expected a string or an "
                     f"instance of DTypePolicy. Received: dtype={identifier}")


__all__ = ["DTypePolicy", "FloatDTypePolicy", "DTypePolicyMap", "QuantizedDTypePolicy",
           "QuantizedFloat8DTypePolicy", "Int4DTypePolicy", "GPTQDTypePolicy",
           "AWQDTypePolicy", "QUANTIZATION_MODES", "get", "serialize", "deserialize"]
