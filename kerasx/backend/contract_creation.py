"""The array-creation functions of `keras.ops` beyond zeros/ones/full/arange:
a mixin of the contract (`CreationContract`, a base of
`kerasx.backend.contract.Backend`), composed once from primitives.

A `dtype=None` is Keras's default: floatx (`kerasx.config.floatx()`) for
eye, identity, tri, empty and the windows; the input's dtype for full_like
and empty_like; for linspace, logspace and geomspace the operands' floating
dtype (float32 for Python numbers).
"""
import math

from kerasx.backend.dtypes import FLOAT_DTYPES, standardize_dtype
from kerasx.backend.op_roles import composite


def _floatx():
    from kerasx.backend import floatx  # kerasx.backend imports the contract
    return floatx()


def _length(x, name):
    """A window length: a Python int or an integer scalar array."""
    try:
        n = int(x)
    except TypeError:
        n = None
    if n is None or n != x or n < 0:
        raise ValueError(f"{name} takes a non-negative integer window length; "
                         f"received {x!r}.")
    return n


class CreationContract:
    """Array-creation functions of keras.ops (see the module)."""

    @composite(tensors=())
    def eye(self, N, M=None, k=0, dtype=None):
        """An (N, M) matrix (M defaults to N) with ones on diagonal `k`
        (above the main one for k > 0) and zeros elsewhere."""
        return self.cast(self.equal(self._diagonal_offsets(N, M), k), dtype or _floatx())

    @composite(tensors=())
    def identity(self, n, dtype=None):
        """The (n, n) identity matrix."""
        return self.eye(n, dtype=dtype)

    @composite(tensors=())
    def tri(self, N, M=None, k=0, dtype=None):
        """An (N, M) matrix with ones at and below diagonal `k`, zeros above."""
        return self.cast(self.less_equal(self._diagonal_offsets(N, M), k),
                         dtype or _floatx())

    @composite(tensors=())
    def empty(self, shape, dtype=None):
        """An array of `shape` (zeros: kerasx never hands out uninitialised
        memory, as Keras on TensorFlow)."""
        shape = (shape,) if isinstance(shape, int) else tuple(shape)
        return self.zeros(shape, dtype or _floatx())

    @composite(tensors=("x",))
    def empty_like(self, x, dtype=None):
        """An array of `x`'s shape and dtype (or `dtype`), zeros (see empty)."""
        return self.zeros(self.shape(x), dtype or self.dtype(x))

    @composite(tensors=("x", "fill_value"))
    def full_like(self, x, fill_value, dtype=None):
        """An array of `x`'s shape filled with `fill_value` (a scalar or a
        tensor broadcastable to it), of `x`'s dtype or `dtype`."""
        dtype = dtype or self.dtype(x)
        if self.is_tensor(fill_value):
            return self.broadcast_to(self.cast(fill_value, dtype), self.shape(x))
        return self.full(self.shape(x), fill_value, dtype)

    @composite(tensors=("start", "stop"))
    def linspace(self, start, stop, num=50, endpoint=True, retstep=False, dtype=None,
                 axis=0):
        """`num` evenly spaced values from `start` to `stop` (included with
        `endpoint`), along a new `axis` when start and stop are arrays; with
        `retstep`, also the spacing. An integer `dtype` floors the values.

        Raises:
            ValueError: `num` is negative.
        """
        if num < 0:
            raise ValueError(f"linspace takes a non-negative num; received num={num}.")
        result_dtype = standardize_dtype(dtype) if dtype else self._range_dtype(start, stop)
        work = result_dtype if result_dtype in FLOAT_DTYPES else "float64"
        start, stop = (self.cast(self._as_tensor(v), work) for v in (start, stop))
        divisions = (num - 1 if endpoint else num) or 1
        step = self.divide(self.subtract(stop, start), float(divisions))
        shape = self.shape(self.add(start, stop))
        steps = self.arange(0, num, 1, work)
        index = self.reshape(steps, (num,) + (1,) * len(shape))
        values = self.add(start, self.multiply(index, step))
        if endpoint and num > 1:  # the last value is `stop` exactly (NumPy's)
            is_last = self.equal(index, float(num - 1))
            values = self.where(is_last, self.add(self.zeros_like(values), stop), values)
        if shape and axis != 0:
            values = self.transpose(values, self._move_first_to(len(shape) + 1, axis))
        if result_dtype not in FLOAT_DTYPES:
            values = self.floor(values)
        values = self.cast(values, result_dtype)
        if retstep:
            if num < 2 and endpoint:
                step = self.full(shape, math.nan, work)
            return values, self.cast(step, result_dtype)
        return values

    @composite(tensors=("start", "stop"))
    def logspace(self, start, stop, num=50, endpoint=True, base=10, dtype=None, axis=0):
        """base ** linspace(start, stop, ...): `num` values evenly spaced on a
        log scale from base ** start to base ** stop."""
        exponents = self.linspace(start, stop, num, endpoint, dtype=dtype, axis=axis)
        return self.power(self.full((), float(base), self.dtype(exponents)), exponents)

    @composite(tensors=("start", "stop"))
    def geomspace(self, start, stop, num=50, endpoint=True, dtype=None, axis=0):
        """`num` values evenly spaced on a log scale from `start` to `stop`
        (which share a sign), as Keras: sign(start) * 10 ** linspace(log10
        |start|, log10 |stop|)."""
        work = standardize_dtype(dtype) if dtype else _floatx()
        start, stop = (self.cast(self._as_tensor(v), work) for v in (start, stop))
        log10 = math.log(10.0)
        exponents = self.linspace(self.divide(self.log(self.abs(start)), log10),
                                  self.divide(self.log(self.abs(stop)), log10), num,
                                  endpoint, dtype=dtype, axis=axis)
        values = self.power(self.full((), 10.0, self.dtype(exponents)), exponents)
        return self.multiply(values, self.cast(self.sign(start), self.dtype(values)))

    # ------------------------------------------------------------------
    # Windows (float32, Keras's floatx; computed in float64)
    # ------------------------------------------------------------------
    @composite(tensors=())
    def bartlett(self, x):
        """The Bartlett (triangular) window of length `x`."""
        n, ramp = self._window_ramp(x, "bartlett")
        return self._window(n, self.subtract(1.0, self.abs(self.subtract(ramp, 1.0))))

    @composite(tensors=())
    def blackman(self, x):
        """The Blackman window of length `x`."""
        n, ramp = self._window_ramp(x, "blackman")
        angle = self.multiply(ramp, math.pi)
        window = self.add(self.subtract(0.42, self.multiply(self.cos(angle), 0.5)),
                          self.multiply(self.cos(self.multiply(angle, 2.0)), 0.08))
        return self._window(n, window)

    @composite(tensors=())
    def hamming(self, x):
        """The Hamming window of length `x`."""
        n, ramp = self._window_ramp(x, "hamming")
        return self._window(n, self.subtract(
            0.54, self.multiply(self.cos(self.multiply(ramp, math.pi)), 0.46)))

    @composite(tensors=())
    def hanning(self, x):
        """The Hann window of length `x`."""
        n, ramp = self._window_ramp(x, "hanning")
        return self._window(n, self.subtract(
            0.5, self.multiply(self.cos(self.multiply(ramp, math.pi)), 0.5)))

    @composite(tensors=())
    def kaiser(self, x, beta):
        """The Kaiser window of length `x` and shape `beta`:
        i0(beta * sqrt(1 - (2 n / (x - 1) - 1) ** 2)) / i0(beta)."""
        n, ramp = self._window_ramp(x, "kaiser")
        beta = float(beta)
        inner = self.sqrt(self.maximum(
            self.subtract(1.0, self.square(self.subtract(ramp, 1.0))), 0.0))
        window = self.divide(self.i0(self.multiply(inner, beta)),
                             self.i0(self.full((), beta, "float64")))
        return self._window(n, window)

    # ------------------------------------------------------------------
    # Helpers (not operations)
    # ------------------------------------------------------------------
    def _diagonal_offsets(self, N, M):
        """(N, M) int32 matrix of column - row."""
        M = N if M is None else M
        rows = self.reshape(self.arange(0, N, 1, "int32"), (N, 1))
        cols = self.reshape(self.arange(0, M, 1, "int32"), (1, M))
        return self.subtract(cols, rows)

    def _window_ramp(self, x, name):
        """(length, 2 n / (length - 1) for n < length, in float64)."""
        n = _length(x, name)
        ramp = self.arange(0, n, 1, "float64")
        return n, self.multiply(ramp, 2.0 / (n - 1) if n > 1 else 0.0)

    def _window(self, n, window):
        if n == 1:
            return self.ones((1,), _floatx())
        return self.cast(window, _floatx())

    def _as_tensor(self, value):
        return value if self.is_tensor(value) else self.convert_to_tensor(value)

    def _range_dtype(self, start, stop):
        """Keras's linspace dtype: the widest floating dtype of the operands,
        float32 for integers, bools and Python numbers."""
        floats = [self.dtype(v) for v in (start, stop)
                  if self.is_tensor(v) and self.dtype(v) in FLOAT_DTYPES]
        return max(floats, key=FLOAT_DTYPES.index) if floats else "float32"

    @staticmethod
    def _move_first_to(rank, axis):
        axis = axis % rank
        order = list(range(1, rank))
        order.insert(axis, 0)
        return tuple(order)
