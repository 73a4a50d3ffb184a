"""The linear-algebra kernels of the contract (kerasx/backend/contract_linalg.py)
on PyTorch: torch.linalg."""
import torch


class LinalgKernels:
    """Mixin of TorchBackend: the `_<op>_kernel`s of keras.ops.linalg."""

    def _cholesky_kernel(self, x):
        return torch.linalg.cholesky(x)

    def _det_kernel(self, x):
        return torch.linalg.det(x)

    def _eigh_kernel(self, x):
        return tuple(torch.linalg.eigh(x, UPLO="L"))

    def _qr_kernel(self, x, complete):
        return tuple(torch.linalg.qr(x, mode="complete" if complete else "reduced"))

    def _solve_kernel(self, a, b):
        return torch.linalg.solve(a, b)

    def _svd_kernel(self, x, full_matrices, compute_uv):
        if not compute_uv:
            return torch.linalg.svdvals(x)
        return tuple(torch.linalg.svd(x, full_matrices=full_matrices))
