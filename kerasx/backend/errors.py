"""Errors raised by backend selection, plugins and contract operations."""


class BackendError(Exception):
    """Base class of kerasx's backend errors."""


class UnknownBackendError(BackendError, ValueError):
    """The requested backend name matches no installed plugin."""


class BackendNotInstalledError(BackendError, ImportError):
    """The plugin exists but the framework it needs is not installed."""


class BrokenPluginError(BackendError, ImportError):
    """A registered plugin cannot be read: its entry point fails to load or
    does not describe a backend. Raised only when that backend is selected."""


class UnsupportedOperationError(BackendError, NotImplementedError):
    """A plugin does not implement a contract operation."""

    def __init__(self, op, backend):
        self.op = op
        self.backend = backend
        super().__init__(
            f"Operation '{op}' is not supported by the '{backend}' backend. "
            "Choose another backend with KERASX_BACKEND, or implement the "
            "operation in the plugin."
        )


class DeviceNotAvailableError(BackendError, RuntimeError):
    """The requested device does not exist on this machine."""
