"""Rematerialization (gradient checkpointing): outputs computed without
recording, whose gradient recomputes them.

A mixin of kerasx.backend.contract.Backend (see contract.py for the
conventions every operation follows). The front end (kerasx/backend/remat.py)
runs the forward pass itself, without recording, and hands this operation
the function to call again in the backward pass.
"""
from kerasx.backend.op_roles import composite


class RematContract:
    """The rematerialization operation of the contract."""

    @composite(tensors=("primals", "outputs"), public=False)
    def rematerialize(self, f, primals, outputs):
        """`outputs` (a list of float tensors: `f(*primals)`, computed
        without recording gradients) attached to the gradient: returns
        tensors equal to `outputs` whose gradient with respect to `primals`
        (a list of float tensors) is the vector-Jacobian product of `f`,
        found by calling `f(*primals)` again during the backward pass, under
        recording. `f` must give the same values each call (the front end
        replays its random draws and drops its variable writes). Nothing of
        the forward pass's intermediate results is kept.

        Written with `custom_gradient`; each output's backward pass
        recomputes `f` (its vjp is taken with `value_and_grad` over fresh
        variables holding the primals). A plugin may override it with its
        framework's own means of the same gradient.
        """
        primals = list(primals)

        def attach(index):
            def forward(*values):
                def grad_fn(*args, upstream=None):
                    # TensorFlow calls grad_fn(upstream), the others
                    # grad_fn(*values, upstream=upstream).
                    upstream = args[-1] if upstream is None else upstream
                    leaves = [self.variable(p, trainable=True) for p in primals]

                    def weighted():
                        out = f(*[self.variable_value(v) for v in leaves])[index]
                        return self.sum(self.multiply(out, self.cast(upstream,
                                                                     self.dtype(out))))

                    _, grads = self.value_and_grad(weighted, leaves)
                    return tuple(grads)

                # A fresh copy: MXNet must see the output made inside the function.
                return self.copy(outputs[index]), grad_fn

            return self.custom_gradient(forward)(*primals)

        return [attach(i) for i in range(len(outputs))]
