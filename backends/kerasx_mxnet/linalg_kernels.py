"""The linear-algebra kernels of the contract (kerasx/backend/contract_linalg.py)
on MXNet: mx.np.linalg, where it has the operation.

MXNet 1.9 facts this module relies on (checked on this machine):

- `np.linalg.svd` takes wide matrices only (M <= N) and gives the reduced
  factors (ut, s, v) with x = ut @ diag(s) @ v; a tall matrix is decomposed
  through its transpose, and full_matrices completes the short factor's basis.
- `np.linalg.qr` fails (its result wrapper raises), so QR is computed here by
  Householder reflections from the plugin's own operations (LAPACK's sign
  convention, as TensorFlow's and torch's).
- `np.linalg.det` of a single matrix returns shape (1,): reshaped to ().
- `np.linalg.eigh`'s backward is wrong: see `_eigh_kernel`.
"""
import mxnet as mx

from kerasx_mxnet import hybrid

linalg = hybrid.Namespace(mx.np.linalg, mx.sym.np.linalg)


class LinalgKernels:
    """Mixin of MXNetBackend: the `_<op>_kernel`s of keras.ops.linalg."""

    def _cholesky_kernel(self, x):
        return linalg.cholesky(x)

    def _det_kernel(self, x):
        return self.reshape(linalg.det(x), self.shape(x)[:-2])

    def _eigh_kernel(self, x):
        # MXNet's eigh backward is wrong (zero for the eigenvalues, a shape
        # error for both outputs): the factors are computed without gradient,
        # then made differentiable by first-order perturbation theory, which
        # adds exact zeros to the values. The perturbation is read from the
        # lower triangle, as the factorization reads it.
        n = self.shape(x)[-1]
        fixed = self.stop_gradient(x)
        w, v = linalg.eigh(fixed)
        delta = self.subtract(x, fixed)
        rows = self.reshape(self.arange(0, n, 1, "int32"), (n, 1))
        cols = self.reshape(self.arange(0, n, 1, "int32"), (1, n))
        zero = self.zeros_like(delta)
        strict = self.where(self.greater(rows, cols), delta, zero)
        delta = self.add(self.where(self.greater_equal(rows, cols), delta, zero),
                         self._swap(strict))
        p = self.matmul(self._swap(v), self.matmul(delta, v))
        diagonal = self.equal(rows, cols)
        w = self.add(w, self.sum(self.where(diagonal, p, self.zeros_like(p)), axis=-1))
        gap = self.subtract(self.expand_dims(w, -2), self.expand_dims(w, -1))
        safe = self.where(diagonal, self.ones_like(gap), gap)
        f = self.where(diagonal, self.zeros_like(gap), self.divide(1.0, safe))
        v = self.add(v, self.matmul(v, self.multiply(f, p)))
        return w, v

    def _solve_kernel(self, a, b):
        return linalg.solve(a, b)

    def _svd_kernel(self, x, full_matrices, compute_uv):
        m, n = self.shape(x)[-2:]
        tall = m > n
        wide = self._swap(x) if tall else x
        ut, s, v = linalg.svd(wide)
        if not compute_uv:
            return s
        u, vh = (self._swap(v), self._swap(ut)) if tall else (ut, v)
        if full_matrices and m != n:
            if tall:
                u = self._complete_basis(u)
            else:
                vh = self._swap(self._complete_basis(self._swap(vh)))
        return u, s, vh

    def _qr_kernel(self, x, complete):
        m, n = self.shape(x)[-2:]
        dtype = self.dtype(x)
        rows = self.reshape(self.arange(0, m, 1, "int32"), (m, 1))
        r = x
        q = self.broadcast_to(self._identity(m, dtype), self.shape(x)[:-2] + (m, m))
        for j in range(min(m - 1, n)):
            column = self.take(r, self.convert_to_tensor([j], "int32"), axis=-1)
            column = self.where(self.greater_equal(rows, j), column, self.zeros_like(column))
            alpha = self.take(column, self.convert_to_tensor([j], "int32"), axis=-2)
            norm = self.sqrt(self.sum(self.square(column), axis=-2, keepdims=True))
            # beta = -sign(alpha) * norm, sign(0) taken as +1 (LAPACK's dlarfg).
            sign = self.where(self.less(alpha, 0.0), -self.ones_like(alpha),
                              self.ones_like(alpha))
            beta = self.negative(self.multiply(sign, norm))
            v = self.subtract(column, self.where(self.equal(rows, j), beta,
                                                 self.zeros_like(column)))
            length = self.sum(self.square(v), axis=-2, keepdims=True)
            scale = self.where(self.greater(length, 0.0),
                               self.divide(2.0, self.where(self.greater(length, 0.0), length,
                                                           self.ones_like(length))),
                               self.zeros_like(length))
            vt = self._swap(v)
            r = self.subtract(r, self.multiply(scale, self.matmul(v, self.matmul(vt, r))))
            q = self.subtract(q, self.multiply(scale, self.matmul(self.matmul(q, v), vt)))
        # Below the diagonal R holds rounding residue: zero it, as LAPACK.
        cols = self.reshape(self.arange(0, n, 1, "int32"), (1, n))
        r = self.where(self.greater(rows, cols), self.zeros_like(r), r)
        if complete or m <= n:
            return q, r
        return (self.slice(q, (0,) * self.ndim(q), self.shape(q)[:-1] + (n,)),
                self.slice(r, (0,) * self.ndim(r), self.shape(r)[:-2] + (n, n)))

    # -- helpers -----------------------------------------------------------
    def _swap(self, x):
        rank = self.ndim(x)
        return self.transpose(x, tuple(range(rank - 2)) + (rank - 1, rank - 2))

    def _identity(self, n, dtype):
        return self.convert_to_tensor([[1.0 if i == j else 0.0 for j in range(n)]
                                       for i in range(n)], dtype)

    def _complete_basis(self, u):
        """(..., M, M) orthogonal, starting with the K orthonormal columns of
        `u` (..., M, K): the others from a complete QR of `u`."""
        k = self.shape(u)[-1]
        q, _ = self._qr_kernel(u, True)
        rest = self.slice(q, (0,) * (self.ndim(q) - 1) + (k,),
                          self.shape(q)[:-1] + (self.shape(q)[-1] - k,))
        return self.concatenate([u, rest], axis=-1)
