"""PyTorch kernels of the contract's autodiff family (kerasx/backend/contract_autodiff.py)."""
import torch

from kerasx import tree


class AutodiffKernels:
    """Mixin of TorchBackend: jvp through torch.func's forward mode (one pass,
    where the contract's composite takes one backward pass per output element)."""

    def jvp(self, fun, primals, tangents, has_aux=False):
        primals, flat_p, flat_t = self._jvp_arguments(primals, tangents)
        primals = tree.pack_sequence_as(primals, flat_p)
        tangents = tree.pack_sequence_as(primals, flat_t)
        return torch.func.jvp(fun, tuple(primals), tuple(tangents), has_aux=has_aux)
