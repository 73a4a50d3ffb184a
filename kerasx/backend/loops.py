"""Loops over tensors: the contract's `scan`, `while_loop` and `fori_loop`.

The composites are Python loops over contract operations: native enough for
eager execution, but a compiled step (tf.function, torch.compile, an MXNet
trace) then holds one copy of the body per iteration. A plugin whose framework
has a loop construct keeps the compiled graph's size independent of the
number of iterations with `native_scan`: it supplies only the loop itself
(`loop(step, carry, xs, ys_like, count, reverse)`, on flat lists of tensors)
and this module does the rest, the same way for every plugin:

- the arguments are checked (the errors are the composite's);
- the first iteration runs outside the framework's loop ("peeled"). A
  framework loop must know the dtypes and shapes of the stacked outputs before
  it traces its body, and this gives them without tracing `f` twice; it also
  means that what `f` does once, on its first call (a recurrent cell draws
  its dropout masks on first use and keeps them), happens outside the loop
  body, exactly as in the Python loop. The compiled graph thus holds two
  copies of the body, whatever the length;
- the loop runs the remaining iterations; the first output is stacked with
  theirs.

Semantics are Keras 3's (`keras.ops.scan` is `jax.lax.scan`): `f(carry, x)`
returns `(new_carry, y)`; `new_carry` has the structure, shapes and dtypes of
`init` (checked: a framework loop cannot carry a value whose shape or dtype
changes); the result is `(final carry, ys stacked along a new leading axis)`,
`ys[t]` being the output for `xs[t]` also when `reverse`. A `y` of None gives
None.
"""
from kerasx import tree
from kerasx.backend.state import setting


def _leaves(structure):
    return [] if structure is None else tree.flatten(structure)


def _pack(structure, leaves):
    return None if structure is None else tree.pack_sequence_as(structure, leaves)


def _as_tensors(ops, structure):
    """`structure` with every leaf a tensor (Python numbers and arrays
    converted as convert_to_tensor does)."""
    if structure is None:
        return None
    leaves = [x if ops.is_tensor(x) else ops.convert_to_tensor(x)
              for x in tree.flatten(structure)]
    return tree.pack_sequence_as(structure, leaves)


def _describe(ops, leaves):
    return [(ops.shape(x), ops.dtype(x)) for x in leaves]


def _check_carry(ops, op_name, what, init_leaves, new):
    """The leaves of `new`, which must match `init_leaves` in number, shapes
    and dtypes."""
    new_leaves = _leaves(new)
    if len(new_leaves) != len(init_leaves) or any(
            not ops.is_tensor(x) for x in new_leaves) or _describe(
            ops, new_leaves) != _describe(ops, init_leaves):
        got = [(ops.shape(x), ops.dtype(x)) if ops.is_tensor(x) else type(x).__name__
               for x in new_leaves]
        raise ValueError(
            f"{op_name}: the {what} returned by the loop body must keep the structure, "
            f"shapes and dtypes of the initial value: expected "
            f"{_describe(ops, init_leaves)}, received {got}. Cast the body's result "
            f"(or the initial value) so that they agree.")
    return new_leaves


def check_scan_arguments(ops, f, init, xs, length, unroll):
    """Validate `scan`'s arguments as Keras 3 does; returns (init with tensor
    leaves, xs with tensor leaves, flat xs, number of iterations).

    Raises:
        TypeError: `f` is not callable.
        ValueError: bad `unroll`; neither `xs` nor `length`; `length` not a
            non-negative int or not the leading size of `xs`; `xs` leaves of
            different leading sizes or of rank 0.
    """
    if not callable(f):
        raise TypeError(f"`f` should be a callable. Received: f={f!r}")
    if not isinstance(unroll, bool) and (not isinstance(unroll, int) or unroll < 1):
        raise ValueError("`unroll` must be an positive integer or boolean. "
                         f"Received: unroll={unroll!r}")
    if xs is None and length is None:
        raise ValueError("Got no `xs` to scan over and `length` not provided.")
    if length is not None and (isinstance(length, bool) or not isinstance(length, int)
                               or length < 0):
        raise ValueError(f"`length` must be a non-negative int. Received: length={length!r}")
    init = _as_tensors(ops, init)
    xs = _as_tensors(ops, xs)
    xs_leaves = _leaves(xs)
    sizes = set()
    for x in xs_leaves:
        if len(ops.shape(x)) == 0:
            raise ValueError("scan: every leaf of `xs` needs a leading axis to scan over; "
                             f"received a scalar in xs={xs!r}.")
        sizes.add(ops.shape(x)[0])
    if len(sizes) > 1:
        raise ValueError("scan: the leaves of `xs` must have the same leading size. "
                         f"Received sizes {sorted(sizes)}.")
    count = length if length is not None else sizes.pop()
    if xs_leaves and ops.shape(xs_leaves[0])[0] != count:
        raise ValueError(f"scan: `length`={length} differs from the leading size "
                         f"{ops.shape(xs_leaves[0])[0]} of `xs`.")
    return init, xs, xs_leaves, count


def _slices(ops, x, count):
    """The `count` slices of `x` along its leading axis."""
    if count == 1:
        return [ops.squeeze(x, axis=0)]
    return [ops.squeeze(part, axis=0) for part in ops.split(x, count, axis=0)]


def _slice_at(ops, x, index):
    shape = ops.shape(x)
    return ops.squeeze(ops.slice(x, (index,) + (0,) * (len(shape) - 1),
                                 (1,) + tuple(shape[1:])), axis=0)


def _stack(ops, ys_per_step, reverse):
    """Stack per-iteration lists of output leaves into one tensor per leaf,
    in the order of `xs` (the iterations ran backwards when `reverse`)."""
    if reverse:
        ys_per_step = ys_per_step[::-1]
    return [ops.stack(list(column), axis=0) for column in zip(*ys_per_step)]


def python_scan(ops, f, init, xs=None, length=None, reverse=False, unroll=1):
    """`scan` as a Python loop (the contract's composite)."""
    init, xs, xs_leaves, count = check_scan_arguments(ops, f, init, xs, length, unroll)
    init_leaves = _leaves(init)
    columns = [_slices(ops, x, count) for x in xs_leaves] if count else []
    order = range(count - 1, -1, -1) if reverse else range(count)
    carry, ys, y_structure = init, [], None
    for t in order:
        carry, y = f(carry, _pack(xs, [column[t] for column in columns]))
        carry = _pack(init, _check_carry(ops, "scan", "carry", init_leaves, carry))
        y_structure = y
        ys.append(_leaves(_as_tensors(ops, y)))
    if count == 0:
        raise ValueError("scan: a scan of length 0 has no output to stack (the outputs' "
                         "shapes are those of the loop body's results); give a "
                         "positive `length` or a non-empty `xs`.")
    if y_structure is None:
        return carry, None
    return carry, _pack(y_structure, _stack(ops, ys, reverse))


DRAWS_IN_LOOP = (
    "A random draw inside the body of a compiled loop (scan, while_loop, fori_loop) "
    "would be made once, when the framework traces the loop, and repeated at every "
    "iteration. Draw before the loop and pass the values in `xs` or the carry, or run "
    "eagerly (compile(run_eagerly=True)).")


def refusing_draws(fn):
    """`fn` with random draws refused (a clear error): a framework loop traces
    its body once, so a host draw there would be frozen into every iteration."""
    def call(*args):
        with setting(draws_refused=DRAWS_IN_LOOP):
            return fn(*args)
    return call


def native_scan(ops, loop, f, init, xs=None, length=None, reverse=False, unroll=1):
    """`scan` with the plugin's framework loop for all iterations but the
    first (see the module's docstring).

    `loop(step, carry, xs, ys_like, count, reverse)` receives flat lists:
    the carry's leaves, the `xs` leaves left to scan (leading size `count`,
    at least 1), and the first iteration's output leaves (shapes and
    dtypes of one step's outputs); `step(carry, x) -> (carry, ys)` works on
    flat lists too. It returns (final carry leaves, stacked output leaves in
    the order of `xs`).

    `unroll=True` (Keras: unroll completely) runs the Python loop.
    """
    if unroll is True:
        return python_scan(ops, f, init, xs, length, reverse, unroll)
    init, xs, xs_leaves, count = check_scan_arguments(ops, f, init, xs, length, unroll)
    if count <= 1:
        return python_scan(ops, f, init, xs, length, reverse, unroll)
    init_leaves = _leaves(init)
    first = count - 1 if reverse else 0
    carry, y0 = f(init, _pack(xs, [_slice_at(ops, x, first) for x in xs_leaves]))
    carry_leaves = _check_carry(ops, "scan", "carry", init_leaves, carry)
    y0 = _as_tensors(ops, y0)
    y0_leaves = _leaves(y0)
    start = 0 if reverse else 1
    rest = [ops.slice(x, (start,) + (0,) * (len(ops.shape(x)) - 1),
                      (count - 1,) + tuple(ops.shape(x)[1:])) for x in xs_leaves]

    def step(carry_leaves, x_leaves):
        new_carry, y = f(_pack(init, carry_leaves), _pack(xs, x_leaves))
        new_leaves = _check_carry(ops, "scan", "carry", init_leaves, new_carry)
        y_leaves = _check_carry(ops, "scan", "output", y0_leaves, _as_tensors(ops, y))
        return new_leaves, y_leaves

    carry_leaves, ys_rest = loop(refusing_draws(step), carry_leaves, rest, y0_leaves,
                                 count - 1, reverse)
    ys = []
    for y, stacked in zip(y0_leaves, ys_rest):
        y = ops.expand_dims(y, 0)
        ys.append(ops.concatenate([stacked, y] if reverse else [y, stacked], axis=0))
    return _pack(init, carry_leaves), (None if y0 is None else _pack(y0, ys))


def while_arguments(ops, cond, body, loop_vars, maximum_iterations):
    """Validate `while_loop`'s arguments; returns (whether `loop_vars` is a
    list or tuple, the loop variables as a tuple with tensor leaves).

    Raises:
        TypeError: `cond` or `body` is not callable.
        ValueError: `maximum_iterations` is not None or a non-negative int.
    """
    for name, fn in (("cond", cond), ("body", body)):
        if not callable(fn):
            raise TypeError(f"`{name}` should be a callable. Received: {name}={fn!r}")
    if maximum_iterations is not None and (
            isinstance(maximum_iterations, bool) or not isinstance(maximum_iterations, int)
            or maximum_iterations < 0):
        raise ValueError("`maximum_iterations` must be None or a non-negative int. "
                         f"Received: maximum_iterations={maximum_iterations!r}")
    is_sequence = isinstance(loop_vars, (tuple, list))
    loop_vars = tuple(loop_vars) if is_sequence else (loop_vars,)
    return is_sequence, _as_tensors(ops, loop_vars)


def body_result(ops, result, loop_vars):
    """The body's result as a tuple checked against `loop_vars`."""
    if not isinstance(result, (list, tuple)):
        result = (result,)
    result = tuple(result)
    _check_carry(ops, "while_loop", "loop variables", _leaves(loop_vars), result)
    return result


def python_while_loop(ops, cond, body, loop_vars, maximum_iterations=None):
    """`while_loop` as a Python loop (the contract's composite): `cond` is
    read on the host at every iteration."""
    is_sequence, loop_vars = while_arguments(ops, cond, body, loop_vars,
                                             maximum_iterations)
    iterations = 0
    while maximum_iterations is None or iterations < maximum_iterations:
        keep_going = cond(*loop_vars)
        if not bool(ops.to_numpy(keep_going) if ops.is_tensor(keep_going) else keep_going):
            break
        loop_vars = body_result(ops, body(*loop_vars), loop_vars)
        iterations += 1
    return loop_vars if is_sequence else loop_vars[0]


def fori_loop(ops, lower, upper, body_fun, init_val):
    """`fori_loop` from `scan` when both bounds are Python ints (so native
    wherever `scan` is), else from `while_loop`. `body_fun(i, val)` receives
    `i` as an int32 scalar tensor, as under Keras's TensorFlow backend.

    Raises:
        TypeError: `body_fun` is not callable.
    """
    if not callable(body_fun):
        raise TypeError(f"`body_fun` should be a callable. Received: body_fun={body_fun!r}")

    def static(bound):
        return isinstance(bound, int) and not isinstance(bound, bool)

    if static(lower) and static(upper):
        if upper <= lower:
            return _as_tensors(ops, init_val)

        def f(carry, _):
            i, val = carry
            return (ops.add(i, 1), body_fun(i, val)), None

        start = ops.convert_to_tensor(lower, dtype="int32")
        (_, val), _ = ops.scan(f, (start, init_val), length=upper - lower)
        return val

    def cond(i, _):
        return ops.less(i, upper)

    def body(i, val):
        return ops.add(i, 1), body_fun(i, val)

    if not ops.is_tensor(lower):
        dtype = ops.dtype(upper) if ops.is_tensor(upper) else "int32"
        lower = ops.convert_to_tensor(lower, dtype=dtype)
    return ops.while_loop(cond, body, (lower, init_val))[1]
