"""kerasx.ops.gradients.value_and_grad (the portable gradient, a kerasx extension:
Keras 3 has none), and the dry-run switch that skips its backward pass."""
from kerasx.backend import get_ops
from kerasx.backend.state import STATE, setting


def gradients_skipped():
    """Inside the block (in this thread), `value_and_grad` computes the value
    only and returns zero gradients.

    A compiled step's dry run (kerasx.trainers.step_function) runs only to
    learn the random draws the step makes, and its writes are discarded, so
    its gradients are never used: the backward pass would cost time and
    memory for nothing (MXNet's eager backward raised the MNIST convnet's
    peak memory from 311 to 409 MiB).
    """
    return setting(gradients_skipped=True)


def value_and_grad(fn, variables):
    """`fn()` (a scalar tensor) and its gradients with respect to `variables`
    (native variables, e.g. `[v.native for v in model.trainable_variables]`),
    as a list of tensors of their shapes; a variable `fn` does not reach gets
    zeros.

    Raises:
        Exception: whatever `fn` raises, and the backend's error for a
            non-scalar result.
    """
    ops = get_ops()
    if STATE.gradients_skipped:
        variables = list(variables)
        return fn(), [ops.zeros_like(v) for v in variables]
    return ops.value_and_grad(fn, variables)
