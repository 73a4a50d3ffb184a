"""Backend discovery and selection.

Plugins are found through the `kerasx.backends` entry point group, so a
third-party package adds a backend by declaring one entry point; nothing in
kerasx names the backends that exist.
"""
import importlib.metadata
import os

from kerasx.backend.errors import UnknownBackendError
from kerasx.backend.plugin import BackendPlugin

ENTRY_POINT_GROUP = "kerasx.backends"
#: Used when neither KERASX_BACKEND nor KERAS_BACKEND is set (as Keras).
DEFAULT_BACKEND = "tensorflow"
#: Environment variables read in order; the first one set wins.
ENV_VARS = ("KERASX_BACKEND", "KERAS_BACKEND")

_plugins = None
_instances = {}


def discover(refresh=False):
    """Map canonical name -> BackendPlugin for every registered plugin."""
    global _plugins
    if _plugins is None or refresh:
        found = {}
        for ep in importlib.metadata.entry_points(group=ENTRY_POINT_GROUP):
            spec = ep.load()
            try:
                plugin = spec if isinstance(spec, BackendPlugin) else BackendPlugin(**spec)
            except TypeError as exc:
                raise TypeError(
                    f"Entry point {ep.name!r} ({ep.value}) in group "
                    f"{ENTRY_POINT_GROUP!r} must give a dict of BackendPlugin "
                    f"fields (name, factory, aliases, requires, install_hint): {exc}"
                ) from exc
            found[plugin.name] = plugin
        _plugins = found
    return _plugins


def installed_backends():
    """Canonical names of all registered plugins, sorted."""
    return sorted(discover())


def requested_backend(environ=None):
    """The backend name asked for by the environment (not yet validated)."""
    environ = os.environ if environ is None else environ
    for var in ENV_VARS:
        value = environ.get(var, "").strip()
        if value:
            return value
    return DEFAULT_BACKEND


def resolve(name):
    """Canonical name of the backend called `name` (or one of its aliases).

    Raises:
        UnknownBackendError: no plugin has that name; lists the installed ones.
    """
    key = str(name).strip().lower()
    plugins = discover()
    for plugin in plugins.values():
        if key == plugin.name or key in plugin.aliases:
            return plugin.name
    names = []
    for plugin in sorted(plugins.values(), key=lambda p: p.name):
        label = plugin.name
        if plugin.aliases:
            label += f" (or {', '.join(plugin.aliases)})"
        if not plugin.is_available():
            label += " [framework not installed]"
        names.append(label)
    raise UnknownBackendError(
        f"Unknown backend {name!r}. Installed backends: "
        f"{'; '.join(names) or 'none'}. Set KERASX_BACKEND to one of them.")


def load(name):
    """The backend instance for `name`, created once per process.

    Raises:
        UnknownBackendError: unknown name.
        BackendNotInstalledError: the plugin's framework is missing.
    """
    canonical = resolve(name)
    if canonical not in _instances:
        _instances[canonical] = discover()[canonical].load()
    return _instances[canonical]
