"""Variables and gradients: creating, reading and writing native variables,
the portable gradient and the fused Adam update.

A mixin of kerasx.backend.contract.Backend (see contract.py for the
conventions every operation follows)."""
from kerasx.backend.op_roles import composite, primitive


class VariablesContract:
    """The variables operations of the contract."""

    # ------------------------------------------------------------------
    # Variables and gradients
    # ------------------------------------------------------------------
    @primitive(tensors=(), public=False)
    def variable(self, value, dtype=None, trainable=True, name=None):
        """A native mutable variable initialised with `value` (NumPy array or
        tensor; dtype as convert_to_tensor), on the current device."""

    @primitive(tensors=(), variables=("variable",), public=False)
    def variable_value(self, variable):
        """The current value of `variable` as a tensor usable in operations and
        differentiable by `value_and_grad`."""

    @primitive(tensors=("value",), variables=("variable",), public=False)
    def assign(self, variable, value):
        """Set `variable` to `value` (same shape; cast to its dtype) in place,
        outside any gradient recording. Returns None."""

    @primitive(tensors=("value",), variables=("variable",), public=False)
    def assign_add(self, variable, value):
        """variable += value in place, outside any gradient recording."""

    @composite(tensors=("value",), variables=("variable",), public=False)
    def assign_sub(self, variable, value):
        """variable -= value in place."""
        self.assign_add(variable, self.negative(self.convert_to_tensor(
            value, self.dtype(self.variable_value(variable)))))

    @primitive(tensors=(), variables=("variables",), public=False)
    def value_and_grad(self, fn, variables):
        """Call `fn()` (no arguments; it reads the variables through
        variable_value) and return (value, grads): its scalar result and the
        gradient with respect to each variable, in order, in the variable's
        dtype; zeros for a variable the result does not depend on."""

    @composite(tensors=("grads", "alpha"),
               variables=("variables", "momentums", "velocities"), public=False)
    def adam_update(self, variables, grads, momentums, velocities, alpha, beta_1, beta_2,
                    epsilon):
        """One Adam step in Keras 3's formula over lists of native variables
        of one floating dtype (grads, momentums and velocities alike):

            m += (g - m) * (1 - beta_1)
            v += (g * g - v) * (1 - beta_2)
            w -= m * alpha / (sqrt(v) + epsilon)

        `alpha` is a 0-d tensor of that dtype (the bias-corrected learning
        rate); beta_1, beta_2 and epsilon are Python floats. Returns None. A
        plugin may override it with multi-tensor kernels computing the same
        element-wise sequence.
        """
        for w, g, m, v in zip(variables, grads, momentums, velocities):
            self.assign_add(m, self.multiply(self.subtract(g, self.variable_value(m)),
                                             1 - beta_1))
            self.assign_add(v, self.multiply(
                self.subtract(self.square(g), self.variable_value(v)), 1 - beta_2))
            self.assign_sub(w, self.divide(
                self.multiply(self.variable_value(m), alpha),
                self.add(self.sqrt(self.variable_value(v)), epsilon)))
