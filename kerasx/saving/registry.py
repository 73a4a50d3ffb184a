"""The registry of serializable classes and Keras-style get/serialize/deserialize.

Deserialization resolves class names only through this registry (kerasx's own
classes and those the user registered or passes as custom objects), never by
importing a module named in a config.
"""
import inspect
import threading

from kerasx.backend import naming
from kerasx.backend.state import STATE, setting

_BUILTIN = {}   # category -> {name: class}
_CUSTOM = {}    # "package>name" -> class (keras.saving.get_custom_objects())


class _Scope(threading.local):
    """The custom objects of the innermost CustomObjectScope, per thread (as
    Keras's, whose global state is thread-local too)."""

    def __init__(self):
        self.objects = {}


SCOPE = _Scope()


def _with_scope(custom_objects):
    """`custom_objects` merged over the active CustomObjectScope's objects."""
    if not SCOPE.objects:
        return custom_objects
    return {**SCOPE.objects, **(custom_objects or {})}


def safe_mode_scope(safe_mode):
    """Deserialize with `safe_mode` in the block, in this thread (passed on to
    every from_config that takes a `safe_mode` argument, e.g. Lambda's).
    None (the default) and True refuse to deserialize Python code (Lambda
    bytecode); only an explicit False allows it."""
    return setting(safe_mode=safe_mode)


_UNSAFE_DESERIALIZATION = [False]  # process-wide, as Keras's global attribute


def enable_unsafe_deserialization():
    """Allow Python bytecode (Lambda functions) in every later load, as
    keras.config.enable_unsafe_deserialization."""
    _UNSAFE_DESERIALIZATION[0] = True


def effective_safe_mode(safe_mode):
    """`safe_mode`, or False once unsafe deserialization was enabled."""
    return False if _UNSAFE_DESERIALIZATION[0] else safe_mode


def in_safe_mode():
    """False only inside safe_mode_scope(False)."""
    return STATE.safe_mode is not False


def is_user_registered(name, custom_objects=None):
    """Whether `name` resolves through custom_objects, an active
    CustomObjectScope or the user's registry."""
    custom_objects = _with_scope(custom_objects)
    return bool(name) and ((custom_objects is not None and name in custom_objects)
                           or name in _CUSTOM)


# Keras's naming: Conv2D -> conv2d, MaxPooling2D -> max_pooling2d.
snake_case = naming.to_snake_case


def register_keras_serializable(package="Custom", name=None):
    """Decorator registering a user class for deserialization, as Keras's."""

    def decorator(cls):
        key = f"{package}>{name or cls.__name__}"
        _CUSTOM[key] = cls
        cls._registered_name = key
        return cls

    return decorator


def get_registered_name(obj):
    """The name `obj` (a class, instance or function) is serialized under:
    "package>name" when registered, else its class name."""
    cls = obj if isinstance(obj, type) else type(obj)
    return getattr(cls, "_registered_name", None) or keras_class_name(cls)


def keras_class_name(cls):
    """The class name Keras writes in configs: the exported name where it
    differs from the class's own (`_keras_class_name`)."""
    for klass in cls.__mro__:
        if "_keras_class_name" in vars(klass):
            # Not for a user's subclass (the plugin's native form of the
            # class keeps its name).
            return klass._keras_class_name if klass.__name__ == cls.__name__ \
                else cls.__name__
    return cls.__name__


def get_registered_object(name, custom_objects=None):
    """The class registered under `name` (custom objects and the active
    CustomObjectScope first), or None."""
    custom_objects = _with_scope(custom_objects)
    if custom_objects and name in custom_objects:
        return custom_objects[name]
    if name in _CUSTOM:
        return _CUSTOM[name]
    for table in _BUILTIN.values():
        if name in table:
            return table[name]
    return None


def register_builtin(category, classes, aliases=None):
    table = _BUILTIN.setdefault(category, {})
    for cls in classes:
        table[cls.__name__] = cls
        if getattr(cls, "_keras_class_name", None):
            # Keras exports some classes under another name
            # (GroupedQueryAttention as GroupQueryAttention).
            table[cls._keras_class_name] = cls
    table.update(aliases or {})
    return table


def make_getter(category, base, classes, call_class=False, functions=None, module=None):
    """(get, serialize, deserialize) for one category of objects.

    `get` accepts None, an instance of `base`, a callable, a string (class
    name, its snake_case form, or a function name) or a config dict.
    """
    table = register_builtin(category, classes)
    by_name = dict(table)
    by_name.update({snake_case(c.__name__): c for c in classes})
    by_name.update(functions or {})

    def deserialize(config, custom_objects=None):
        """The object a Keras config dict (or a name) describes, looked up among
        this category's classes, the user's registrations and `custom_objects`.

        Raises:
            ValueError: the config is malformed, or names an unknown class or a
                class of another category.
        """
        if isinstance(config, str):
            return get(config, custom_objects)
        if not isinstance(config, dict) or "class_name" not in config:
            raise ValueError(f"Could not interpret {category} config: {config!r}.")
        class_name = config["class_name"]
        name = config.get("registered_name") or class_name
        if not isinstance(name, str) or not isinstance(class_name, str):
            raise ValueError(f"Invalid {category} config: class_name {class_name!r}.")
        # Only this category's classes, the user's registrations and
        # custom_objects: a config cannot make a layer out of an optimizer.
        cls = None
        for key in (name, class_name):
            if cls is None and is_user_registered(key, custom_objects):
                cls = get_registered_object(key, custom_objects)
        if cls is None:
            cls = table.get(name) or by_name.get(name) or table.get(class_name) \
                or by_name.get(class_name)
        if cls is None:
            raise ValueError(f"Unknown {category} {class_name!r}; it is not a "
                             "kerasx class and was not registered or passed in "
                             "custom_objects.")
        if isinstance(cls, type):
            if isinstance(base, type) and not issubclass(cls, base):
                raise ValueError(f"{class_name!r} is not a {category} class.")
            inner = config.get("config") or {}
            if not isinstance(inner, dict):
                raise ValueError(f"Invalid {category} config for {class_name!r}: "
                                 f"{inner!r} is not a dict.")
            params = inspect.signature(cls.from_config).parameters
            kwargs = {}
            if "custom_objects" in params:
                kwargs["custom_objects"] = custom_objects
            if "safe_mode" in params:
                kwargs["safe_mode"] = STATE.safe_mode
            return cls.from_config(inner, **kwargs)
        return cls

    def get(identifier, custom_objects=None):
        """The object `identifier` names: None, an instance, a callable, a name
        or a config dict.

        Raises:
            ValueError: an unknown name, or an identifier of another kind.
        """
        if identifier is None:
            return None
        if isinstance(identifier, dict):
            return deserialize(identifier, custom_objects)
        if isinstance(identifier, str):
            scoped = _with_scope(custom_objects) or {}
            obj = scoped.get(identifier) or by_name.get(identifier) \
                or by_name.get(identifier.lower()) or _CUSTOM.get(identifier)
            if obj is None:
                known = sorted(n for n in by_name if n == n.lower())
                raise ValueError(f"Unknown {category} identifier {identifier!r}. "
                                 f"Known: {', '.join(known)}.")
            return obj() if call_class and isinstance(obj, type) else obj
        if isinstance(identifier, base) or callable(identifier):
            return identifier
        raise ValueError(f"Could not interpret {category} identifier: {identifier!r}.")

    def serialize(obj):
        """The Keras config of `obj` (a dict: module, class_name, config,
        registered_name), or the registered name of a class or function."""
        if obj is None:
            return None
        if isinstance(obj, type) or not hasattr(obj, "get_config"):
            name = getattr(obj, "__name__", None)
            if name in by_name and by_name[name] is obj:
                return name
            return get_registered_name(obj)
        return {"module": getattr(type(obj), "_keras_module", None) or module
                or f"keras.{category}s", "class_name": keras_class_name(type(obj)),
                "config": obj.get_config(), "registered_name": get_registered_name(obj)}

    return get, serialize, deserialize
