"""NumPy float64 reference of the array family (kerasx/backend/contract_array.py),
NumPy's own functions wherever NumPy has them."""
import numpy as np


def _i32(x):
    return np.asarray(x).astype(np.int32)


def sort(x, axis=-1):
    return np.sort(x, axis=axis)


def argsort(x, axis=-1):
    return _i32(np.argsort(x, axis=axis, kind="stable"))


def cumsum(x, axis=None, dtype=None):
    return np.cumsum(x, axis=axis, dtype=np.asarray(x).dtype if dtype is None else dtype)


def cumprod(x, axis=None, dtype=None):
    return np.cumprod(x, axis=axis, dtype=np.asarray(x).dtype if dtype is None else dtype)


def searchsorted(sorted_sequence, values, side="left"):
    return _i32(np.searchsorted(sorted_sequence, values, side=side))


def nonzero(x):
    return tuple(_i32(i) for i in np.nonzero(x))


flip, fliplr, flipud, roll, rot90 = np.flip, np.fliplr, np.flipud, np.roll, np.rot90
swapaxes, moveaxis, ravel, tril, triu = np.swapaxes, np.moveaxis, np.ravel, np.tril, np.triu
diagonal, diag, diagflat, trace, diff = np.diagonal, np.diag, np.diagflat, np.trace, np.diff
append, hstack, vstack, dstack = np.append, np.hstack, np.vstack, np.dstack
array_split, hsplit, vsplit, dsplit = np.array_split, np.hsplit, np.vsplit, np.dsplit
outer, inner, vdot, dot, tensordot = np.outer, np.inner, np.vdot, np.dot, np.tensordot
kron, cross, isin, select = np.kron, np.cross, np.isin, np.select


def repeat(x, repeats, axis=None):
    return np.repeat(x, repeats, axis=axis)


def copy(x):
    return np.array(x, copy=True)


def array(x, dtype=None):
    return np.asarray(x, dtype=dtype)


def size(x):
    return np.int32(np.size(x))


def count_nonzero(x, axis=None):
    return _i32(np.count_nonzero(x, axis=axis))


def digitize(x, bins):
    return _i32(np.digitize(x, bins))


def meshgrid(*x, indexing="xy"):
    return np.meshgrid(*x, indexing=indexing)
