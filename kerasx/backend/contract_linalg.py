"""The linear algebra of `keras.ops.linalg` (also at the top of keras.ops).

The factorizations a framework computes natively (Cholesky, eigh, QR, SVD,
solve, determinant) are native kernels (`_<op>_kernel`, one per plugin, in
backends/kerasx_<framework>/linalg_kernels.py), called by public composites
that check the arguments once for every backend. The rest is written here
from them: inverse, triangular solve, Cholesky inverse, LU factorization,
least squares, pseudo-inverse, rank and norms.

Matrices are the last two axes; leading axes are a batch. Complex dtypes do
not exist in kerasx, so `eig` (complex eigenvalues of a general matrix) is
not offered.
"""
import math

from kerasx.backend.op_roles import composite, kernel

_EPS = {"float16": 2.0 ** -10, "float32": 2.0 ** -23, "float64": 2.0 ** -52}


class LinalgContract:
    """Mixin of `Backend`: `keras.ops.linalg`."""

    # ------------------------------------------------------------------
    # Argument checks
    # ------------------------------------------------------------------
    def _check_matrix(self, op, x, square=False):
        shape = self.shape(x)
        if len(shape) < 2:
            raise ValueError(f"{op} takes a matrix or a batch of matrices (rank >= 2); "
                             f"received shape {shape}.")
        if square and shape[-1] != shape[-2]:
            raise ValueError(f"{op} takes square matrices; received shape {shape}.")
        if self.dtype(x) not in _EPS:
            raise ValueError(f"{op} takes floating-point matrices; received dtype "
                             f"{self.dtype(x)}. Cast first (keras.ops.cast).")
        return shape

    def _as_matrix_rhs(self, op, a, b):
        """`b` as a batch of matrices matching square `a`, and whether it was
        a vector (b.ndim == a.ndim - 1)."""
        n = self._check_matrix(op, a, square=True)[-1]
        vector = self.ndim(b) == self.ndim(a) - 1
        if vector:
            b = self.expand_dims(b, -1)
        if self.ndim(b) != self.ndim(a) or self.shape(b)[-2] != n:
            raise ValueError(f"{op}: `b` must have shape (..., {n}) or (..., {n}, K) to "
                             f"match `a` of shape {self.shape(a)}; received "
                             f"{self.shape(b)[:-1] if vector else self.shape(b)}.")
        return b, vector

    def _eye(self, n, dtype):
        return self.convert_to_tensor([[1.0 if i == j else 0.0 for j in range(n)]
                                       for i in range(n)], dtype)

    def _matrix_transpose(self, x):
        rank = self.ndim(x)
        return self.transpose(x, tuple(range(rank - 2)) + (rank - 1, rank - 2))

    # ------------------------------------------------------------------
    # Native kernels (one per plugin)
    # ------------------------------------------------------------------
    @kernel("cholesky", tensors=("x",))
    def _cholesky_kernel(self, x):
        """The lower Cholesky factor of symmetric positive-definite `x`."""

    @kernel("det", tensors=("x",))
    def _det_kernel(self, x):
        """The determinant of square `x`, of shape x.shape[:-2]."""

    @kernel("eigh", tensors=("x",))
    def _eigh_kernel(self, x):
        """(eigenvalues ascending, eigenvectors as columns) of symmetric `x`,
        reading its lower triangle."""

    @kernel("qr", tensors=("x",))
    def _qr_kernel(self, x, complete):
        """(q, r) of `x` by Householder reflections (LAPACK's sign
        convention): reduced, or complete when `complete`."""

    @kernel("solve", tensors=("a", "b"))
    def _solve_kernel(self, a, b):
        """x with a @ x = b, for square `a` (..., n, n) and `b` (..., n, k)."""

    @kernel("svd", tensors=("x",))
    def _svd_kernel(self, x, full_matrices, compute_uv):
        """(u, s, vh) with x = u @ diag(s) @ vh, `s` descending; `s` alone
        when not `compute_uv`."""

    # ------------------------------------------------------------------
    # Public operations
    # ------------------------------------------------------------------
    @composite(tensors=("x",))
    def cholesky(self, x, upper=False):
        """The Cholesky factor of symmetric positive-definite `x`: lower L
        with x = L @ L^T, or its transpose when `upper`. A matrix that is not
        positive definite gives the framework's error (torch, MXNet) or NaNs
        (TensorFlow, as Keras)."""
        self._check_matrix("cholesky", x, square=True)
        factor = self._cholesky_kernel(x)
        return self._matrix_transpose(factor) if upper else factor

    @composite(tensors=("x",))
    def cholesky_inverse(self, x, upper=False):
        """The inverse of A from its Cholesky factor `x` (lower L with
        A = L @ L^T, or upper U with A = U^T @ U when `upper`); only that
        triangle of `x` is read (as solve_triangular)."""
        n = self._check_matrix("cholesky_inverse", x, square=True)[-1]
        identity = self.broadcast_to(self._eye(n, self.dtype(x)), self.shape(x))
        inverse = self.solve_triangular(x, identity, lower=not upper)
        if upper:
            return self.matmul(inverse, self._matrix_transpose(inverse))
        return self.matmul(self._matrix_transpose(inverse), inverse)

    @composite(tensors=("x",))
    def det(self, x):
        """The determinant of square `x` (batched over leading axes)."""
        self._check_matrix("det", x, square=True)
        return self._det_kernel(x)

    @composite(tensors=("x",))
    def eigh(self, x):
        """(eigenvalues ascending, eigenvectors as columns) of symmetric `x`,
        reading its lower triangle. Each eigenvector's sign is the
        framework's."""
        self._check_matrix("eigh", x, square=True)
        return self._eigh_kernel(x)

    @composite(tensors=("x",))
    def inv(self, x):
        """The inverse of square `x`, solving x @ y = I."""
        n = self._check_matrix("inv", x, square=True)[-1]
        identity = self.broadcast_to(self._eye(n, self.dtype(x)), self.shape(x))
        return self._solve_kernel(x, identity)

    @composite(tensors=("x",))
    def qr(self, x, mode="reduced"):
        """QR decomposition (q, r) of `x` (..., M, N): "reduced" gives q
        (..., M, K), r (..., K, N) with K = min(M, N); "complete" gives q
        (..., M, M), r (..., M, N). Householder reflections with LAPACK's
        sign convention on every backend."""
        if mode not in ("reduced", "complete"):
            raise ValueError(f"qr takes mode 'reduced' or 'complete'; received {mode!r}.")
        self._check_matrix("qr", x)
        return self._qr_kernel(x, mode == "complete")

    @composite(tensors=("a", "b"))
    def solve(self, a, b):
        """x with a @ x = b for square `a` (..., N, N) and `b` (..., N) or
        (..., N, K)."""
        b, vector = self._as_matrix_rhs("solve", a, b)
        out = self._solve_kernel(a, b)
        return self.squeeze(out, -1) if vector else out

    @composite(tensors=("a", "b"))
    def solve_triangular(self, a, b, lower=False):
        """x with a @ x = b, reading only the lower (`lower`) or upper
        triangle of `a`; `b` as for solve."""
        b, vector = self._as_matrix_rhs("solve_triangular", a, b)
        out = self._solve_kernel(self.tril(a) if lower else self.triu(a), b)
        return self.squeeze(out, -1) if vector else out

    @composite(tensors=("x",))
    def svd(self, x, full_matrices=True, compute_uv=True):
        """Singular value decomposition (u, s, vh), x = u @ diag(s) @ vh,
        singular values descending; `s` alone when not `compute_uv`. The
        signs of singular vector pairs are the framework's."""
        self._check_matrix("svd", x)
        return self._svd_kernel(x, bool(full_matrices), bool(compute_uv))

    @composite(tensors=("x",))
    def lu_factor(self, x):
        """LU factorization with partial pivoting, as scipy.linalg.lu_factor:
        (lu, pivots), `lu` holding U and the unit-lower L's multipliers,
        `pivots` (int32, 0-based) the row swapped with row i at step i.

        Gaussian elimination written here once (n steps on the whole matrix,
        so meant for small matrices). Keras 3.15's TensorFlow backend returns
        a permutation instead of LAPACK's pivots; its JAX, torch and NumPy
        backends return the pivots, as kerasx.
        """
        n = self._check_matrix("lu_factor", x, square=True)[-1]
        dtype = self.dtype(x)
        rows = self.reshape(self.arange(0, n, 1, "int32"), (n, 1))
        cols = self.reshape(self.arange(0, n, 1, "int32"), (1, n))
        index = self.arange(0, n, 1, "int32")
        pivots = []
        lu = x
        for k in range(n):
            column = self.take(lu, self.convert_to_tensor([k], "int32"), axis=-1)
            magnitude = self.where(self.greater_equal(rows, k), self.abs(column),
                                   self.full(self.shape(column), -1.0, dtype))
            p = self.argmax(self.squeeze(magnitude, -1), axis=-1)  # (...,), first max
            p = self.cast(p, "int32")
            pivots.append(p)
            # Swap rows k and p (p >= k) by a gathered row order.
            p_col = self.expand_dims(p, -1)
            at_k = self.cast(self.equal(index, k), "int32")
            at_p = self.cast(self.equal(index, p_col), "int32")
            shift = self.subtract(p_col, k)
            order = self.add(index, self.multiply(self.subtract(at_k, at_p), shift))
            order = self.broadcast_to(self.expand_dims(order, -1), self.shape(lu))
            lu = self.take_along_axis(lu, order, axis=-2)
            pivot_row = self.take(lu, self.convert_to_tensor([k], "int32"), axis=-2)
            column = self.take(lu, self.convert_to_tensor([k], "int32"), axis=-1)
            diagonal = self.take(pivot_row, self.convert_to_tensor([k], "int32"), axis=-1)
            below = self.greater(rows, k)
            factor = self.where(below, self.divide(column, diagonal), self.zeros_like(column))
            right = self.where(self.greater(cols, k), pivot_row, self.zeros_like(pivot_row))
            lu = self.subtract(lu, self.multiply(factor, right))
            lu = self.where(self.logical_and(below, self.equal(cols, k)), factor, lu)
        return lu, self.stack(pivots, axis=-1)

    def _singular_cutoff(self, s, shape, rcond):
        if rcond is None:
            rcond = 10.0 * max(shape[-2:]) * _EPS[self.dtype(s)]
        return self.multiply(self.max(s, axis=-1, keepdims=True), rcond)

    @composite(tensors=("x",))
    def pinv(self, x, rcond=None):
        """The Moore-Penrose pseudo-inverse by SVD; singular values at or
        below rcond * the largest count as zero (rcond None: 10 * max(M, N) *
        the dtype's epsilon, as TensorFlow)."""
        shape = self._check_matrix("pinv", x)
        u, s, vh = self._svd_kernel(x, False, True)
        keep = self.greater(s, self._singular_cutoff(s, shape, rcond))
        inverse = self.where(keep, self.divide(1.0, self.where(keep, s, self.ones_like(s))),
                             self.zeros_like(s))
        scaled = self.multiply(self._matrix_transpose(vh), self.expand_dims(inverse, -2))
        return self.matmul(scaled, self._matrix_transpose(u))

    @composite(tensors=("a", "b"))
    def lstsq(self, a, b, rcond=None):
        """The least-squares solution x of a @ x = b for a 2-D `a` (M, N) and
        `b` (M,) or (M, K), by SVD; singular values below rcond * the largest
        count as zero (rcond None: max(M, N) * the dtype's epsilon).

        Raises:
            ValueError: `a` is not 2-D, `b` not 1-D or 2-D, or their first
                dimensions differ.
        """
        shape = self._check_matrix("lstsq", a)
        if len(shape) != 2 or self.ndim(b) not in (1, 2) or self.shape(b)[0] != shape[0]:
            raise ValueError(f"lstsq takes `a` (M, N) and `b` (M,) or (M, K); received "
                             f"shapes {shape} and {self.shape(b)}.")
        vector = self.ndim(b) == 1
        if vector:
            b = self.expand_dims(b, -1)
        u, s, vh = self._svd_kernel(a, False, True)
        if rcond is None or rcond < 0:
            rcond = (max(shape) if rcond is None else 1) * _EPS[self.dtype(a)]
        keep = self.greater_equal(s, self.multiply(self.max(s), rcond))
        inverse = self.where(keep, self.divide(1.0, self.where(keep, s, self.ones_like(s))),
                             self.zeros_like(s))
        projected = self.multiply(self.matmul(self._matrix_transpose(u), b),
                                  self.expand_dims(inverse, -1))
        out = self.matmul(self._matrix_transpose(vh), projected)
        return self.squeeze(out, -1) if vector else out

    @composite(tensors=("x",))
    def matrix_rank(self, x, tol=None):
        """The number of singular values of `x` above `tol` (None: the largest
        times max(M, N) times the dtype's epsilon), int32."""
        shape = self._check_matrix("matrix_rank", x)
        s = self._svd_kernel(x, False, False)
        if tol is None:
            cutoff = self.multiply(self.max(s, axis=-1, keepdims=True),
                                   max(shape[-2:]) * _EPS[self.dtype(x)])
        else:
            cutoff = tol
        return self.sum(self.cast(self.greater(s, cutoff), "int32"), axis=-1)

    @composite(tensors=("x",))
    def norm(self, x, ord=None, axis=None, keepdims=False):
        """Vector norm (one axis, or all axes with ord None) or matrix norm
        (two axes), as numpy.linalg.norm: vector ord None/2, inf, -inf, 0 or
        any number; matrix ord None/"fro", "nuc", 1, -1, 2, -2, inf, -inf.
        Integer inputs give float32.

        Raises:
            ValueError: an `ord` the axes do not take, or more than two axes
                with an `ord`.
        """
        if self.dtype(x) not in _EPS:
            x = self.cast(x, "float32")
        rank = self.ndim(x)
        if axis is None:
            axes = tuple(range(rank))
        else:
            axes = (axis,) if isinstance(axis, int) else tuple(axis)
        if any(not -rank <= a < rank for a in axes):
            raise ValueError(f"norm: axis {axis!r} out of range for rank {rank}.")
        axes = tuple(a % rank for a in axes)
        if ord is None:
            return self.sqrt(self.sum(self.square(x), axis=axes, keepdims=keepdims))
        if len(axes) == 1:
            return self._vector_norm(x, ord, axes[0], keepdims)
        if len(axes) == 2:
            return self._matrix_norm(x, ord, axes, keepdims)
        raise ValueError(f"norm: an `ord` needs one or two axes; received axis={axis!r}.")

    def _vector_norm(self, x, ord, axis, keepdims):
        if isinstance(ord, str):
            raise ValueError(f"norm: invalid `ord` {ord!r} for a vector norm.")
        magnitude = self.abs(x)
        if ord == math.inf:
            return self.max(magnitude, axis=axis, keepdims=keepdims)
        if ord == -math.inf:
            return self.min(magnitude, axis=axis, keepdims=keepdims)
        if ord == 0:
            return self.sum(self.cast(self.not_equal(x, 0.0), self.dtype(x)), axis=axis,
                            keepdims=keepdims)
        if ord == 2:
            return self.sqrt(self.sum(self.square(x), axis=axis, keepdims=keepdims))
        if ord == 1:
            return self.sum(magnitude, axis=axis, keepdims=keepdims)
        total = self.sum(self.power(magnitude, float(ord)), axis=axis, keepdims=keepdims)
        return self.power(total, 1.0 / ord)

    def _matrix_norm(self, x, ord, axes, keepdims):
        row, col = axes
        if ord == "fro":
            return self.sqrt(self.sum(self.square(x), axis=axes, keepdims=keepdims))
        if ord in (1, -1, math.inf, -math.inf):
            # 1: the largest column sum (sum over rows); inf: the largest row sum.
            summed, reduced = (row, col) if ord in (1, -1) else (col, row)
            sums = self.sum(self.abs(x), axis=summed, keepdims=True)
            pick = self.max if ord in (1, math.inf) else self.min
            out = pick(sums, axis=reduced, keepdims=True)
            return out if keepdims else self.squeeze(out, axes)
        if ord in ("nuc", 2, -2):
            rank = self.ndim(x)
            order = tuple(a for a in range(rank) if a not in axes) + (row, col)
            s = self._svd_kernel(self.transpose(x, order), False, False)
            if ord == "nuc":
                out = self.sum(s, axis=-1)
            else:
                out = (self.max if ord == 2 else self.min)(s, axis=-1)
            if keepdims:
                for a in sorted(axes):
                    out = self.expand_dims(out, a)
            return out
        raise ValueError(f"norm: invalid `ord` {ord!r} for a matrix norm.")
