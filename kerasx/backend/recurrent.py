"""The recurrent step loop shared by the `lstm`/`gru` composites and the
generic `keras.layers.RNN` layer.

Everything goes through contract operations of `ops`, so the loop gives the
same numbers on every backend; the loop itself is the contract's `scan`, so a
compiled step holds one loop body whatever the sequence length. Semantics are Keras 3's `backend.rnn`:

- `inputs` is (batch, time, ...) and is processed step by step, last step
  first when `go_backwards`; the returned sequence is in processing order
  (reversed when `go_backwards`, as Keras returns it).
- `mask` (batch, time) bool: at a masked step the states keep their previous
  values and the output repeats the previous step's output (zeros before the
  first valid step), or is zeros when `zero_output_for_mask`.
- The result is (last_output, outputs (batch, time, ...), final_states).
"""


def unstack_time(ops, x):
    """The list of per-step slices of a (batch, time, ...) tensor."""
    rank = len(ops.shape(x))
    steps = ops.shape(x)[1]
    time_major = ops.transpose(x, (1, 0) + tuple(range(2, rank)))
    if steps == 1:
        return [ops.squeeze(time_major, axis=0)]
    return [ops.squeeze(part, axis=0) for part in ops.split(time_major, steps, axis=0)]


def _time_major(ops, x):
    """(batch, time, ...) as (time, batch, ...), and back (its own inverse)."""
    return ops.transpose(x, (1, 0) + tuple(range(2, len(ops.shape(x)))))


def step_loop(ops, step, inputs, initial_states, mask=None, go_backwards=False,
              zero_output_for_mask=False, initial_output=None, unroll=False):
    """Run `step(input_t, states) -> (output_t, new_states)` over time, as
    one `ops.scan` (a single loop in a compiled step, where the plugin's
    `scan` is native).

    Args:
        ops: the backend.
        step: the step function; `states` and `new_states` are lists.
        inputs: a (batch, time, ...) tensor.
        initial_states: list of (batch, ...) tensors.
        mask: None or a (batch, time) bool tensor.
        initial_output: with a mask, the output repeated before the first
            valid step: zeros shaped as one step's output (default: zeros
            like the first state, the output of Keras's cells).
        unroll: True runs a Python loop (Keras's `unroll`).

    Returns:
        (last_output, outputs, final_states).
    """
    steps = ops.shape(inputs)[1]
    xs = _time_major(ops, inputs)
    carry_output = mask is not None and not zero_output_for_mask
    if mask is not None:
        xs = (xs, _time_major(ops, mask))
    init = [list(initial_states)]
    if carry_output:
        init.append(initial_output if initial_output is not None
                    else ops.zeros_like(initial_states[0]))

    def keep_where(keep, new, old):
        rank = len(ops.shape(new))
        keep = ops.reshape(keep, (ops.shape(keep)[0],) + (1,) * (rank - 1))
        return ops.where(ops.broadcast_to(keep, ops.shape(new)), new, old)

    def f(carry, x):
        states = carry[0]
        x_t, keep = x if mask is not None else (x, None)
        output, new_states = step(x_t, list(states))
        new_states = list(new_states)
        if keep is not None:
            fallback = carry[1] if carry_output else ops.zeros_like(output)
            output = keep_where(keep, output, fallback)
            new_states = [keep_where(keep, new, old) for new, old in zip(new_states, states)]
        # Keras carries the masked output forward even when it is zeroed.
        return ([new_states, output] if carry_output else [new_states]), output

    carry, ys = ops.scan(f, init, xs, reverse=go_backwards, unroll=unroll)
    if go_backwards:  # Keras returns the sequence in processing order
        ys = ops.take(ys, ops.arange(steps - 1, -1, -1, dtype="int32"), axis=0)
    outputs = _time_major(ops, ys)
    last = ops.squeeze(ops.slice(ys, (steps - 1,) + (0,) * (len(ops.shape(ys)) - 1),
                                 (1,) + tuple(ops.shape(ys)[1:])), axis=0)
    return last, outputs, carry[0]
