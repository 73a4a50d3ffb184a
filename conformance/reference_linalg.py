"""NumPy/SciPy float64 reference of the keras.ops.linalg operations of
kerasx/backend/contract_linalg.py."""
import numpy as np
import scipy.linalg as sl


def cholesky(x, upper=False):
    factor = np.linalg.cholesky(x)
    return np.swapaxes(factor, -1, -2) if upper else factor


def cholesky_inverse(x, upper=False):
    # Only the factor's triangle is read.
    x = np.triu(x) if upper else np.tril(x)
    a = np.swapaxes(x, -1, -2) @ x if upper else x @ np.swapaxes(x, -1, -2)
    return np.linalg.inv(a)


def det(x):
    return np.linalg.det(x)


def inv(x):
    return np.linalg.inv(x)


def qr(x, mode="reduced"):
    return np.linalg.qr(x, mode=mode)


def solve(a, b):
    if b.ndim == a.ndim - 1:
        return np.linalg.solve(a, b[..., None])[..., 0]
    return np.linalg.solve(a, b)


def solve_triangular(a, b, lower=False):
    return sl.solve_triangular(a, b, lower=lower)


def svd(x, full_matrices=True, compute_uv=True):
    return np.linalg.svd(x, full_matrices=full_matrices, compute_uv=compute_uv)


def lu_factor(x):
    if x.ndim > 2:
        parts = [lu_factor(m) for m in x]
        return np.stack([p[0] for p in parts]), np.stack([p[1] for p in parts])
    lu, pivots = sl.lu_factor(x)
    return lu, pivots.astype("int32")


def pinv(x, rcond=None):
    if rcond is None:
        rcond = 10 * max(x.shape[-2:]) * np.finfo(np.float64).eps
    return np.linalg.pinv(x, rcond=rcond)


def lstsq(a, b, rcond=None):
    return np.linalg.lstsq(a, b, rcond=rcond)[0]


def matrix_rank(x, tol=None):
    return np.asarray(np.linalg.matrix_rank(x, tol=tol)).astype("int32")


def norm(x, ord=None, axis=None, keepdims=False):
    if axis is None and ord is None:
        out = np.sqrt(np.sum(x * x))
        return np.reshape(out, (1,) * x.ndim) if keepdims else out
    return np.linalg.norm(x, ord=ord, axis=axis, keepdims=keepdims)


def eigh(x):
    return np.linalg.eigh(x)
