"""A training loss that cannot hide NaN weights.

The fast relu kernels of two frameworks map NaN to 0: MXNet's MKL-DNN
Activation, and the fused oneDNN kernels TensorFlow's graph optimiser puts in
compiled steps (Keras 3 on TensorFlow shares this). A NaN in the input then
gives a finite loss while the gradients, and so the weights after the update,
are NaN: training looks healthy and `TerminateOnNaN` never fires. torch and
TensorFlow eager report NaN. The exact relu kernels cost MXNet about 50% of a
convnet step (they leave MKL-DNN's layout), so the train step checks the
gradients instead: a few reductions over the weights' size, inside the
compiled step.
"""
from kerasx.backend import get_ops


def nan_if_gradients_nan(loss, grads):
    """`loss` unchanged, or NaN when a gradient holds NaN (the update is about
    to write NaN into the weights)."""
    ops = get_ops()
    dtype = ops.dtype(loss)
    total = None
    for grad in grads:
        if grad is None:
            continue
        if ops.dtype(grad) != dtype:  # e.g. a float16 sum of large gradients
            grad = ops.cast(grad, dtype)  # could overflow to +-inf, then NaN
        part = ops.sum(grad)
        total = part if total is None else ops.add(total, part)
    if total is None:
        return loss
    return ops.where(ops.not_equal(total, total), total, loss)
