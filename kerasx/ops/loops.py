"""keras.ops.scan, while_loop and fori_loop: the contract's loops with
Keras's argument conversion (kerasx Variables, NumPy arrays and Python
numbers anywhere in `init`, `xs`, `loop_vars` or `init_val` become tensors).
The functions passed in are called with native tensors."""
from kerasx.backend import get_ops
from kerasx import tree
from kerasx.ops.dispatch import convert_to_tensor


def _tensors(structure):
    if structure is None:
        return None
    return tree.pack_sequence_as(structure, [convert_to_tensor(x) for x in tree.flatten(structure)])


def scan(f, init, xs=None, length=None, reverse=False, unroll=1):
    """Scan `f(carry, x) -> (new_carry, y)` over the leading axis of `xs`;
    returns (final carry, stacked ys). See `Backend.scan`.

    Raises:
        TypeError, ValueError: as `Backend.scan`.
    """
    return get_ops().scan(f, _tensors(init), _tensors(xs), length, reverse, unroll)


def while_loop(cond, body, loop_vars, maximum_iterations=None):
    """`loop_vars = body(*loop_vars)` while `cond(*loop_vars)`. See
    `Backend.while_loop`.

    Raises:
        TypeError, ValueError: as `Backend.while_loop`.
    """
    if isinstance(loop_vars, (list, tuple)):
        loop_vars = type(loop_vars)(_tensors(v) for v in loop_vars)
    else:
        loop_vars = _tensors(loop_vars)
    return get_ops().while_loop(cond, body, loop_vars, maximum_iterations)


def fori_loop(lower, upper, body_fun, init_val):
    """`val = body_fun(i, val)` for i in [lower, upper). See
    `Backend.fori_loop`.

    Raises:
        TypeError, ValueError: as `Backend.fori_loop`.
    """
    return get_ops().fori_loop(lower, upper, body_fun, _tensors(init_val))
