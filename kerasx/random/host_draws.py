"""Host random draws made inside a step, and how a compiled step receives them.

kerasx draws every random number on the host from the portable generator
(DESIGN.md rule 5). A compiled step (tf.function, torch.compile) runs its
Python body once, at trace time, so a draw made there would be frozen into
the graph. Instead, each draw goes through `host_tensor`:

- eagerly it draws now and converts the array to a tensor;
- while a step's first, eager call is *recorded*, it also logs the draw (a
  closure over the generator and the shape);
- later calls *replay* the log on the host before calling the compiled step,
  which advances every generator exactly as an eager step would, and pass the
  arrays in as inputs; while the step is traced, `host_tensor` returns those
  inputs in order.

So a compiled step draws the same numbers as an eager one, on every backend.
"""
import contextlib

from kerasx.backend import get_ops
from kerasx.backend.state import STATE, setting


def host_tensor(draw, dtype=None):
    """The tensor of `draw()`, a NumPy array drawn from a portable generator.

    Args:
        draw: a function of no arguments returning a NumPy array; it is called
            again, in order, before each call of a compiled step.
        dtype: the tensor's dtype (None: the array's own, as convert_to_tensor).
    """
    if STATE.draws_refused is not None:
        raise RuntimeError(STATE.draws_refused)
    feed = STATE.draw_feed
    if feed is not None:
        position = STATE.draw_position
        if position >= len(feed):
            raise RuntimeError(
                "A compiled step drew more random tensors than its first, eager "
                "call did: the step's random draws must depend only on the shapes "
                "and dtypes of its inputs. Compile with run_eagerly=True.")
        STATE.draw_position = position + 1
        tensor = feed[position]
    else:
        if STATE.draw_log is not None:
            STATE.draw_log.append((draw, dtype))
        tensor = get_ops().convert_to_tensor(draw(), dtype=dtype)
    if STATE.draw_capture is not None:
        STATE.draw_capture.append(tensor)
    return tensor


def tracing():
    """True while the body of a compiled step is being traced (values there are
    symbolic: nothing may be read back to the host)."""
    return STATE.draw_feed is not None


@contextlib.contextmanager
def recording():
    """Log the draws made inside the block (in this thread); yields the log
    for `replay`."""
    log = []
    with setting(draw_log=log):
        yield log


@contextlib.contextmanager
def captured():
    """Keep the tensors drawn inside the block (in this thread), in order:
    yields the list, which `feeding` can give back to a second run of the
    same code (a rematerialized call recomputed in the backward pass). An
    enclosing capture sees them too."""
    outer = STATE.draw_capture
    tensors = []
    with setting(draw_capture=tensors):
        yield tensors
    if outer is not None:
        outer.extend(tensors)


def replay(log):
    """Draw again, in order, what `log` recorded: a list of tensors."""
    ops = get_ops()
    return [ops.convert_to_tensor(draw(), dtype=dtype) for draw, dtype in log]


def feeding(tensors):
    """Inside the block (in this thread), `host_tensor` returns `tensors` in
    order."""
    return setting(draw_feed=list(tensors), draw_position=0)
