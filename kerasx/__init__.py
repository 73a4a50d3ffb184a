"""kerasx: a Keras-compatible front end over pluggable backends.

`import kerasx as keras` gives the Keras 3 public API; the backend is chosen
by KERASX_BACKEND (then KERAS_BACKEND, then "tensorflow").
"""
__version__ = "0.1.0"

from kerasx import backend, config  # noqa: E402  (the backend is chosen here)
from kerasx import (activations, applications, callbacks, constraints, datasets, initializers,  # noqa: E402
                    layers, losses, metrics, models, ops, optimizers, preprocessing,
                    random, regularizers, saving, tree, utils, wrappers)
from kerasx.layers import Input, Layer  # noqa: E402
from kerasx.models import Model, Sequential  # noqa: E402
from kerasx.variables import Variable  # noqa: E402
