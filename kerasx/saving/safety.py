"""Checks a config from a file before anything is built from it.

kerasx never imports a module named in a config and resolves classes only
through its registry and `custom_objects` (kerasx/saving/registry.py). These
checks add clear, early refusals for what Keras 3 was attacked with:

- CVE-2024-3660: a Lambda layer whose function is marshalled bytecode runs
  that code when it is deserialized. Any `__lambda__` entry is refused unless
  safe_mode=False.
- CVE-2025-1550: config.json entries naming arbitrary modules and functions
  (e.g. {"module": "keras.config", "class_name":
  "enable_unsafe_deserialization"}, or "os"/"subprocess"/"builtins") were
  imported and called, bypassing safe_mode. Here an entry naming a module
  outside keras/kerasx is refused unless its class was registered by the
  user or passed in custom_objects; function references must be plain public
  names; and there is no global switch a config could flip.
"""
from kerasx.saving.errors import LoadingError
from kerasx.saving.registry import is_user_registered

_TRUSTED_PACKAGES = ("keras", "kerasx")
_MAX_DEPTH = 200


def check_config(config, custom_objects=None, safe_mode=True):
    """Raise LoadingError for anything in `config` kerasx will not load."""
    _walk(config, custom_objects, safe_mode, 0, "config")


def _walk(value, custom_objects, safe_mode, depth, where):
    if depth > _MAX_DEPTH:
        raise LoadingError(f"The config is nested more than {_MAX_DEPTH} levels deep.")
    if isinstance(value, dict):
        if "class_name" in value:
            _check_entry(value, custom_objects, safe_mode, where)
        for key, item in value.items():
            _walk(item, custom_objects, safe_mode, depth + 1, f"{where}.{key}")
    elif isinstance(value, list):
        for i, item in enumerate(value):
            _walk(item, custom_objects, safe_mode, depth + 1, f"{where}[{i}]")


def _check_entry(entry, custom_objects, safe_mode, where):
    class_name = entry.get("class_name")
    module = entry.get("module")
    registered = entry.get("registered_name")
    if not isinstance(class_name, str):
        raise LoadingError(f"Invalid config at {where}: class_name {class_name!r} is not "
                           "a string.")
    if module is not None and not isinstance(module, str):
        raise LoadingError(f"Invalid config at {where}: module {module!r} is not a string.")
    if registered is not None and not isinstance(registered, str):
        raise LoadingError(f"Invalid config at {where}: registered_name {registered!r} is "
                           "not a string.")
    if class_name == "__lambda__":
        if safe_mode is not False:
            raise LoadingError(
                f"The file holds Python bytecode (a Lambda function) at {where}. Loading "
                "it would run arbitrary code from the file, so it is refused with "
                "safe_mode=True (see CVE-2024-3660). If you trust the file, pass "
                "safe_mode=False; otherwise define the function in your code and pass "
                "it in custom_objects.")
        return
    user = is_user_registered(registered, custom_objects) or is_user_registered(
        class_name, custom_objects)
    if class_name in ("function", "__function__"):
        name = entry.get("config")
        if not isinstance(name, str) or not name.isidentifier() or name.startswith("_"):
            raise LoadingError(f"Invalid function reference {name!r} at {where}: only "
                               "public function names are accepted.")
        user = user or is_user_registered(name, custom_objects)
        if module and module.split(".")[0] not in _TRUSTED_PACKAGES + ("builtins",) \
                and not user:
            raise LoadingError(
                f"The config at {where} references function {name!r} from module "
                f"{module!r}. kerasx never imports modules named in a file (see "
                "CVE-2025-1550); pass the function in custom_objects or register it.")
        return
    if class_name.startswith("__") and class_name not in ("__keras_tensor__",):
        raise LoadingError(f"Unsupported special object {class_name!r} at {where}.")
    if module and module.split(".")[0] not in _TRUSTED_PACKAGES and not user:
        raise LoadingError(
            f"The config at {where} names class {class_name!r} from module {module!r}, "
            "which is neither kerasx nor Keras. kerasx never imports modules named in a "
            "file (see CVE-2025-1550): register the class with "
            "kerasx.saving.register_keras_serializable or pass it in custom_objects.")
