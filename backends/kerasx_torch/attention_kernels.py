"""PyTorch kernels of the attention family (kerasx/backend/contract_attention.py)."""
import torch


class AttentionKernels:
    """Mixin of TorchBackend: the attention primitives."""

    def einsum(self, subscripts, *operands):
        return torch.einsum(subscripts, *operands)
