"""MXNet kernels of the contract's array family (kerasx/backend/contract_array.py).

MXNet 1.9 quirks handled here: `np.sort` and `np.cumsum` return float32 for
bool input; `np.argsort` is not stable on CPU (ties in any order); there is
no `cumprod`; `np.searchsorted` has no symbolic form (a compiled step could
not hold it)."""
import mxnet as mx

from kerasx_mxnet import hybrid

np = hybrid.Namespace(mx.np, mx.sym.np)
npx = hybrid.Namespace(mx.npx, mx.sym.npx)


class ArrayKernels:
    """Mixin of MXNetBackend: sorting, scans, search."""

    def sort(self, x, axis=-1):
        x, axis = self._along(x, axis, "sort")
        if x.dtype == bool:
            return np.sort(x.astype("int32"), axis=axis).astype("bool")
        return np.sort(x, axis=axis)

    def argsort(self, x, axis=-1):
        if x.ndim == 0:
            return np.zeros((1,), dtype="int32")
        x, axis = self._along(x, axis, "argsort")
        last = self.moveaxis(x, axis, -1)
        return self.moveaxis(self._stable_order(last), -1, axis)

    def _stable_order(self, x):
        """Stable ascending argsort along the last axis. npx.topk orders
        ties arbitrarily: sort once, number the runs of equal values, then
        sort the exact keys run * n + index (float64, exact below 2 ** 53)."""
        n = x.shape[-1]
        rank = x.ndim
        data = x.detach().astype("float64")
        values, order = npx.topk(data, axis=-1, k=n, ret_typ="both", is_ascend=True,
                                 dtype="float64")
        head = self.slice(values, (0,) * rank, x.shape[:-1] + (n - 1,))
        tail = self.slice(values, (0,) * (rank - 1) + (1,), x.shape[:-1] + (n - 1,))
        runs = np.cumsum((tail != head).astype("float64"), axis=rank - 1)
        runs = np.concatenate([np.zeros(x.shape[:-1] + (1,), dtype="float64"), runs],
                              axis=-1)
        key = npx.topk(runs * float(n) + order, axis=-1, k=n, ret_typ="value",
                       is_ascend=True)
        return (key - np.floor(key / float(n)) * float(n)).astype("int32")

    def _scan_input(self, x, axis, dtype, op):
        if dtype is not None:
            x = self.cast(x, dtype)
        if x.dtype == bool:
            x = x.astype("int32")
        return self._along(x, axis, op)

    def cumsum(self, x, axis=None, dtype=None):
        x, axis = self._scan_input(x, axis, dtype, "cumsum")
        return np.cumsum(x, axis=axis, dtype=x.dtype)

    def cumprod(self, x, axis=None, dtype=None):
        x, axis = self._scan_input(x, axis, dtype, "cumprod")
        return self._cumprod_by_doubling(x, axis)

    def searchsorted(self, sorted_sequence, values, side="left"):
        self._check_searchsorted(sorted_sequence.shape, side)
        # Counting the sequence's elements below each value is exact and has a
        # symbolic form (np.searchsorted has none in MXNet 1.9).
        below = (sorted_sequence < np.expand_dims(values, -1)) if side == "left" \
            else (sorted_sequence <= np.expand_dims(values, -1))
        return np.sum(below.astype("int32"), axis=-1).astype("int32")

    def view(self, x, dtype=None):
        # MXNet has no bitcast: the bytes are re-read on the host (a traced
        # step holding it runs eagerly).
        dtype, shape = self._view_shape(x, dtype)
        return self.convert_to_tensor(self.to_numpy(x).view(dtype).reshape(shape))

    def nonzero(self, x):
        return tuple(i.astype("int32") for i in np.nonzero(x))

