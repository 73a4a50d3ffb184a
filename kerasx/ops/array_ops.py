"""keras.ops functions of the array family whose arguments the generated
wrappers (kerasx.ops.dispatch) cannot convert: nested lists and variadic
tensors."""
from kerasx.backend import get_ops
from kerasx.ops.dispatch import convert_to_tensor


def array(x, dtype=None):
    """`x` (a nested list, array, scalar or tensor) as one tensor, cast to
    `dtype` when given."""
    return get_ops().array(convert_to_tensor(x), dtype)


def meshgrid(*x, indexing="xy"):
    """Coordinate grids from 1-D tensors; see `Backend.meshgrid`.

    Raises:
        ValueError: a bad `indexing`.
    """
    return get_ops().meshgrid(*[convert_to_tensor(v) for v in x], indexing=indexing)
