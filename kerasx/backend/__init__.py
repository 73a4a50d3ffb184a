"""kerasx.backend: the selected backend, the contract and the plugin registry.

The backend is chosen when kerasx is imported: KERASX_BACKEND, then
KERAS_BACKEND, then "tensorflow". An unknown name fails at import; the
framework itself is imported on first use (`get_ops()`), so that importing
kerasx's pure-Python parts never pulls in a framework.
"""
from kerasx.backend import registry
from kerasx.backend.contract import Backend, contract_ops
from kerasx.backend.errors import (BackendError, BackendNotInstalledError,
                                   DeviceNotAvailableError, UnknownBackendError,
                                   UnsupportedOperationError)

_name = registry.resolve(registry.requested_backend())
_ops = None


def backend():
    """Canonical name of the backend in use ("tensorflow", "torch", "mxnet")."""
    return _name


def get_ops():
    """The `Backend` instance in use, loading its framework on first call.

    Raises:
        BackendNotInstalledError: the framework is not installed; the message
            names the pip extra to install.
    """
    global _ops
    if _ops is None:
        _ops = registry.load(_name)
    return _ops


def set_backend(name):
    """Switch the backend for the rest of the process, as keras.config.set_backend.

    Objects made under the previous backend (layers, models, tensors) keep that
    backend's tensors and must be rebuilt. Mostly useful in tests and
    notebooks; scripts choose with KERASX_BACKEND.

    Raises:
        UnknownBackendError, BackendNotInstalledError: as at import.
    """
    global _name, _ops
    ops = registry.load(name)
    _name, _ops = ops.name, ops


def installed_backends():
    """Canonical names of all registered backend plugins."""
    return registry.installed_backends()
