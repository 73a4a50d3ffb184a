"""How kerasx describes a backend plugin.

A plugin package registers, under the `kerasx.backends` entry point group, a
plain dict of this class's fields (so discovery imports neither kerasx nor any
framework); the registry turns it into a `BackendPlugin`.
"""
import dataclasses
import importlib
import importlib.util

from kerasx.backend.errors import BackendNotInstalledError


@dataclasses.dataclass(frozen=True)
class BackendPlugin:
    """How to find and load one backend.

    Attributes:
        name: canonical backend name (what `kerasx.backend.backend()` returns).
        factory: "module:Class" of the `Backend` subclass; imported on load.
        aliases: other names accepted in KERASX_BACKEND / KERAS_BACKEND.
        requires: top-level modules that must be importable (the framework).
        install_hint: what to run when they are missing.
    """

    name: str
    factory: str
    aliases: tuple = ()
    requires: tuple = ()
    install_hint: str = ""

    def missing_requirements(self):
        """The required modules that are not installed (nothing is imported)."""
        return [m for m in self.requires if importlib.util.find_spec(m) is None]

    def is_available(self):
        return not self.missing_requirements()

    def load(self):
        """Import the framework and return a new instance of the backend.

        Raises:
            BackendNotInstalledError: the framework is missing or fails to
                import; the message says what to install.
        """
        missing = self.missing_requirements()
        if missing:
            raise BackendNotInstalledError(
                f"The '{self.name}' backend needs {', '.join(missing)}, which is "
                f"not installed. {self.install_hint}".rstrip())
        module_name, _, class_name = self.factory.partition(":")
        try:
            module = importlib.import_module(module_name)
        except ImportError as exc:
            raise BackendNotInstalledError(
                f"The '{self.name}' backend failed to import its framework: {exc}. "
                f"{self.install_hint}".rstrip()) from exc
        return getattr(module, class_name)()
