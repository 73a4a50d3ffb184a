"""Host calls in the contract: a tensor computed by a Python function when
the graph runs, not when it is traced.

Random image augmentation draws its parameters on the host from the portable
generator (DESIGN.md rule 5). Inside a framework's own data pipeline (a
`tf.data` map, which traces its function once), a draw made while tracing
would repeat for every element; `host_call` makes the draw happen at run
time instead.
"""
from kerasx.backend.op_roles import composite


class HostContract:
    """Host calls (mixed into `Backend`)."""

    @composite(tensors=(), public=False)
    def host_call(self, fn, shape, dtype):
        """The tensor of `fn()` (a NumPy array of `shape` and `dtype`),
        called each time the computation runs. Eager frameworks call it now
        (this default); a plugin whose graphs are traced once and replayed
        (TensorFlow's tf.data and tf.function) overrides it to call `fn` at
        run time."""
        return self.convert_to_tensor(fn(), dtype=dtype)
