"""Backend discovery and selection.

Plugins are found through the `kerasx.backends` entry point group, so a
third-party package adds a backend by declaring one entry point; nothing in
kerasx names the backends that exist.
"""
import importlib.metadata
import os

from kerasx.backend.errors import BrokenPluginError, UnknownBackendError
from kerasx.backend.plugin import BackendPlugin

ENTRY_POINT_GROUP = "kerasx.backends"
#: Used when neither KERASX_BACKEND nor KERAS_BACKEND is set (as Keras).
DEFAULT_BACKEND = "tensorflow"
#: Environment variables read in order; the first one set wins.
ENV_VARS = ("KERASX_BACKEND", "KERAS_BACKEND")

_plugins = None
_broken = {}
_instances = {}


def _read(ep):
    """The BackendPlugin an entry point describes.

    Raises:
        Whatever loading the entry point raises; TypeError if it does not
            give a dict of BackendPlugin fields.
    """
    spec = ep.load()
    if isinstance(spec, BackendPlugin):
        return spec
    try:
        return BackendPlugin(**spec)
    except TypeError as exc:
        raise TypeError(
            f"it must give a dict of BackendPlugin fields (name, factory, aliases, "
            f"requires, install_hint), not {spec!r}: {exc}") from exc


def discover(refresh=False):
    """Map canonical name -> BackendPlugin for every registered plugin that
    can be read. An entry point that cannot (a package removed but still
    registered, an import error, a wrong descriptor) is left out and
    recorded in `broken_plugins()`, so that it fails only when selected."""
    global _plugins, _broken
    if _plugins is None or refresh:
        found, broken = {}, {}
        for ep in importlib.metadata.entry_points(group=ENTRY_POINT_GROUP):
            try:
                plugin = _read(ep)
            except Exception as exc:  # any failure of third-party code
                broken[ep.name.strip().lower()] = (f"entry point '{ep.name} = {ep.value}' failed: "
                                   f"{type(exc).__name__}: {exc}")
                continue
            found[plugin.name] = plugin
        _plugins, _broken = found, broken
    return _plugins


def broken_plugins():
    """Map entry point name -> why it cannot be read, for the registered
    plugins `discover()` leaves out."""
    discover()
    return dict(_broken)


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
        BrokenPluginError: `name` is a registered plugin that cannot be read;
            says why.
        UnknownBackendError: no plugin has that name; lists the installed
            ones, and the broken ones with the reason.
    """
    key = str(name).strip().lower()
    plugins = discover()
    for plugin in plugins.values():
        if key == plugin.name or key in plugin.aliases:
            return plugin.name
    if key in _broken:
        raise BrokenPluginError(
            f"The backend plugin {key!r} is registered but broken: {_broken[key]}. "
            "Reinstall or fix the package that provides it, or choose another "
            f"backend with KERASX_BACKEND ({_installed_list(plugins)}).")
    message = (f"Unknown backend {name!r}. Installed backends: "
               f"{_installed_list(plugins)}.")
    if _broken:
        message += " Broken plugins (they cannot be loaded): " + "; ".join(
            f"{ep_name} ({why})" for ep_name, why in sorted(_broken.items())) + "."
    raise UnknownBackendError(message + " Set KERASX_BACKEND to one of the installed "
                              "backends.")


def _installed_list(plugins):
    names = []
    for plugin in sorted(plugins.values(), key=lambda p: p.name):
        label = plugin.name
        if plugin.aliases:
            label += f" (or {', '.join(plugin.aliases)})"
        if not plugin.is_available():
            label += " [framework not installed]"
        names.append(label)
    return "; ".join(names) or "none"


def load(name):
    """The backend instance for `name`, created once per process.

    Raises:
        UnknownBackendError: unknown name.
        BrokenPluginError: the plugin cannot be read.
        BackendNotInstalledError: the plugin's framework is missing.
    """
    canonical = resolve(name)
    if canonical not in _instances:
        _instances[canonical] = discover()[canonical].load()
    return _instances[canonical]
