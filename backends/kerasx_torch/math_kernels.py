"""PyTorch kernels of the element-wise math primitives
(kerasx.backend.contract_math); the dtype rules are the contract's."""
import torch

from kerasx.backend.contract_math import (binary_kernel, bitwise_kernel, float_binary_kernel,
                                          float_kernel)


def _int_only(fn, name):
    def kernel(self, x1, x2):
        x1, x2 = self._binary_operands(x1, x2)
        if self.dtype(x1) not in ("int32", "int64"):
            raise TypeError(f"{name} takes integer tensors; received dtype {self.dtype(x1)}.")
        return fn(x1, x2)
    return kernel


class MathKernels:
    """Element-wise math kernels of the torch plugin."""

    arccos = float_kernel(torch.arccos)
    arccosh = float_kernel(torch.arccosh)
    arcsin = float_kernel(torch.arcsin)
    arcsinh = float_kernel(torch.arcsinh)
    arctan = float_kernel(torch.arctan)
    arctanh = float_kernel(torch.arctanh)
    cosh = float_kernel(torch.cosh)
    sinh = float_kernel(torch.sinh)
    tan = float_kernel(torch.tan)
    i0 = float_kernel(torch.special.i0, "float64")
    erfc = float_kernel(torch.special.erfc)
    erfinv = float_kernel(torch.special.erfinv)
    arctan2 = float_binary_kernel(torch.atan2)
    nextafter = float_binary_kernel(torch.nextafter)
    floor_divide = binary_kernel(lambda a, b: torch.div(a, b, rounding_mode="floor"))
    gcd = _int_only(torch.gcd, "gcd")
    lcm = _int_only(torch.lcm, "lcm")
    bitwise_and = bitwise_kernel(torch.bitwise_and)
    bitwise_or = bitwise_kernel(torch.bitwise_or)
    bitwise_xor = bitwise_kernel(torch.bitwise_xor)
    left_shift = bitwise_kernel(torch.bitwise_left_shift)
    right_shift = bitwise_kernel(torch.bitwise_right_shift)

    def signbit(self, x):
        x = self._tensor(x)
        if self.dtype(x) == "bool":
            return torch.zeros_like(x)
        return torch.signbit(x)

    def mod(self, x1, x2):
        x1, x2 = self._binary_operands(x1, x2)
        if self.dtype(x1) == "bool":
            x1, x2 = x1.to(torch.int32), x2.to(torch.int32)
        return torch.remainder(x1, x2)

    def bitwise_invert(self, x):
        x = self._tensor(x)
        return torch.bitwise_not(x)
