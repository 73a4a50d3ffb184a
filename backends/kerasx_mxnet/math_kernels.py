"""MXNet kernels of the element-wise math primitives
(kerasx.backend.contract_math); the dtype rules are the contract's.

MXNet 1.9 quirks handled here:

- `mx.np.i0` fails ("'ValueError' object has no attribute 'format'"): i0 is
  its power series for |x| <= 30 and its asymptotic series above, in float64
  (2e-15 relative against SciPy).
- `mx.np` has no erfc; 1 - erf(x) loses every digit where erf(x) is near 1:
  erfc is 1 - erf(x) below 2 and the continued fraction of erfc (60 terms)
  from 2 up, in float64 (1e-14 relative).
- `npx.erfinv`'s backward uses a float32 constant (5e-8 relative error in
  float64): the gradient is supplied in the input's precision (as erf's in
  backend.py).
- `mx.np` has no floor_divide, gcd, left_shift, right_shift: floor division
  is floor(x1 / x2) (integers through float64: exact for int32, and for
  int64 below 2**53), gcd is Euclid's algorithm run for as many steps as the
  integer width can need, shifts multiply or floor-divide by 2 ** y.
- `bitwise_and` and the others reject bool tensors: bools go through the
  logical operations.
- No bit view of a float: nextafter is the contract's arithmetic
  (`MathContract._nextafter_by_spacing`).
"""
import math

import mxnet as mx
from mxnet import autograd

from kerasx.backend.contract_math import binary_kernel, float_binary_kernel, float_kernel
from kerasx_mxnet import hybrid

np = hybrid.Namespace(mx.np, mx.sym.np)
npx = hybrid.Namespace(mx.npx, mx.sym.npx)

#: Euclid's algorithm needs at most about log_phi(2 ** bits) steps.
_EUCLID_STEPS = {"int32": 47, "int64": 93}


def _recording():
    trace = hybrid.active()
    return trace.recording if trace is not None else autograd.is_recording()


def _with_grad(value, x, local_grad):
    """`value` whose gradient w.r.t. `x` is `local_grad` (see backend.py)."""
    return value.detach() + (x - x.detach()) * local_grad.detach()


def _i0_float64(x):
    a = np.abs(x)
    small = np.minimum(a, 30.0)
    q = small * small / 4.0
    term, total = np.ones_like(q), np.ones_like(q)
    for k in range(1, 51):
        term = term * q / float(k * k)
        total = total + term
    large = np.maximum(a, 30.0)
    term, tail = np.ones_like(large), np.ones_like(large)
    for k in range(1, 13):
        term = term * (float((2 * k - 1) ** 2) / (8.0 * k)) / large
        tail = tail + term
    asymptotic = np.exp(large) / np.sqrt(large * (2.0 * math.pi)) * tail
    return np.where(a <= 30.0, total, asymptotic)


def _erfc_float64(x):
    a = np.maximum(np.abs(x), 2.0)
    k = np.zeros_like(a)
    for j in range(60, 0, -1):
        k = (j / 2.0) / (a + k)
    tail = np.exp(-(a * a)) / math.sqrt(math.pi) / (a + k)
    tail = np.where(x < 0, 2.0 - tail, tail)
    return np.where(np.abs(x) < 2.0, 1.0 - npx.erf(x), tail)


def _bitwise(int_fn, bool_op):
    def kernel(self, x, y):
        x, y = self._binary_operands(x, y)
        if self.dtype(x) == "bool":
            return getattr(self, bool_op)(x, y)
        return int_fn(x, y)
    return kernel


def _integers(self, x1, x2, name):
    x1, x2 = self._binary_operands(x1, x2)
    if self.dtype(x1) not in ("int32", "int64"):
        raise TypeError(f"{name} takes integer tensors; received dtype {self.dtype(x1)}.")
    return x1, x2


class MathKernels:
    """Element-wise math kernels of the MXNet plugin."""

    arccos = float_kernel(np.arccos)
    arccosh = float_kernel(np.arccosh)
    arcsin = float_kernel(np.arcsin)
    arcsinh = float_kernel(np.arcsinh)
    arctan = float_kernel(np.arctan)
    arctanh = float_kernel(np.arctanh)
    cosh = float_kernel(np.cosh)
    sinh = float_kernel(np.sinh)
    tan = float_kernel(np.tan)
    arctan2 = float_binary_kernel(np.arctan2)
    lcm = binary_kernel(np.lcm)
    bitwise_and = _bitwise(np.bitwise_and, "logical_and")
    bitwise_or = _bitwise(np.bitwise_or, "logical_or")
    bitwise_xor = _bitwise(np.bitwise_xor, "not_equal")

    def i0(self, x):
        x = self._float_operand(x, "float64")
        dtype = self.dtype(x)
        y = _i0_float64(x.astype("float64"))
        return y if dtype == "float64" else y.astype(dtype)

    def erfc(self, x):
        x = self._float_operand(x)
        dtype = self.dtype(x)
        wide = x.astype("float64") if dtype != "float64" else x
        y = _erfc_float64(wide.detach())
        if _recording():
            d = np.exp(-(wide.detach() * wide.detach())) * (-2.0 / math.sqrt(math.pi))
            y = _with_grad(y, wide, d)
        return y if dtype == "float64" else y.astype(dtype)

    def erfinv(self, x):
        x = self._float_operand(x)
        y = npx.erfinv(x)
        if _recording():
            d = np.exp(y.detach() * y.detach()) * (math.sqrt(math.pi) / 2.0)
            y = _with_grad(y, x, d)
        return y

    def signbit(self, x):
        x = self._tensor(x)
        if self.dtype(x) == "bool":
            return np.zeros_like(x)
        return np.signbit(x)

    def mod(self, x1, x2):
        x1, x2 = self._binary_operands(x1, x2)
        if self.dtype(x1) == "bool":
            x1, x2 = x1.astype("int32"), x2.astype("int32")
        return np.mod(x1, x2)

    def floor_divide(self, x1, x2):
        x1, x2 = self._binary_operands(x1, x2)
        dtype = self.dtype(x1)
        if dtype in ("float16", "float32", "float64"):
            return np.floor(np.true_divide(x1, x2))
        quotient = np.floor(np.true_divide(x1.astype("float64"), x2.astype("float64")))
        return quotient.astype("int32" if dtype == "bool" else dtype)

    def nextafter(self, x1, x2):
        # No bit view of a float in mx.np: the contract's arithmetic.
        return self._nextafter_by_spacing(*self._binary_operands(x1, x2, to_float=True))

    def gcd(self, x1, x2):
        a, b = _integers(self, x1, x2, "gcd")
        a, b = np.abs(a) + np.zeros_like(b), np.abs(b) + np.zeros_like(a)
        for _ in range(_EUCLID_STEPS[self.dtype(a)]):
            nonzero = b != 0
            safe = np.where(nonzero, b, np.ones_like(b))
            a, b = np.where(nonzero, b, a), np.where(nonzero, np.mod(a, safe), b)
        return a

    def bitwise_invert(self, x):
        x = self._tensor(x)
        return self.logical_not(x) if self.dtype(x) == "bool" else np.invert(x)

    def left_shift(self, x, y):
        x, y = self._binary_operands(x, y)
        return x * np.power(np.full((), 2, dtype=self.dtype(x)), y)

    def right_shift(self, x, y):
        x, y = self._binary_operands(x, y)
        return self.floor_divide(x, np.power(np.full((), 2, dtype=self.dtype(x)), y))

