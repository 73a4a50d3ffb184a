"""The products family of the contract (`keras.ops` outer, tensordot, dot,
inner, vdot, kron, cross): composites of `matmul`, `multiply`, reshapes and
transposes."""
import numpy as np

from kerasx.backend.contract_array import _axis_index
from kerasx.backend.op_roles import composite


class ProductsContract:
    """Mixin of `Backend`: the products family (see the module's docstring)."""

    @composite(tensors=("x1", "x2"), promote=True)
    def outer(self, x1, x2):
        """Outer product of the flattened `x1` and `x2` (a 2-D tensor)."""
        return self.multiply(self.reshape(x1, (-1, 1)), self.reshape(x2, (1, -1)))

    @composite(tensors=("x1", "x2"), promote=True)
    def tensordot(self, x1, x2, axes=2):
        """Sum of products over the axes `axes` names: an int N (the last N
        of `x1` with the first N of `x2`) or a pair of axis lists."""
        r1, r2 = self.ndim(x1), self.ndim(x2)
        if isinstance(axes, int):
            if axes < 0 or axes > min(r1, r2):
                raise ValueError(f"tensordot: axes={axes} exceeds the ranks {r1} and {r2}.")
            a1, a2 = list(range(r1 - axes, r1)), list(range(axes))
        else:
            a1, a2 = ([a] if isinstance(a, int) else list(a) for a in axes)
            a1 = [_axis_index(a, r1, "tensordot") for a in a1]
            a2 = [_axis_index(a, r2, "tensordot") for a in a2]
        s1, s2 = self.shape(x1), self.shape(x2)
        if len(a1) != len(a2) or any(s1[i] != s2[j] for i, j in zip(a1, a2)):
            raise ValueError(f"tensordot: axes {a1} of shape {s1} and {a2} of shape {s2} "
                             "do not match.")
        free1 = [a for a in range(r1) if a not in a1]
        free2 = [a for a in range(r2) if a not in a2]
        k = int(np.prod([s1[a] for a in a1], dtype=np.int64))
        left = self.reshape(self.transpose(x1, free1 + a1), (-1, k))
        right = self.reshape(self.transpose(x2, a2 + free2), (k, -1))
        return self.reshape(self.matmul(left, right),
                            tuple(s1[a] for a in free1) + tuple(s2[a] for a in free2))

    @composite(tensors=("x1", "x2"), promote=True)
    def dot(self, x1, x2):
        """numpy.dot: a product with a 0-d operand, matmul for 1-D and 2-D
        operands, else the sum over the last axis of `x1` and the
        second-to-last of `x2`."""
        r1, r2 = self.ndim(x1), self.ndim(x2)
        if r1 == 0 or r2 == 0:
            return self.multiply(x1, x2)
        if r1 <= 2 and r2 <= 2:
            return self.matmul(x1, x2)
        return self.tensordot(x1, x2, ([-1], [0 if r2 == 1 else -2]))

    @composite(tensors=("x1", "x2"), promote=True)
    def inner(self, x1, x2):
        """Sum of products over the last axes (a product with a 0-d operand)."""
        if self.ndim(x1) == 0 or self.ndim(x2) == 0:
            return self.multiply(x1, x2)
        return self.tensordot(x1, x2, ([-1], [-1]))

    @composite(tensors=("x1", "x2"), promote=True)
    def vdot(self, x1, x2):
        """Sum of the products of the flattened `x1` and `x2`."""
        return self.tensordot(self.reshape(x1, (-1,)), self.reshape(x2, (-1,)), 1)

    @composite(tensors=("x1", "x2"), promote=True)
    def kron(self, x1, x2):
        """Kronecker product: blocks of `x2` scaled by each element of `x1`."""
        s1, s2 = self.shape(x1), self.shape(x2)
        rank = max(len(s1), len(s2))
        s1, s2 = (1,) * (rank - len(s1)) + s1, (1,) * (rank - len(s2)) + s2
        a = self.reshape(x1, tuple(d for n in s1 for d in (n, 1)))
        b = self.reshape(x2, tuple(d for n in s2 for d in (1, n)))
        return self.reshape(self.multiply(a, b), tuple(p * q for p, q in zip(s1, s2)))

    @composite(tensors=("x1", "x2"), promote=True)
    def cross(self, x1, x2, axisa=-1, axisb=-1, axisc=-1, axis=None):
        """Cross product of 2- or 3-vectors along `axisa` of `x1` and `axisb`
        of `x2` (`axis` sets all three), the result's vectors along `axisc`;
        two 2-vectors give the z component only."""
        if axis is not None:
            axisa = axisb = axisc = axis
        a = self.moveaxis(x1, axisa, -1)
        b = self.moveaxis(x2, axisb, -1)
        na, nb = self.shape(a)[-1], self.shape(b)[-1]
        if na not in (2, 3) or nb not in (2, 3):
            raise ValueError("cross: the vectors must have 2 or 3 components; received "
                             f"{na} and {nb}.")
        ca = [self.squeeze(p, -1) for p in self.split(a, na, axis=-1)]
        cb = [self.squeeze(p, -1) for p in self.split(b, nb, axis=-1)]

        def term(p, q, r, s):
            return self.subtract(self.multiply(p, q), self.multiply(r, s))

        z = term(ca[0], cb[1], ca[1], cb[0])
        if na == nb == 2:
            return z
        a3 = ca[2] if na == 3 else None
        b3 = cb[2] if nb == 3 else None
        x = self.negative(self.multiply(a3, cb[1])) if b3 is None else \
            self.multiply(ca[1], b3) if a3 is None else term(ca[1], b3, a3, cb[1])
        y = self.multiply(a3, cb[0]) if b3 is None else \
            self.negative(self.multiply(ca[0], b3)) if a3 is None else \
            term(a3, cb[0], ca[0], b3)
        out = self.stack(list(self._broadcast_all([x, y, z])), axis=-1)
        return self.moveaxis(out, -1, axisc)

    def _broadcast_all(self, xs):
        shape = np.broadcast_shapes(*[self.shape(x) for x in xs])
        return [x if self.shape(x) == shape else self.broadcast_to(x, shape) for x in xs]
