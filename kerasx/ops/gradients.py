"""kerasx.ops.gradients.value_and_grad (the portable gradient, a kerasx extension:
Keras 3 has none), and the dry-run switch that skips its backward pass."""
import contextlib

from kerasx.backend import get_ops


class _State:
    skipped = False


@contextlib.contextmanager
def gradients_skipped():
    """Inside the block, `value_and_grad` computes the value only and returns
    zero gradients.

    A compiled step's dry run (kerasx.trainers.step_function) runs only to
    learn the random draws the step makes, and its writes are discarded, so
    its gradients are never used: the backward pass would cost time and
    memory for nothing (MXNet's eager backward raised the MNIST convnet's
    peak memory from 311 to 409 MiB).
    """
    outer = _State.skipped
    _State.skipped = True
    try:
        yield
    finally:
        _State.skipped = outer


def value_and_grad(fn, variables):
    """`fn()` (a scalar tensor) and its gradients with respect to `variables`
    (native variables, e.g. `[v.native for v in model.trainable_variables]`),
    as a list of tensors of their shapes; a variable `fn` does not reach gets
    zeros.

    Raises:
        Whatever `fn` raises; the backend's errors for a non-scalar result.
    """
    ops = get_ops()
    if _State.skipped:
        variables = list(variables)
        return fn(), [ops.zeros_like(v) for v in variables]
    return ops.value_and_grad(fn, variables)
