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
            # MXNet hands a Function's gradients only to inputs in the graph,
            # by position among them: a constant input would shift them. So
            # the constants stay outside the Function.
            live = [_in_graph(a) for a in args]
            if not any(live):
                return f(*args)[0]
            fn = f
            if not all(live):
                fn = _over_live(f, args, live)
                args = [a for a, keep in zip(args, live) if keep]
            return _CustomGradient(fn)(*[a.as_nd_ndarray() for a in args]).as_np_ndarray()
        return call


def _in_graph(x):
    """True when `x` is recorded (a variable or computed from one)."""
    try:
        mx.autograd.get_symbol(x.as_nd_ndarray())
        return True
    except mx.MXNetError:
        return False


def _over_live(f, args, live):
    """`f` as a function of the inputs in the graph, the others fixed; its
    grad_fn returns their gradients only."""
    def full(values):
        values = iter(values)
        return [next(values) if keep else a for a, keep in zip(args, live)]

    def over_live(*values):
        output, grad_fn = f(*full(values))

        def live_grad_fn(*grad_args, upstream=None):
            grads = grad_fn(*full(grad_args), upstream=upstream)
            grads = tuple(grads) if isinstance(grads, (tuple, list)) else (grads,)
            return tuple(g for g, keep in zip(grads, live) if keep)

        return output, live_grad_fn

    return over_live
