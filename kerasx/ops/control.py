"""keras.ops map, vectorized_map and associative_scan with Keras's argument
conversion: kerasx Variables, NumPy arrays and Python numbers anywhere in
the structure become tensors. The functions passed in receive native
tensors."""
from kerasx.backend import get_ops
from kerasx.ops.loops import _tensors


def map(f, xs):  # noqa: A001 (Keras's name)
    """`f` over the leading axis of `xs`, results stacked; see `Backend.map`."""
    return get_ops().map(f, _tensors(xs))


def vectorized_map(function, elements):
    """`function` over the leading axis of `elements`; see
    `Backend.vectorized_map`."""
    return get_ops().vectorized_map(function, _tensors(elements))


def associative_scan(f, elems, reverse=False, axis=0):
    """Inclusive scan of the associative `f`; see `Backend.associative_scan`."""
    return get_ops().associative_scan(f, _tensors(elems), reverse, axis)
