"""Make `import keras` resolve to kerasx for one run of an unmodified script.

`install()` puts a finder first on sys.meta_path: `keras` and `keras.<x>` load
as proxies of `kerasx` and `kerasx.<x>`. A name kerasx lacks fails with
`NotSupportedError` (a module) or `NotSupportedAttributeError`, which say that the Keras API is not yet supported by
kerasx, instead of a bare AttributeError deep inside.
"""
import importlib
import importlib.abc
import importlib.machinery
import sys
import types


class NotSupportedError(ImportError):
    """A Keras module that kerasx does not provide (yet)."""


class NotSupportedAttributeError(AttributeError):
    """A Keras attribute that kerasx does not provide (yet)."""


def _message(name):
    from kerasx.backend import backend
    return (f"'{name}' is not yet supported by kerasx (running this script on the "
            f"'{backend()}' backend). See kerasx's README for what is supported.")


_MISSING = object()


class KerasModuleProxy(types.ModuleType):
    """The module a script sees as `keras.<path>`: kerasx's, with clear errors."""

    def __init__(self, keras_name, target):
        super().__init__(keras_name, target.__doc__)
        self.__dict__["_target"] = target
        self.__path__ = []  # a package, so `from keras.x import y` asks our finder
        self.__file__ = getattr(target, "__file__", None)

    def __getattr__(self, attr):
        target = self.__dict__["_target"]
        value = getattr(target, attr, _MISSING)
        if isinstance(value, types.ModuleType) and value.__name__.startswith("kerasx."):
            # keras.layers must be the proxy of kerasx.layers, not the module itself.
            return importlib.import_module(f"{self.__name__}.{attr}")
        if value is not _MISSING:
            return value
        if attr.startswith("__"):
            raise AttributeError(attr)
        try:
            importlib.import_module(f"{target.__name__}.{attr}")
        except ImportError:
            raise NotSupportedAttributeError(_message(f"{self.__name__}.{attr}")) from None
        return importlib.import_module(f"{self.__name__}.{attr}")

    def __dir__(self):
        return dir(self.__dict__["_target"])


class _Loader(importlib.abc.Loader):
    def __init__(self, proxy):
        self.proxy = proxy

    def create_module(self, spec):
        return self.proxy

    def exec_module(self, module):
        pass


class KerasAliasFinder(importlib.abc.MetaPathFinder):
    def find_spec(self, fullname, path=None, target=None):
        if fullname != "keras" and not fullname.startswith("keras."):
            return None
        kerasx_name = "kerasx" + fullname[len("keras"):]
        try:
            module = importlib.import_module(kerasx_name)
        except ModuleNotFoundError as exc:
            if exc.name and kerasx_name.startswith(exc.name):
                raise NotSupportedError(_message(fullname)) from None
            raise
        proxy = KerasModuleProxy(fullname, module)
        spec = importlib.machinery.ModuleSpec(fullname, _Loader(proxy), is_package=True)
        return spec


def install():
    """Resolve `import keras` to kerasx in this process from now on."""
    for name in [n for n in sys.modules if n == "keras" or n.startswith("keras.")]:
        del sys.modules[name]
    if not any(isinstance(f, KerasAliasFinder) for f in sys.meta_path):
        sys.meta_path.insert(0, KerasAliasFinder())
