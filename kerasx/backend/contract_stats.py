"""The statistics and NaN-ignoring reductions of `keras.ops`: a mixin of the
contract (`StatsContract`, a base of `kerasx.backend.contract.Backend`),
composed once from primitives.

Quantiles sort with `top_k` over the whole reduced axis (the contract's
sort); NaN-ignoring reductions replace NaN by the reduction's identity and
count the valid elements. Dtypes are Keras's: quantiles, averages, means and
variances of integers are float32; sums, products, extrema keep the dtype;
arg-reductions give int32.
"""
import math

import numpy as np

from kerasx.backend.dtypes import FLOAT_DTYPES, standardize_dtype
from kerasx.backend.op_roles import composite

_METHODS = ("linear", "lower", "higher", "midpoint", "nearest")


class StatsContract:
    """Statistics and NaN-ignoring reductions of keras.ops (see the module)."""

    @composite(tensors=("x",))
    def amax(self, x, axis=None, keepdims=False):
        """`max(x, axis, keepdims)`."""
        return self.max(x, axis=axis, keepdims=keepdims)

    @composite(tensors=("x",))
    def amin(self, x, axis=None, keepdims=False):
        """`min(x, axis, keepdims)`."""
        return self.min(x, axis=axis, keepdims=keepdims)

    @composite(tensors=("x",))
    def ptp(self, x, axis=None, keepdims=False):
        """Range (maximum - minimum) along `axis`."""
        return self.subtract(self.max(x, axis=axis, keepdims=keepdims),
                             self.min(x, axis=axis, keepdims=keepdims))

    @composite(tensors=("x", "weights"))
    def average(self, x, axis=None, weights=None):
        """Weighted mean along `axis`: sum(x * weights) / sum(weights), where
        `weights` has x's shape, or is 1-D along `axis` (an int); the plain
        mean without weights. Floating (integers give float32)."""
        x = self._float_operand(x)
        if weights is None:
            return self.mean(x, axis=axis)
        weights = self.cast(weights, self.dtype(x))
        if axis is not None and len(self.shape(weights)) != len(self.shape(x)):
            if not isinstance(axis, int) or len(self.shape(weights)) != 1:
                raise ValueError(
                    "average takes weights of x's shape, or 1-D weights along one "
                    f"int axis; received weights of shape {self.shape(weights)} for x of "
                    f"shape {self.shape(x)} and axis={axis!r}.")
            rank = len(self.shape(x))
            shape = [1] * rank
            shape[axis % rank] = self.shape(weights)[0]
            weights = self.reshape(weights, tuple(shape))
            total = self.sum(weights)
        else:
            total = self.sum(self.multiply(weights, self.ones_like(x)), axis=axis)
        return self.divide(self.sum(self.multiply(x, weights), axis=axis), total)

    # ------------------------------------------------------------------
    # Quantiles
    # ------------------------------------------------------------------
    @composite(tensors=("x",))  # q: levels, read on the host when not a tensor
    def quantile(self, x, q, axis=None, method="linear", keepdims=False):
        """The `q`-th quantiles (q in [0, 1], a scalar or 1-D) of `x` along
        `axis` (None: all), by NumPy's `method` ("linear", "lower",
        "higher", "midpoint", "nearest"); a 1-D `q` adds a leading axis.
        NaN wherever a reduced slice holds a NaN.

        Raises:
            ValueError: an unknown method, or a q outside [0, 1].
        """
        return self._quantile(x, q, axis, method, keepdims, ignore_nan=False)

    @composite(tensors=("x",))  # q: levels, read on the host when not a tensor
    def percentile(self, x, q, axis=None, method="linear", keepdims=False):
        """`quantile(x, q / 100, ...)`, q in [0, 100]."""
        return self._quantile(x, q, axis, method, keepdims, ignore_nan=False, scale=100.0)

    @composite(tensors=("x",))
    def median(self, x, axis=None, keepdims=False):
        """The median along `axis` (the mean of the two middle values of an
        even count)."""
        return self._quantile(x, 0.5, axis, "linear", keepdims, ignore_nan=False)

    @composite(tensors=("x",))  # q: levels, read on the host when not a tensor
    def nanquantile(self, x, q, axis=None, method="linear", keepdims=False):
        """`quantile` of the non-NaN elements (NaN for an all-NaN slice)."""
        return self._quantile(x, q, axis, method, keepdims, ignore_nan=True)

    @composite(tensors=("x",))  # q: levels, read on the host when not a tensor
    def nanpercentile(self, x, q, axis=None, method="linear", keepdims=False):
        """`percentile` of the non-NaN elements (NaN for an all-NaN slice)."""
        return self._quantile(x, q, axis, method, keepdims, ignore_nan=True, scale=100.0)

    @composite(tensors=("x",))
    def nanmedian(self, x, axis=None, keepdims=False):
        """`median` of the non-NaN elements (NaN for an all-NaN slice)."""
        return self._quantile(x, 0.5, axis, "linear", keepdims, ignore_nan=True)

    # ------------------------------------------------------------------
    # NaN-ignoring reductions
    # ------------------------------------------------------------------
    @composite(tensors=("x",))
    def nansum(self, x, axis=None, keepdims=False):
        """Sum treating NaN as 0."""
        return self.sum(self._nan_to(x, 0.0), axis=axis, keepdims=keepdims)

    @composite(tensors=("x",))
    def nanprod(self, x, axis=None, keepdims=False):
        """Product treating NaN as 1."""
        return self.prod(self._nan_to(x, 1.0), axis=axis, keepdims=keepdims)

    @composite(tensors=("x",))
    def nanmean(self, x, axis=None, keepdims=False):
        """Mean of the non-NaN elements (NaN for an all-NaN slice); floating."""
        x = self._float_operand(x)
        count = self.sum(self.cast(self.logical_not(self.isnan(x)), self.dtype(x)),
                         axis=axis, keepdims=keepdims)
        return self.divide(self.nansum(x, axis=axis, keepdims=keepdims), count)

    @composite(tensors=("x",))
    def nanvar(self, x, axis=None, keepdims=False):
        """Variance of the non-NaN elements (NaN for an all-NaN slice)."""
        x = self._float_operand(x)
        valid = self.logical_not(self.isnan(x))
        centered = self.where(valid, self.subtract(x, self.nanmean(x, axis, keepdims=True)),
                              self.zeros_like(x))
        count = self.sum(self.cast(valid, self.dtype(x)), axis=axis, keepdims=keepdims)
        return self.divide(self.sum(self.square(centered), axis=axis, keepdims=keepdims),
                           count)

    @composite(tensors=("x",))
    def nanstd(self, x, axis=None, keepdims=False):
        """Standard deviation of the non-NaN elements."""
        return self.sqrt(self.nanvar(x, axis=axis, keepdims=keepdims))

    @composite(tensors=("x",))
    def nanmax(self, x, axis=None, keepdims=False):
        """Maximum of the non-NaN elements (NaN for an all-NaN slice)."""
        return self._nan_extremum(self.max, -math.inf, x, axis, keepdims)

    @composite(tensors=("x",))
    def nanmin(self, x, axis=None, keepdims=False):
        """Minimum of the non-NaN elements (NaN for an all-NaN slice)."""
        return self._nan_extremum(self.min, math.inf, x, axis, keepdims)

    @composite(tensors=("x",))
    def nanargmax(self, x, axis=None, keepdims=False):
        """Index of the largest non-NaN element (the first of ties; -1 for an
        all-NaN slice, as Keras); int32."""
        return self._nan_arg(self.argmax, -math.inf, x, axis, keepdims)

    @composite(tensors=("x",))
    def nanargmin(self, x, axis=None, keepdims=False):
        """Index of the smallest non-NaN element (see nanargmax); int32."""
        return self._nan_arg(self.argmin, math.inf, x, axis, keepdims)

    @composite(tensors=("x",))
    def saturate_cast(self, x, dtype):
        """`x` cast to `dtype` after clipping to the range both dtypes can
        hold (a float above the int32 range gives int32's largest value,
        inf gives float16's largest finite value ...)."""
        dtype = standardize_dtype(dtype)
        source = self.dtype(x)
        if source == "bool":  # 0 and 1 fit every dtype
            return self.cast(x, dtype)
        low, high = _saturation_limits(source, dtype)
        x = self.maximum(x, self.convert_to_tensor(np.asarray(low, source)))
        x = self.minimum(x, self.convert_to_tensor(np.asarray(high, source)))
        return self.cast(x, dtype)

    # ------------------------------------------------------------------
    # Helpers (not operations)
    # ------------------------------------------------------------------
    def _nan_to(self, x, value):
        if self.dtype(x) not in FLOAT_DTYPES:
            return x
        return self.where(self.isnan(x), self.full((), value, self.dtype(x)), x)

    def _nan_extremum(self, reduce, fill, x, axis, keepdims):
        if self.dtype(x) not in FLOAT_DTYPES:
            return reduce(x, axis=axis, keepdims=keepdims)
        result = reduce(self._nan_to(x, fill), axis=axis, keepdims=keepdims)
        empty = self.all(self.isnan(x), axis=axis, keepdims=keepdims)
        return self.where(empty, self.full((), math.nan, self.dtype(x)), result)

    def _nan_arg(self, arg, fill, x, axis, keepdims):
        rank = len(self.shape(x))
        flat = axis is None
        if flat:
            x, axis = self.reshape(x, (-1,)), 0
        index = self.cast(arg(self._nan_to(x, fill), axis=axis), "int32")
        if self.dtype(x) in FLOAT_DTYPES:
            empty = self.all(self.isnan(x), axis=axis)
            index = self.where(empty, self.full((), -1, "int32"), index)
        if keepdims:
            index = self.reshape(index, (1,) * rank) if flat else \
                self.expand_dims(index, axis)
        return index

    def _quantile(self, x, q, axis, method, keepdims, ignore_nan, scale=1.0):
        if method not in _METHODS:
            raise ValueError(f"Unknown quantile method {method!r}; expected one of "
                             f"{', '.join(_METHODS)}.")
        x = self._float_operand(x)
        dtype = self.dtype(x)
        q = self._quantile_levels(q, dtype, scale)
        scalar_q = len(self.shape(q)) == 0
        q = self.reshape(q, (-1,))
        values, kept_shape = self._reduced_last(x, axis)
        n = self.shape(values)[-1]
        batch = self.shape(values)[:-1]
        nan = self.isnan(values)
        if ignore_nan:
            values = self.where(nan, self.full((), math.inf, dtype), values)
            count = self.sum(self.cast(self.logical_not(nan), dtype), axis=-1, keepdims=True)
        else:
            count = self.full(batch + (1,), float(n), dtype)
        ordered = self.negative(self.top_k(self.negative(values), n)[0])  # ascending
        position = self.multiply(q, self.subtract(count, 1.0))  # (*batch, len(q))
        last = float(max(n - 1, 0))
        low = self.clip(self.floor(position), 0.0, last)
        high = self.clip(self.ceil(position), 0.0, last)
        if method == "nearest":  # NumPy rounds the position half to even
            low = high = self.clip(self.round(position), 0.0, last)
        low_v = self.take_along_axis(ordered, self.cast(low, "int32"), axis=-1)
        high_v = self.take_along_axis(ordered, self.cast(high, "int32"), axis=-1)
        if method in ("lower", "nearest"):
            result = low_v
        elif method == "higher":
            result = high_v
        elif method == "midpoint":
            result = self.multiply(self.add(low_v, high_v), 0.5)
        else:
            result = self.add(low_v, self.multiply(self.subtract(high_v, low_v),
                                                   self.subtract(position, low)))
        if ignore_nan:
            undefined = self.equal(count, 0.0)
        else:
            undefined = self.any(nan, axis=-1, keepdims=True)
        result = self.where(undefined, self.full((), math.nan, dtype), result)
        rank = len(batch) + 1
        result = self.transpose(result, (rank - 1,) + tuple(range(rank - 1)))  # q first
        result = self.reshape(result, (self.shape(q)[0],) + (kept_shape if keepdims
                                                             else batch))
        return self.squeeze(result, 0) if scalar_q else result

    def _quantile_levels(self, q, dtype, scale):
        if not self.is_tensor(q):
            levels = np.asarray(q, dtype="float64")
            if levels.ndim > 1 or np.any(levels < 0) or np.any(levels > scale):
                raise ValueError(f"Quantile levels must be a scalar or 1-D, within [0, "
                                 f"{scale:g}]; received {q!r}.")
            q = self.convert_to_tensor(levels / scale, dtype)
            return q
        q = self.cast(q, dtype)
        return self.divide(q, scale) if scale != 1.0 else q

    def _reduced_last(self, x, axis):
        """(x with the `axis` axes moved last and flattened into one,
        the keepdims shape)."""
        shape = self.shape(x)
        rank = len(shape)
        axes = self._axes_tuple(x, axis)
        kept = tuple(1 if i in axes else d for i, d in enumerate(shape))
        others = tuple(i for i in range(rank) if i not in axes)
        if axes != tuple(range(rank - len(axes), rank)):
            x = self.transpose(x, others + axes)
        size = int(np.prod([shape[i] for i in axes], dtype=np.int64))
        return self.reshape(x, tuple(shape[i] for i in others) + (size,)), kept


def _saturation_limits(source, target):
    """(low, high): the bounds of `target` that `source` values clip to,
    nudged inside where `source` cannot hold them exactly (as Keras)."""
    def limits(dtype):
        if dtype == "bool":
            return 0, 1
        info = np.iinfo(dtype) if dtype.startswith("int") else np.finfo(dtype)
        return info.min, info.max

    (in_low, in_high), (out_low, out_high) = limits(source), limits(target)
    src = np.dtype(source)
    low = np.asarray(max(in_low, out_low)).astype(src)
    if low < out_low:
        low = np.nextafter(low, 0, dtype=src)
    high = np.asarray(min(in_high, out_high)).astype(src)
    if high > out_high:
        high = np.nextafter(high, 0, dtype=src)
    return low, high

