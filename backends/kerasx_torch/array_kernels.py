"""PyTorch kernels of the contract's array family (kerasx/backend/contract_array.py)."""
import torch


class ArrayKernels:
    """Mixin of TorchBackend: sorting, scans, search."""

    def sort(self, x, axis=-1):
        x, axis = self._along(self._t(x), axis, "sort")
        return torch.sort(x, dim=axis, stable=True).values

    def argsort(self, x, axis=-1):
        x = self._t(x)
        if x.dim() == 0:
            return torch.zeros((1,), dtype=torch.int32, device=x.device)
        x, axis = self._along(x, axis, "argsort")
        return torch.argsort(x, dim=axis, stable=True).to(torch.int32)

    def _scan(self, fn, x, axis, dtype, op):
        x = self._t(x)
        if dtype is not None:
            x = self.cast(x, dtype)
        if x.dtype is torch.bool:
            x = x.to(torch.int32)
        x, axis = self._along(x, axis, op)
        # torch accumulates integers in int64: keep the input's dtype.
        return fn(x, dim=axis, dtype=x.dtype)

    def cumsum(self, x, axis=None, dtype=None):
        return self._scan(torch.cumsum, x, axis, dtype, "cumsum")

    def cumprod(self, x, axis=None, dtype=None):
        # torch.cumprod's backward handles zeros in the input.
        return self._scan(torch.cumprod, x, axis, dtype, "cumprod")

    def searchsorted(self, sorted_sequence, values, side="left"):
        sorted_sequence, values = self._t(sorted_sequence), self._t(values)
        self._check_searchsorted(sorted_sequence.shape, side)
        out = torch.searchsorted(sorted_sequence.contiguous(), values.contiguous(),
                                 right=side == "right")
        return out.to(torch.int32)

    def view(self, x, dtype=None):
        x = self._t(x)
        dtype, shape = self._view_shape(x, dtype)
        return x.contiguous().view(getattr(torch, dtype)).reshape(shape)

    def nonzero(self, x):
        return tuple(i.to(torch.int32) for i in torch.nonzero(self._t(x), as_tuple=True))
