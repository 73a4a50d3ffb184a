"""keras.StatelessScope: a block in which kerasx Variables are read from a
mapping and their assignments recorded instead of applied.

The open scope lives in the per-thread run-time state (kerasx/backend/state.py,
`STATE.stateless_scope`): a scope opened in one thread is invisible to the
others. kerasx/variables.py consults it on every read and write; code that
writes native variables directly (Adam's fused update, metric resets) takes
its ordinary per-variable path while a scope is open.
"""
from kerasx.backend.state import STATE


class StatelessScope:
    """Scope in which no kerasx Variable is updated in place, as
    keras.StatelessScope.

    Inside it, reading a variable gives the value `state_mapping` assigns it
    (or the value last assigned inside the scope, or else its own value);
    `assign`, `assign_add` and `assign_sub` are recorded, not applied, and
    `scope.get_current_value(variable)` returns what was recorded. Scopes
    nest: the innermost one is active.

    Example:

    ```python
    mapping = [(w, ops.ones(w.shape, w.dtype)) for w in model.weights]
    with keras.StatelessScope(mapping) as scope:
        outputs = model(inputs)          # computed with all weights = 1
    # model.weights are unchanged
    ```

    Args:
        state_mapping: an iterable of `(variable, value)` pairs: `variable`
            a kerasx Variable, `value` a tensor, array or Variable of the
            same shape (cast to the variable's dtype).
        collect_losses: when True, losses that layers add (`add_loss`)
            inside the scope are also collected in `scope.losses`.
        initialize_variables: kept for Keras's signature. A kerasx variable
            created inside a scope (from a callable initializer) is
            initialised at once, so there is nothing left to initialise on
            exit.

    Raises:
        ValueError: when a key of `state_mapping` is not a Variable, or its
            value's shape differs from the variable's.
    """

    def __init__(self, state_mapping=None, collect_losses=False, initialize_variables=True):
        from kerasx.backend import get_ops
        from kerasx.variables import Variable

        ops = get_ops()
        self.collect_losses = collect_losses
        self.initialize_variables = initialize_variables
        self.losses = []
        self.state_mapping = {}
        self._outer = None
        for variable, value in state_mapping or ():
            if not isinstance(variable, Variable):
                raise ValueError(
                    "Invalid reference variable in StatelessScope: all keys in argument "
                    f"`mapping` must be Variable instances. Received instead: {variable}")
            if isinstance(value, Variable):
                value = ops.cast(value.value, variable.dtype)
            elif ops.is_tensor(value):
                if ops.dtype(value) != variable.dtype:
                    value = ops.cast(value, variable.dtype)
            else:
                import numpy as np
                value = ops.convert_to_tensor(np.asarray(value), dtype=variable.dtype)
            if tuple(ops.shape(value)) != tuple(variable.shape):
                raise ValueError(
                    "Invalid variable value in StatelessScope: all values in argument "
                    "`mapping` must be tensors with a shape that matches the corresponding "
                    f"variable shape. For variable {variable}, received invalid value with "
                    f"shape {tuple(ops.shape(value))}.")
            self.state_mapping[id(variable)] = value

    def __enter__(self):
        self._outer = STATE.stateless_scope
        STATE.stateless_scope = self
        return self

    def __exit__(self, *exc):
        STATE.stateless_scope = self._outer
        self._outer = None
        return False

    def add_loss(self, loss):
        """Collect a loss tensor (layers call this when `collect_losses`)."""
        self.losses.append(loss)

    def add_update(self, update):
        """Record `(variable, value)`: the variable reads as `value` from now
        on inside the scope."""
        variable, value = update
        self.state_mapping[id(variable)] = value

    def get_current_value(self, variable):
        """The value `variable` has in this scope (mapped or assigned inside
        it), or None when the scope holds none."""
        return self.state_mapping.get(id(variable))


def in_stateless_scope():
    """True inside a StatelessScope (in this thread)."""
    return get_stateless_scope() is not None


def get_stateless_scope():
    """The innermost StatelessScope open in this thread, or None."""
    scope = STATE.stateless_scope
    # A rematerialized call's private scope stands in front of the user's.
    while scope is not None and not isinstance(scope, StatelessScope):
        scope = scope.outer
    return scope
