"""The numeric family of the contract: polynomials, integration,
correlation, distances and determinants (`keras.ops` vander, trapezoid,
correlate, corrcoef, cdist, slogdet, logdet), all composites."""
import numpy as np

from kerasx.backend.op_roles import composite


class NumericContract:
    """Mixin of `Backend`: the numeric family (see the module's docstring)."""

    def _as_float(self, x, wide_ints=False):
        """`x` in a float dtype: floats keep theirs; integers and bool become
        float32 (int64 float64 with `wide_ints`)."""
        dtype = self.dtype(x)
        if dtype.startswith("float"):
            return x
        return self.cast(x, "float64" if wide_ints and dtype == "int64" else "float32")

    @composite(tensors=("x",))
    def vander(self, x, N=None, increasing=False):
        """The Vandermonde matrix of the 1-D `x`: columns x ** (N - 1), ...,
        x ** 0 (reversed with `increasing`); N defaults to len(x). Integer
        `x` gives integers."""
        if self.ndim(x) != 1:
            raise ValueError(f"vander: `x` must be 1-D; received shape {self.shape(x)}.")
        n = self.shape(x)[0] if N is None else int(N)
        powers = np.arange(n) if increasing else np.arange(n - 1, -1, -1)
        base = self._as_float(x, wide_ints=True)
        out = self.power(self.expand_dims(base, -1),
                         self.convert_to_tensor(powers.astype(self.dtype(base))))
        return out if self.dtype(x) == self.dtype(out) else self.cast(self.round(out),
                                                                       self.dtype(x))

    @composite(tensors=("y", "x"))
    def trapezoid(self, y, x=None, dx=1.0, axis=-1):
        """Integral of `y` along `axis` by the trapezoidal rule, with sample
        points `x` (same length along `axis`) or spacing `dx`. Integer `y`
        integrates in float32."""
        y = self._as_float(y)
        rank = self.ndim(y)
        axis %= rank
        n = self.shape(y)[axis]

        def part(t, start):
            begin, extent = [0] * rank, [-1] * rank
            begin[axis], extent[axis] = start, n - 1
            return self.slice(t, begin, extent)

        heights = self.multiply(self.add(part(y, 1), part(y, 0)), 0.5)
        if x is None:
            widths = dx
        elif self.ndim(x) == 1:  # sample points along `axis`, broadcast (NumPy)
            view = [1] * rank
            view[axis] = n - 1
            widths = self.reshape(self.diff(self.cast(x, self.dtype(y))), tuple(view))
        else:
            widths = self.diff(self.cast(x, self.dtype(y)), axis=axis)
        return self.sum(self.multiply(heights, widths), axis=axis)

    @composite(tensors=("x1", "x2"), promote=True)
    def correlate(self, x1, x2, mode="valid"):
        """Cross-correlation of the 1-D `x1` and `x2`, as numpy.correlate:
        c[k] = sum_n x1[n + k] * x2[n]; mode "full" (length n + m - 1),
        "same" (max(n, m), centred) or "valid" (max - min + 1). Integers
        correlate in float32 (int64 in float64)."""
        if mode not in ("valid", "same", "full"):
            raise ValueError(f"Invalid mode: {mode!r}. Mode must be one of: 'full', "
                             "'same', 'valid'.")
        if self.ndim(x1) != 1 or self.ndim(x2) != 1:
            raise ValueError("correlate: both inputs must be 1-D; received shapes "
                             f"{self.shape(x1)} and {self.shape(x2)}.")
        x1, x2 = self._as_float(x1, wide_ints=True), self._as_float(x2, wide_ints=True)
        n, m = self.shape(x1)[0], self.shape(x2)[0]
        zeros = self.zeros((m - 1,), self.dtype(x1))
        padded = self.concatenate([zeros, x1, zeros], axis=0)
        windows = np.arange(n + m - 1)[:, None] + np.arange(m)[None, :]
        full = self.matmul(self._host_gather(padded, windows, 0), x2)
        if mode == "full":
            return full
        if mode == "same":
            length = max(n, m)
            extra = n + m - 1 - length
            # NumPy centres on the longer input: the odd element falls after
            # when x1 is the longer, before when x2 is.
            start = extra // 2 if n >= m else extra - extra // 2
        else:
            length, start = max(n, m) - min(n, m) + 1, min(n, m) - 1
        return self.slice(full, (start,), (length,))

    @composite(tensors=("x",))
    def corrcoef(self, x):
        """Pearson correlation coefficients of the rows (variables) of `x`
        (columns are observations), clipped to [-1, 1]; integers in float32."""
        x = self._as_float(x)
        if self.ndim(x) == 0:
            return self.full((), float("nan"), self.dtype(x))
        centred = self.subtract(x, self.mean(x, axis=-1, keepdims=True))
        samples = self.shape(x)[-1]
        cov = self.divide(self.matmul(centred, self.swapaxes(centred, -1, -2)
                                      if self.ndim(x) > 1 else centred), samples - 1.0)
        if self.ndim(x) == 1:
            return self.divide(cov, cov)
        std = self.sqrt(self.diagonal(cov, axis1=-2, axis2=-1))
        scaled = self.divide(cov, self.multiply(self.expand_dims(std, -1),
                                                self.expand_dims(std, -2)))
        return self.clip(scaled, -1.0, 1.0)

    @composite(tensors=("x", "y"), promote=True)
    def cdist(self, x, y):
        """Euclidean distances between the rows of `x` (..., P, D) and of `y`
        (..., R, D): (..., P, R)."""
        if self.ndim(x) < 2 or self.ndim(y) < 2:
            raise ValueError("`cdist` inputs must have rank >= 2")
        if self.shape(x)[-1] != self.shape(y)[-1]:
            raise ValueError("Last dimension of inputs to `cdist` must match")
        gaps = self.subtract(self.expand_dims(x, -2), self.expand_dims(y, -3))
        return self.sqrt(self.sum(self.square(gaps), axis=-1))

    @composite(tensors=("x",))
    def slogdet(self, x):
        """(sign, log|det|) of the square matrices `x` (..., n, n), by LU
        decomposition with partial pivoting (n steps of whole-matrix
        operations, so a compiled step holds n of them); a singular matrix
        gives (0, -inf). Differentiable where the determinant is not 0."""
        x = self._as_float(x)
        shape = self.shape(x)
        if len(shape) < 2 or shape[-1] != shape[-2]:
            raise ValueError(f"slogdet: `x` must be square matrices (..., n, n); received "
                             f"shape {shape}.")
        n, dtype, batch = shape[-1], self.dtype(x), shape[:-2]
        rows = self.arange(0, n, 1, "int32")
        sign = self.ones(batch, dtype)
        logabs = self.zeros(batch, dtype)
        singular = self.zeros(batch, "bool")
        a = x
        for k in range(n):
            column = self.get_item(a, (Ellipsis, slice(k, None), k))
            pivot_row = self.add(self.argmax(self.abs(self.stop_gradient(column)), axis=-1), k)
            target = self.expand_dims(pivot_row, -1)
            order = self.where(self.equal(rows, k), target,
                               self.where(self.equal(rows, target), k, rows))
            a = self.take_along_axis(a, self.broadcast_to(self.expand_dims(order, -1),
                                                          batch + (n, n)), axis=-2)
            sign = self.where(self.equal(pivot_row, k), sign, self.negative(sign))
            pivot = self.get_item(a, (Ellipsis, k, k))
            zero = self.equal(pivot, 0.0)
            singular = self.logical_or(singular, zero)
            safe = self.where(zero, self.ones_like(pivot), pivot)
            sign = self.multiply(sign, self.sign(safe))
            logabs = self.add(logabs, self.log(self.abs(safe)))
            below = self.convert_to_tensor((np.arange(n) > k).astype(dtype))
            factor = self.multiply(self.divide(self.get_item(a, (Ellipsis, k)),
                                               self.expand_dims(safe, -1)), below)
            a = self.subtract(a, self.multiply(self.expand_dims(factor, -1),
                                               self.get_item(a, (Ellipsis, slice(k, k + 1),
                                                                 slice(None)))))
        return (self.where(singular, self.zeros_like(sign), sign),
                self.where(singular, self.full(batch, float("-inf"), dtype), logabs))

    @composite(tensors=("x",))
    def logdet(self, x):
        """log(det(x)) of the square matrices `x`: NaN where the determinant
        is negative (as TensorFlow's, for positive definite matrices)."""
        sign, logabs = self.slogdet(x)
        return self.where(self.greater(sign, 0.0), logabs,
                          self.where(self.equal(sign, 0.0), logabs,
                                     self.full(self.shape(sign), float("nan"),
                                               self.dtype(sign))))
