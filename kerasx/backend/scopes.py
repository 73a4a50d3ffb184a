"""keras.name_scope and keras.device: the scopes Keras code opens around
variable creation and computation."""
from kerasx.backend.state import STATE


class name_scope:  # noqa: N801 (Keras's name: used as `with keras.name_scope(...)`)
    """Prefix the paths of the variables created inside with `name`
    (`with name_scope("outer"): Variable(..., name="v")` has path "outer/v";
    a layer's weights become "outer/dense/kernel"), as keras.name_scope.

    Args:
        name: the scope's name (a string without "/").
        caller: the object opening the scope.
        deduplicate: when the innermost open scope has the same name and the
            same (non-None) caller, do not open another (default True).
        override_parent: a path that replaces the enclosing scopes'.

    Raises:
        ValueError: when `name` is not a string or contains "/".
    """

    def __init__(self, name, caller=None, deduplicate=True, override_parent=None):
        if not isinstance(name, str) or "/" in name:
            raise ValueError("Argument `name` must be a string and cannot contain "
                             f"character `/`. Received: name={name}")
        self.name = name
        self.caller = caller
        self.deduplicate = deduplicate
        self.override_parent = override_parent
        self._saved = None

    def __enter__(self):
        stack = STATE.name_scope
        self._saved = stack
        if self.deduplicate and stack:
            top = stack[-1]
            if self.caller is not None and self.caller is top.caller and \
                    self.name == top.name:
                return self
        STATE.name_scope = stack + (self,)
        return self

    def __exit__(self, *exc):
        STATE.name_scope = self._saved
        return False


def current_path():
    """The path of the name scopes open in this thread ("" outside any)."""
    parts = []
    for scope in STATE.name_scope:
        if scope.override_parent is not None:
            parts = [p for p in scope.override_parent.split("/") if p]
        parts.append(scope.name)
    return "/".join(p for p in parts if p)


def scoped_path(path):
    """`path` under the name scopes open in this thread."""
    prefix = current_path() if STATE.name_scope else ""
    return f"{prefix}/{path}" if prefix else path


def device(device_name):
    """Context manager placing the tensors and variables created inside on
    `device_name` ("cpu", "gpu", "gpu:1", "cuda:0"), as keras.device.

    Raises:
        ValueError: for a name that is not a device name.
        DeviceNotAvailableError: when this machine lacks the device.
    """
    from kerasx.backend import get_ops
    return get_ops().device(device_name)
