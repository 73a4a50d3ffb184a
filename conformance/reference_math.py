"""NumPy float64 reference of the element-wise math, array-creation and
statistics operations (kerasx.backend.contract_math, contract_creation,
contract_stats), read by conformance.reference."""
import numpy as np
from scipy import special

arccos, arccosh, arcsin, arcsinh = np.arccos, np.arccosh, np.arcsin, np.arcsinh
arctan, arctanh, cosh, sinh, tan = np.arctan, np.arctanh, np.cosh, np.sinh, np.tan
absolute, fabs, cbrt, exp2 = np.abs, np.fabs, np.cbrt, np.exp2
log10, log2, trunc, deg2rad, rad2deg = np.log10, np.log2, np.trunc, np.deg2rad, np.rad2deg
sinc, signbit, isnan, isinf, isfinite = np.sinc, np.signbit, np.isnan, np.isinf, np.isfinite
isneginf, isposinf, isreal = np.isneginf, np.isposinf, np.isreal
i0, erfc, erfinv = np.i0, special.erfc, special.erfinv
arctan2, hypot, fmod, mod, floor_divide = np.arctan2, np.hypot, np.fmod, np.mod, np.floor_divide
true_divide, fmax, fmin, heaviside = np.true_divide, np.fmax, np.fmin, np.heaviside
logaddexp, logaddexp2, logical_xor = np.logaddexp, np.logaddexp2, np.logical_xor
nextafter, gcd, lcm = np.nextafter, np.gcd, np.lcm
bitwise_and, bitwise_or, bitwise_xor = np.bitwise_and, np.bitwise_or, np.bitwise_xor
bitwise_invert = bitwise_not = np.invert
left_shift = bitwise_left_shift = np.left_shift
right_shift = bitwise_right_shift = np.right_shift


def nan_to_num(x, nan=0.0, posinf=None, neginf=None):
    return np.nan_to_num(x, nan=nan, posinf=posinf, neginf=neginf)


def divide_no_nan(x1, x2):
    return np.where(x2 == 0, 0.0, x1 / np.where(x2 == 0, 1.0, x2))


def ldexp(x1, x2):
    return np.ldexp(x1, x2)


def isclose(x1, x2, rtol=1e-5, atol=1e-8, equal_nan=False):
    return np.isclose(x1, x2, rtol=rtol, atol=atol, equal_nan=equal_nan)


def allclose(x1, x2, rtol=1e-5, atol=1e-8, equal_nan=False):
    return np.array(np.allclose(x1, x2, rtol=rtol, atol=atol, equal_nan=equal_nan))


def eye(N, M=None, k=0, dtype=None):
    return np.eye(N, M, k)


def identity(n, dtype=None):
    return np.identity(n)


def tri(N, M=None, k=0, dtype=None):
    return np.tri(N, M, k)


def empty(shape, dtype=None):
    return np.zeros(shape)


def empty_like(x, dtype=None):
    return np.zeros_like(x)


def full_like(x, fill_value, dtype=None):
    return np.broadcast_to(np.asarray(fill_value, x.dtype), x.shape).copy()


def linspace(start, stop, num=50, endpoint=True, retstep=False, dtype=None, axis=0):
    return np.linspace(start, stop, num, endpoint, retstep, axis=axis)


def logspace(start, stop, num=50, endpoint=True, base=10, dtype=None, axis=0):
    return np.logspace(start, stop, num, endpoint, base, axis=axis)


def geomspace(start, stop, num=50, endpoint=True, dtype=None, axis=0):
    return np.geomspace(start, stop, num, endpoint, axis=axis)


bartlett, blackman, hamming, hanning, kaiser = (np.bartlett, np.blackman, np.hamming,
                                                np.hanning, np.kaiser)


def _reduction(fn):
    def reference(x, axis=None, keepdims=False):
        return fn(x, axis=axis, keepdims=keepdims)
    return reference


amax, amin, ptp, median = (_reduction(f) for f in (np.amax, np.amin, np.ptp, np.median))
nansum, nanmean, nanmax, nanmin = (_reduction(f) for f in (np.nansum, np.nanmean, np.nanmax,
                                                           np.nanmin))
nanprod, nanvar, nanstd, nanmedian = (_reduction(f) for f in (np.nanprod, np.nanvar,
                                                              np.nanstd, np.nanmedian))


def average(x, axis=None, weights=None):
    return np.average(x, axis=axis, weights=weights)


def _arg(fn):
    def reference(x, axis=None, keepdims=False):
        return fn(x, axis=axis, keepdims=keepdims).astype(np.int32)  # Keras's int32
    return reference


nanargmax, nanargmin = _arg(np.nanargmax), _arg(np.nanargmin)


def _levels(fn):
    def reference(x, q, axis=None, method="linear", keepdims=False):
        return fn(x, q, axis=axis, method=method, keepdims=keepdims)
    return reference


quantile, percentile = _levels(np.quantile), _levels(np.percentile)
nanquantile, nanpercentile = _levels(np.nanquantile), _levels(np.nanpercentile)


def saturate_cast(x, dtype):
    info = np.iinfo(dtype)
    return np.clip(x, info.min, info.max).astype(dtype)
