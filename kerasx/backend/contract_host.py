"""Eager calls in the contract: a Python function of a tensor, run eagerly
when a framework's graph runs rather than when it is traced.

kerasx's image augmentation layers draw their parameters on the host from
the portable generator (DESIGN.md rule 5) and rely on static shapes. Inside
a framework's own data pipeline (a `tf.data` map traces its function once,
with the batch size unknown), the layer is instead run eagerly, per batch,
through `run_eagerly`.
"""
from kerasx.backend.op_roles import composite


class HostContract:
    """Eager calls (mixed into `Backend`)."""

    @composite(tensors=("x",), public=False)
    def run_eagerly(self, fn, x, shape, dtype):
        """`fn(x)`, with `x` an eager tensor of this backend (or a list of
        them, then `fn` returns a list), computed each time the graph holding
        the call runs. `shape` (None for unknown sizes) and `dtype` describe
        the result (lists of them for a list). Eager frameworks call `fn`
        now (this default); a plugin whose graphs are traced once and
        replayed (TensorFlow: tf.data maps, tf.function) wraps the call so it
        runs at run time."""
        return fn(x)
