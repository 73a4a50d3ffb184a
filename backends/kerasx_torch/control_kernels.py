"""PyTorch kernels of the contract's control family (kerasx/backend/contract_control.py)."""
import functools

import torch


class _CustomGradient(torch.autograd.Function):
    """`f`'s output forward, its `grad_fn` backward (as Keras's torch backend)."""

    @staticmethod
    def forward(ctx, f, *args):
        ctx.save_for_backward(*args)
        output, ctx.grad_fn = f(*args)
        return output

    @staticmethod
    def backward(ctx, upstream):
        grads = ctx.grad_fn(*ctx.saved_tensors, upstream=upstream)
        return (None,) + (tuple(grads) if isinstance(grads, (tuple, list)) else (grads,))


class ControlKernels:
    """Mixin of TorchBackend: custom_gradient."""

    def custom_gradient(self, f):
        @functools.wraps(f)
        def call(*args):
            return _CustomGradient.apply(f, *args)
        return call
