"""kerasx: a Keras-compatible front end over pluggable backends.

`import kerasx as keras` gives the Keras 3 public API; the backend is chosen
by KERASX_BACKEND (then KERAS_BACKEND, then "tensorflow").
"""
__version__ = "0.1.0"

from kerasx import backend, config  # noqa: E402  (the backend is chosen here)
from kerasx import (activations, applications, callbacks, constraints, datasets, initializers,  # noqa: E402
                    layers, losses, metrics, models, ops, optimizers, preprocessing,
                    random, regularizers, saving, tree, utils, wrappers)
from kerasx import dtype_policies, mixed_precision, quantizers  # noqa: E402
from kerasx import distillation, visualization  # noqa: E402
from kerasx.dtype_policies import DTypePolicy, FloatDTypePolicy  # noqa: E402
from kerasx.layers import Input, Layer  # noqa: E402
from kerasx.models import Model, Sequential  # noqa: E402
from kerasx.variables import Variable  # noqa: E402
from kerasx.ops.function import Function  # noqa: E402
from kerasx.ops.operation import Operation  # noqa: E402
from kerasx.backend.scopes import device, name_scope  # noqa: E402
from kerasx.backend.stateless_scope import StatelessScope  # noqa: E402
from kerasx.backend.symbolic_scope import SymbolicScope  # noqa: E402
from kerasx.backend.remat import RematScope, remat  # noqa: E402
from kerasx.engine.keras_tensor import KerasTensor  # noqa: E402
from kerasx.initializers.base import Initializer  # noqa: E402
from kerasx.layers.input_spec import InputSpec  # noqa: E402
from kerasx.losses.loss import Loss  # noqa: E402
from kerasx.metrics.metric import Metric  # noqa: E402
from kerasx.optimizers.base_optimizer import Optimizer  # noqa: E402
from kerasx.regularizers import Regularizer  # noqa: E402
from kerasx.quantizers import Quantizer  # noqa: E402


def version():
    """kerasx's version string (keras.version() gives Keras's)."""
    return __version__
