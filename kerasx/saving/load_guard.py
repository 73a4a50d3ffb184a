"""Limits on what a file being loaded may make kerasx allocate.

A config can ask for absurd sizes (a Dense layer with 10**12 units, an Input
of shape (10**9, 10**9)). While a file is loaded (inside `allocation_limits`),
every Variable and every symbolic tensor created is checked here before any
memory is allocated: variables together may not exceed the bytes of weights
the file actually holds (plus a small allowance), and no symbolic tensor may
exceed a fixed number of elements. Outside a load nothing is checked.
"""
import math

import numpy as np

from kerasx.backend.state import STATE, setting
from kerasx.saving.errors import LoadingError

#: Largest symbolic tensor (elements, unknown dims counted as 1) a loaded
#: config may create (layers may run once on zeros of that shape).
MAX_TENSOR_ELEMENTS = 1 << 26
#: Variables a loaded config may create beyond the weights stored in the
#: file (optimizer slots are counted in the file; metrics are small).
VARIABLE_ALLOWANCE_BYTES = 64 << 20


class _Budget:
    def __init__(self, variable_bytes):
        self.remaining = variable_bytes


def allocation_limits(variable_bytes):
    """Check allocations made in the block (in this thread) against
    `variable_bytes`."""
    return setting(load_limits=_Budget(int(variable_bytes) + VARIABLE_ALLOWANCE_BYTES))


def _elements(shape):
    dims = [1 if d is None else d for d in shape]
    for d in dims:
        if not isinstance(d, (int, np.integer)) or d < 0:
            raise LoadingError(f"Invalid shape {tuple(shape)} in the file's config.")
    return math.prod(int(d) for d in dims)


def check_tensor(shape):
    """Called for each symbolic tensor; a no-op outside a load."""
    if STATE.load_limits is None:
        return
    if _elements(shape) > MAX_TENSOR_ELEMENTS:
        raise LoadingError(f"The file's config describes a tensor of shape {tuple(shape)}, "
                           f"more than {MAX_TENSOR_ELEMENTS} elements; refusing to load it.")


def check_variable(shape, dtype):
    """Called before a Variable allocates; a no-op outside a load."""
    budget = STATE.load_limits
    if budget is None or shape is None:
        return
    try:
        itemsize = np.dtype(dtype or "float32").itemsize
    except TypeError:
        itemsize = 8
    size = _elements(shape) * itemsize
    budget.remaining -= size
    if budget.remaining < 0:
        raise LoadingError(
            f"The file's config asks for a variable of shape {tuple(shape)}, more "
            "variable memory than the weights stored in the file; refusing to load it.")
