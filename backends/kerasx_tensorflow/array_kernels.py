"""TensorFlow kernels of the contract's array family (kerasx/backend/contract_array.py)."""
import tensorflow as tf


class ArrayKernels:
    """Mixin of TensorFlowBackend: sorting, scans, search."""

    def sort(self, x, axis=-1):
        x, axis = self._along(x, axis, "sort")
        if x.dtype == tf.bool:  # tf.sort has no bool kernel
            return tf.cast(tf.sort(tf.cast(x, tf.int32), axis=axis), tf.bool)
        return tf.sort(x, axis=axis)

    def argsort(self, x, axis=-1):
        if x.shape.rank == 0:
            return tf.zeros((1,), tf.int32)
        x, axis = self._along(x, axis, "argsort")
        if x.dtype == tf.bool:
            x = tf.cast(x, tf.int32)
        return tf.argsort(x, axis=axis, stable=True)

    def _scan_input(self, x, axis, dtype, op):
        if dtype is not None:
            x = self.cast(x, dtype)
        if x.dtype == tf.bool:
            x = tf.cast(x, tf.int32)
        return self._along(x, axis, op)

    def cumsum(self, x, axis=None, dtype=None):
        x, axis = self._scan_input(x, axis, dtype, "cumsum")
        return tf.math.cumsum(x, axis=axis)

    def cumprod(self, x, axis=None, dtype=None):
        # tf.math.cumprod's gradient divides by the input (NaN at zeros).
        x, axis = self._scan_input(x, axis, dtype, "cumprod")
        return self._cumprod_by_doubling(x, axis)

    def searchsorted(self, sorted_sequence, values, side="left"):
        self._check_searchsorted(sorted_sequence.shape, side)
        shape = tf.shape(values)
        # tf.searchsorted searches each row of values in the matching row of
        # the sequence: one row of each.
        out = tf.searchsorted(sorted_sequence[None], tf.reshape(values, (1, -1)),
                              side=side, out_type=tf.int32)
        return tf.reshape(out, shape)

    def nonzero(self, x):
        found = tf.where(tf.cast(x, tf.bool) if x.dtype != tf.bool else x)
        return tuple(tf.cast(found[:, i], tf.int32) for i in range(x.shape.rank))

    def view(self, x, dtype=None):
        dtype, shape = self._view_shape(x, dtype)
        # tf.bitcast has no bool: bool tensors travel as uint8 (one byte each).
        source = tf.cast(x, tf.uint8) if x.dtype == tf.bool else x
        target = tf.uint8 if dtype == "bool" else getattr(tf, dtype)
        old, new = source.dtype.size, target.size
        if new > old:  # group the small items: (..., n) -> (..., n / r, r)
            source = tf.reshape(source, tuple(shape) + (new // old,))
        out = tf.reshape(tf.bitcast(source, target), shape)
        return tf.cast(out, tf.bool) if dtype == "bool" else out
