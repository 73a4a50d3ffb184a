"""kerasx.backend: the selected backend, the contract and the plugin registry.

The backend is chosen when kerasx is imported: KERASX_BACKEND, then
KERAS_BACKEND, then "tensorflow". An unknown name, or a broken plugin
selected, fails at import (other plugins' failures do not matter); the
framework itself is imported on first use (`get_ops()`), so that importing
kerasx's pure-Python parts never pulls in a framework.
"""
from kerasx.backend import registry
from kerasx.backend.contract import (Backend, OpRole, contract_hooks, contract_ops,
                                     contract_roles)
from kerasx.backend.errors import (BackendError, BackendNotInstalledError,
                                   BrokenPluginError, DeviceNotAvailableError,
                                   UnknownBackendError, UnsupportedOperationError)

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


# -- Keras 3's keras.backend names that programs use (Keras 2-era API) -----------------
# Settings live in kerasx.config; these delegate at call time because
# kerasx.config itself imports this module.
def floatx():
    """The default float dtype ("float32"), as keras.backend.floatx."""
    from kerasx import config
    return config.floatx()


def set_floatx(value):
    """As keras.backend.set_floatx. Raises ValueError for a non-float dtype."""
    from kerasx import config
    config.set_floatx(value)


def epsilon():
    """The fuzz factor (1e-7), as keras.backend.epsilon."""
    from kerasx import config
    return config.epsilon()


def set_epsilon(value):
    """As keras.backend.set_epsilon."""
    from kerasx import config
    config.set_epsilon(value)


def image_data_format():
    """"channels_last" or "channels_first", as keras.backend.image_data_format."""
    from kerasx import config
    return config.image_data_format()


def set_image_data_format(data_format):
    """As keras.backend.set_image_data_format. Raises ValueError for another value."""
    from kerasx import config
    config.set_image_data_format(data_format)


def standardize_dtype(dtype):
    """The canonical name of `dtype` ("float32", ...), as keras.backend.standardize_dtype."""
    from kerasx.backend.dtypes import standardize_dtype as standardize
    return standardize(dtype)


def _dtype_name(dtype):
    # Names kerasx cannot compute in (uint8 images) are still named.
    name = getattr(dtype, "name", None)
    return name if isinstance(name, str) else str(dtype).replace("torch.", "")


def is_float_dtype(dtype):
    """True for a floating dtype, as keras.backend.is_float_dtype."""
    return _dtype_name(dtype).startswith(("float", "bfloat"))


def is_int_dtype(dtype):
    """True for a (signed or unsigned) integer dtype, as keras.backend.is_int_dtype."""
    return _dtype_name(dtype).startswith(("int", "uint"))


def result_type(*dtypes):
    """The dtype two operands promote to, as keras.backend.result_type."""
    from kerasx.ops.dispatch import result_type as promote
    return promote(*dtypes)


def is_keras_tensor(x):
    """True for a symbolic tensor of the functional API (keras.Input() and
    layer outputs on it), as keras.backend.is_keras_tensor."""
    from kerasx.engine.keras_tensor import KerasTensor
    return isinstance(x, KerasTensor)


def get_uid(prefix=""):
    """1, 2, 3, ... per prefix, as keras.backend.get_uid (the counter behind
    layer names; `clear_session` resets it)."""
    from kerasx.layers import layer
    layer._NAME_COUNTS[prefix] += 1
    return layer._NAME_COUNTS[prefix]


def clear_session(free_memory=True):
    """Reset kerasx's global naming state, as keras.backend.clear_session:
    layer, loss and optimizer names start again from "dense", "adam", ...
    (kerasx keeps no global graph, so there is nothing else to free)."""
    from kerasx.layers import layer
    from kerasx.losses import loss
    from kerasx.optimizers import base_optimizer
    for counts in (layer._NAME_COUNTS, loss._NAME_COUNTS, base_optimizer._NAME_COUNTS):
        counts.clear()
