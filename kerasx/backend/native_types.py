"""Front-end classes combined with a plugin's native base class.

A plugin may ask that every Layer (or Variable) made while it is selected is
also an instance of one of its classes (`Backend.layer_base`,
`Backend.variable_base`): on PyTorch a layer is then a `torch.nn.Module`, on
TensorFlow a variable is seen by `tf.GradientTape`. The backend can change
within one process (`kerasx.backend.set_backend`), so the combination is made
when an object is created, not when its class is defined: `instantiate`
returns an instance of a cached subclass `(front_end_class, native_base)`
that keeps the front-end class's name, module and qualified name, so configs,
registries and `type(x).__name__` still see the kerasx class.
"""
_COMBINED = {}  # (front-end class, native base) -> combined class


def kerasx_class(obj_or_cls):
    """The front-end class of an object (or class) made by `instantiate`."""
    cls = obj_or_cls if isinstance(obj_or_cls, type) else type(obj_or_cls)
    return cls.__dict__.get("_kerasx_class", cls)


def _rebuild(cls):
    # Unpickling and copy.deepcopy: a bare instance of the front-end class
    # made by its own __new__ (hence combined with the backend selected now);
    # the state comes back through __setstate__ / __dict__.
    return cls.__new__(cls)


def _reduce_ex(self, protocol):
    state = self.__getstate__() if hasattr(self, "__getstate__") else self.__dict__
    return _rebuild, (kerasx_class(self),), state


def combined_class(cls, base):
    """The cached subclass of front-end class `cls` and native `base`."""
    key = (cls, base)
    combined = _COMBINED.get(key)
    if combined is None:
        namespace = {"__module__": cls.__module__, "__qualname__": cls.__qualname__,
                     "__doc__": cls.__doc__, "_kerasx_class": cls,
                     "__reduce_ex__": _reduce_ex}
        combined = type(cls.__name__, (cls, base), namespace)
        _COMBINED[key] = combined
    return combined


def instantiate(cls, base=None):
    """A bare (not yet initialised) instance of `cls`, combined with `base`
    when it is a class; `base.__init__` runs on it first (without arguments),
    so that the native part exists before the front end sets attributes.

    The kerasx class's own `__new__` is bypassed: callers are those `__new__`s.
    """
    cls = kerasx_class(cls)
    if base is None:
        return object.__new__(cls)
    obj = object.__new__(combined_class(cls, base))
    base.__init__(obj)
    return obj



def unique_key(key, taken):
    """`key`, or `key_1`, `key_2` ... the first not in `taken`: names of a
    layer's weights and sublayers in a plugin's native containers (two
    weights may share a name)."""
    base, i = key, 1
    while key in taken:
        key = f"{base}_{i}"
        i += 1
    return key
