"""keras.SymbolicScope: marks the symbolic stage (working out a layer's
output spec), when code may skip work that only a real call needs."""
from kerasx.backend.state import STATE


class SymbolicScope:
    """Scope marking the symbolic stage, as keras.SymbolicScope.

    kerasx opens one while it works out the outputs of a layer called on
    symbolic tensors (`Layer.compute_output_spec`, which runs the layer once
    on zeros); a layer's `call` can test `in_symbolic_scope()` to skip work
    whose result only a real call needs. Per thread.
    """

    def __enter__(self):
        self._outer = STATE.symbolic_scope
        STATE.symbolic_scope = self
        return self

    def __exit__(self, *exc):
        STATE.symbolic_scope = self._outer
        return False


def in_symbolic_scope():
    """True inside a SymbolicScope (in this thread)."""
    return STATE.symbolic_scope is not None


def get_symbolic_scope():
    """The innermost SymbolicScope open in this thread, or None."""
    return STATE.symbolic_scope
