"""The recurrent step loop shared by the `lstm`/`gru` composites and the
generic `keras.layers.RNN` layer.

Everything goes through contract operations of `ops`, so the loop gives the
same numbers on every backend. Semantics are Keras 3's `backend.rnn`:

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


def step_loop(ops, step, inputs, initial_states, mask=None, go_backwards=False,
              zero_output_for_mask=False):
    """Run `step(input_t, states) -> (output_t, new_states)` over time.

    Args:
        ops: the backend.
        step: the step function; `states` and `new_states` are lists.
        inputs: a (batch, time, ...) tensor, or a list of per-step tensors
            (already unstacked, in time order).
        initial_states: list of (batch, ...) tensors.
        mask: None or a (batch, time) bool tensor.

    Returns:
        (last_output, outputs, final_states).
    """
    steps_in = inputs if isinstance(inputs, list) else unstack_time(ops, inputs)
    masks = None
    if mask is not None:
        masks = [ops.expand_dims(m, -1) for m in unstack_time(ops, mask)]
    order = range(len(steps_in) - 1, -1, -1) if go_backwards else range(len(steps_in))
    states = list(initial_states)
    outputs = []
    previous = None
    for t in order:
        output, new_states = step(steps_in[t], states)
        new_states = list(new_states)
        if masks is not None:
            keep = masks[t]
            if zero_output_for_mask or previous is None:
                fallback = ops.zeros_like(output)
            else:
                fallback = previous
            output = ops.where(ops.broadcast_to(keep, ops.shape(output)), output, fallback)
            new_states = [ops.where(ops.broadcast_to(keep, ops.shape(new)), new, old)
                          for new, old in zip(new_states, states)]
            # Keras carries the masked output forward even when it is zeroed.
            previous = output
        states = new_states
        outputs.append(output)
    sequence = ops.stack(outputs, axis=1)
    return outputs[-1], sequence, states
