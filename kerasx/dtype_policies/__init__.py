"""Dtype policies, as keras.dtype_policies: which dtype a layer keeps its
variables in and which it computes in (mixed precision)."""
from kerasx.dtype_policies import dtype_policy as _policies
from kerasx.dtype_policies.dtype_policy import DTypePolicy, FloatDTypePolicy
from kerasx.dtype_policies.dtype_policy_map import DTypePolicyMap

_CLASSES = {"DTypePolicy": DTypePolicy, "FloatDTypePolicy": FloatDTypePolicy,
            "DTypePolicyMap": DTypePolicyMap}


def serialize(dtype_policy):
    """The Keras config of a policy: {"module": "keras", "class_name", "config",
    "registered_name"}."""
    cls = type(dtype_policy)
    class_name = cls.__name__ if cls.__name__ in _CLASSES else "DTypePolicy"
    return {"module": "keras", "class_name": class_name,
            "config": dtype_policy.get_config(), "registered_name": None}


def deserialize(config, custom_objects=None):
    """The policy a config (from `serialize`, kerasx's or Keras's) describes.

    Raises:
        ValueError: for a class that is not a dtype policy.
    """
    if not isinstance(config, dict) or "class_name" not in config:
        raise ValueError(f"Could not interpret dtype policy config: {config!r}.")
    cls = (custom_objects or {}).get(config["class_name"]) or \
        _CLASSES.get(config["class_name"])
    if cls is None:
        raise ValueError(f"Unknown dtype policy class {config['class_name']!r}; kerasx "
                         f"has {', '.join(sorted(_CLASSES))} (no quantized policies).")
    return cls.from_config(config.get("config") or {})


def get(identifier):
    """A policy from None (the global policy), a name, a config dict or a
    policy.

    Raises:
        ValueError: for any other identifier.
    """
    if identifier is None:
        return _policies.dtype_policy()
    if isinstance(identifier, DTypePolicy):
        return identifier
    if isinstance(identifier, dict):
        return deserialize(identifier)
    if isinstance(identifier, str):
        return DTypePolicy(identifier)
    name = getattr(identifier, "name", None)  # a NumPy dtype
    if isinstance(name, str):
        return DTypePolicy(name)
    raise ValueError(f"Cannot interpret `dtype` argument. Expected a string or an "
                     f"instance of DTypePolicy. Received: dtype={identifier}")


__all__ = ["DTypePolicy", "FloatDTypePolicy", "DTypePolicyMap", "get", "serialize",
           "deserialize"]
