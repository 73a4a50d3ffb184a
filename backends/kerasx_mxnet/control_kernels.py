"""MXNet kernels of the contract's control family (kerasx/backend/contract_control.py).

MXNet 1.9's `autograd.Function` takes and returns legacy NDArrays (numpy
ndarrays in its backward recurse without end): values cross its boundary
converted. It has no symbolic form, so a traced step holding it runs
eagerly."""
import functools

import mxnet as mx

from kerasx_mxnet import hybrid


class _CustomGradient(mx.autograd.Function):
    def __init__(self, f):
        super().__init__()
        self._f = f

    def forward(self, *args):
        self._args = [a.as_np_ndarray() for a in args]
        output, self._grad_fn = self._f(*self._args)
        return output.as_nd_ndarray()

    def backward(self, upstream):
        grads = self._grad_fn(*self._args, upstream=upstream.as_np_ndarray())
        grads = tuple(grads) if isinstance(grads, (tuple, list)) else (grads,)
        grads = [g.as_nd_ndarray() for g in grads]
        return grads[0] if len(grads) == 1 else tuple(grads)


class ControlKernels:
    """Mixin of MXNetBackend: custom_gradient."""

    def custom_gradient(self, f):
        @functools.wraps(f)
        def call(*args):
            if hybrid.active() is not None:
                raise hybrid.TraceError("custom_gradient has no symbolic form")
            args = [self.convert_to_tensor(a) for a in args]
            if not mx.autograd.is_recording():
                return f(*args)[0]
            return _CustomGradient(f)(*[a.as_nd_ndarray() for a in args]).as_np_ndarray()
        return call
