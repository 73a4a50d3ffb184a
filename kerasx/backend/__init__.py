"""kerasx.backend: the selected backend, the contract and the plugin registry.

The backend is chosen when kerasx is imported: KERASX_BACKEND, then
KERAS_BACKEND, then "tensorflow".
"""
from kerasx.backend import registry
from kerasx.backend.contract import Backend, contract_ops
from kerasx.backend.errors import (BackendError, BackendNotInstalledError,
                                   DeviceNotAvailableError, UnknownBackendError,
                                   UnsupportedOperationError)

_ops = registry.load(registry.requested_backend())


def backend():
    """Canonical name of the backend in use ("tensorflow", "torch", "mxnet")."""
    return _ops.name


def get_ops():
    """The `Backend` instance in use: every contract operation, bound."""
    return _ops


def installed_backends():
    """Canonical names of all registered backend plugins."""
    return registry.installed_backends()
