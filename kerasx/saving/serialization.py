"""serialize_keras_object / deserialize_keras_object and CustomObjectScope
(keras.saving), over kerasx's per-category registries.

A config names its category by its `module` ("keras.layers",
"keras.optimizers", ...), which selects the kerasx registry that rebuilds
it; user classes resolve through `custom_objects`, an active
CustomObjectScope or `register_keras_serializable`. Nothing is imported by
the name a config gives (see kerasx/saving/registry.py).
"""
import importlib
import inspect

import numpy as np

from kerasx.saving import registry

# Config "module" -> the kerasx module whose `deserialize` rebuilds it.
_CATEGORY_MODULES = {
    "keras.layers": "kerasx.layers", "keras.models": "kerasx.layers",
    "keras.src.models.functional": "kerasx.layers", "keras": "kerasx.layers",
    "keras.optimizers": "kerasx.optimizers",
    "keras.optimizers.schedules": "kerasx.optimizers.schedules",
    "keras.losses": "kerasx.losses", "keras.metrics": "kerasx.metrics",
    "keras.initializers": "kerasx.initializers",
    "keras.regularizers": "kerasx.regularizers",
    "keras.constraints": "kerasx.constraints",
    "keras.activations": "kerasx.activations",
    "keras.quantizers": "kerasx.quantizers",
    "keras.dtype_policies": "kerasx.dtype_policies",
}
# Where a plain function name ({"class_name": "function"}) is looked up, in order.
_FUNCTION_MODULES = ("kerasx.activations", "kerasx.losses", "kerasx.metrics")


def get_custom_objects():
    """The global dict of registered custom objects ("package>name" -> class
    or function), as keras.saving.get_custom_objects. Entries added to it
    resolve like `register_keras_serializable`'s."""
    return registry._CUSTOM


class CustomObjectScope:
    """Inside `with CustomObjectScope({"name": obj}):`, deserialization (and
    load_model) resolves those names, as keras.saving.CustomObjectScope.
    Scopes nest: the inner one's objects replace the outer's for the block.

    Args:
        custom_objects: a dict {name: class or function}, or None.
    """

    def __init__(self, custom_objects):
        if custom_objects is not None and not isinstance(custom_objects, dict):
            raise TypeError("CustomObjectScope expects a dict {name: object}; received "
                            f"{type(custom_objects).__name__}.")
        self.custom_objects = dict(custom_objects or {})
        self.backup = None

    def __enter__(self):
        self.backup = registry.SCOPE.objects
        registry.SCOPE.objects = dict(self.custom_objects)
        return self

    def __exit__(self, *exc):
        registry.SCOPE.objects = self.backup


custom_object_scope = CustomObjectScope


def _module_of(cls):
    """Keras's public module for a kerasx class (kerasx.layers.core.dense ->
    keras.layers); a user class keeps its own module."""
    explicit = getattr(cls, "_keras_module", None)
    if explicit:
        return explicit
    parts = cls.__module__.split(".")
    if parts[0] != "kerasx":
        return cls.__module__
    if parts[1:3] == ["optimizers", "schedules"]:
        return "keras.optimizers.schedules"
    if parts[1] == "models":
        return "keras.models"
    return "keras." + parts[1]


def serialize_keras_object(obj):
    """A JSON-friendly config of `obj`, as keras.saving.serialize_keras_object:
    None, numbers, strings, lists, tuples and dicts stay themselves (their
    items serialized); NumPy arrays become {"class_name": "__numpy__", ...};
    functions {"class_name": "function", "config": <name>}; objects with
    `get_config` {"module", "class_name", "config", "registered_name"}.

    Raises:
        TypeError: for an object that has no `get_config`.
    """
    if obj is None or isinstance(obj, (bool, int, float, str)):
        return obj
    if isinstance(obj, np.generic):
        return obj.item()
    if isinstance(obj, np.ndarray):
        if obj.ndim == 0:
            return obj.item()
        return {"class_name": "__numpy__",
                "config": {"value": obj.tolist(), "dtype": obj.dtype.name}}
    if isinstance(obj, (list, tuple)):
        return type(obj)(serialize_keras_object(v) for v in obj)
    if isinstance(obj, dict):
        return {k: serialize_keras_object(v) for k, v in obj.items()}
    if isinstance(obj, type) or (callable(obj) and not hasattr(obj, "get_config")):
        registered = getattr(obj, "_registered_name", None)
        if isinstance(obj, type):
            return {"module": _module_of(obj), "class_name": "__typespec__",
                    "config": obj.__name__, "registered_name": registered or obj.__name__}
        return {"module": "builtins", "class_name": "function",
                "config": getattr(obj, "__name__", repr(obj)),
                "registered_name": registered or "function"}
    if not hasattr(obj, "get_config"):
        raise TypeError(f"Cannot serialize object {obj!r} of type {type(obj).__name__}. "
                        "To be serializable, a class must implement the `get_config()` "
                        "method.")
    cls = type(obj)
    registered = getattr(cls, "_registered_name", None)
    if registered is None and not cls.__module__.startswith("kerasx."):
        registered = cls.__name__
    config = {"module": _module_of(cls), "class_name": cls.__name__,
              "config": obj.get_config(), "registered_name": registered}
    build_config = getattr(obj, "get_build_config", None)
    if callable(build_config) and getattr(obj, "built", False):
        built = build_config()
        if built:
            config["build_config"] = built
    return config


def _function(name, custom_objects):
    found = registry.get_registered_object(name, custom_objects)
    if found is not None and callable(found):
        return found
    for module_name in _FUNCTION_MODULES:
        module = importlib.import_module(module_name)
        fn = getattr(module, name, None)
        if callable(fn) and not isinstance(fn, type) and not name.startswith("_"):
            return fn
    raise ValueError(f"Could not locate function {name!r}. Make sure custom functions "
                     "are decorated with `@keras.saving.register_keras_serializable()` "
                     "or passed in `custom_objects`.")


def deserialize_keras_object(config, custom_objects=None, safe_mode=True, **kwargs):
    """The object a config from `serialize_keras_object` (or a Keras 3 file)
    describes, as keras.saving.deserialize_keras_object.

    Args:
        config: a config dict, a plain value, or a list/tuple/dict of them.
        custom_objects: {name: class or function} for the user's objects.
        safe_mode: refuse Python bytecode (Lambda) in the config unless False.

    Raises:
        ValueError: for an unknown class or function name, or a malformed config.
    """
    if config is None or isinstance(config, (bool, int, float)):
        return config
    if isinstance(config, str):
        return config
    if isinstance(config, (list, tuple)):
        return type(config)(deserialize_keras_object(v, custom_objects, safe_mode)
                            for v in config)
    if not isinstance(config, dict):
        raise ValueError(f"Could not deserialize {config!r}: expected a config dict.")
    if "class_name" not in config:
        return {k: deserialize_keras_object(v, custom_objects, safe_mode)
                for k, v in config.items()}
    class_name = config["class_name"]
    inner = config.get("config")
    if class_name == "__numpy__":
        return np.asarray(inner["value"], dtype=inner.get("dtype"))
    if class_name == "__tuple__":
        return tuple(deserialize_keras_object(v, custom_objects, safe_mode)
                     for v in inner["value"])
    if class_name == "__bytes__":
        return inner["value"].encode("utf-8")
    if class_name in ("function", "__function__"):
        registered = config.get("registered_name")
        if registered and registered != "function" and registry.is_user_registered(
                registered, custom_objects):
            return registry.get_registered_object(registered, custom_objects)
        if not isinstance(inner, str):
            raise ValueError(f"Invalid function config {config!r}: `config` must be the "
                             "function's name.")
        return _function(inner, custom_objects)
    if class_name == "__typespec__":
        found = registry.get_registered_object(config.get("registered_name") or inner,
                                               custom_objects)
        if found is None:
            raise ValueError(f"Unknown class {inner!r}: register it or pass it in "
                             "custom_objects.")
        return found
    with registry.safe_mode_scope(safe_mode):
        registered = config.get("registered_name")
        for key in (registered, class_name):
            if registry.is_user_registered(key, custom_objects):
                cls = registry.get_registered_object(key, custom_objects)
                return _from_config(cls, inner or {}, custom_objects)
        module = config.get("module")
        target = _CATEGORY_MODULES.get(module)
        if target is None:
            found = registry.get_registered_object(class_name, custom_objects)
            if found is None:
                raise ValueError(
                    f"Could not locate class {class_name!r} (module {module!r}). Make "
                    "sure custom classes are decorated with "
                    "`@keras.saving.register_keras_serializable()` or passed in "
                    "`custom_objects`.")
            return _from_config(found, inner or {}, custom_objects)
        obj = importlib.import_module(target).deserialize(config, custom_objects)
    build = config.get("build_config")
    if isinstance(build, dict) and build.get("input_shape") is not None \
            and hasattr(obj, "build") and not getattr(obj, "built", True):
        obj.build(tuple(build["input_shape"]))
    return obj


def _from_config(cls, inner, custom_objects):
    if not isinstance(cls, type):
        return cls
    if "custom_objects" in inspect.signature(cls.from_config).parameters:
        return cls.from_config(inner, custom_objects=custom_objects)
    return cls.from_config(inner)
