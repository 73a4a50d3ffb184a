"""MXNet kernels of the attention family (kerasx/backend/contract_attention.py).

Imported by kerasx_mxnet.backend after MXNet is set up (NumPy semantics on).
"""
import mxnet as mx

from kerasx_mxnet import hybrid

# Through hybrid.Namespace, as the plugin's own ops: a traced step computes
# each op's symbol along with its value.
np = hybrid.Namespace(mx.np, mx.sym.np)


class AttentionKernels:
    """Mixin of MXNetBackend: the attention primitives."""

    def einsum(self, subscripts, *operands):
        dtype = operands[0].dtype if operands else None
        if dtype is not None and str(dtype).startswith("int"):
            # MXNet's einsum has no integer kernel (as matmul): exact in float64
            # for the int32 range the front end uses.
            out = np.einsum(subscripts, *(o.astype("float64") for o in operands))
            return out.astype(dtype)
        return np.einsum(subscripts, *operands)

