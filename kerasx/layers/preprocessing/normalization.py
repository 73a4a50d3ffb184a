"""Normalization: standardise features with a mean and variance that are
given or learned by `adapt`."""
import math

import numpy as np

from kerasx import config
from kerasx.backend import get_ops
from kerasx.layers.layer import Layer


def _as_numpy(batch):
    """A NumPy array from an array, a native tensor or (x, y) tuple's x."""
    if isinstance(batch, tuple) and batch:
        batch = batch[0]
    ops = get_ops()
    if ops.is_tensor(batch):
        return ops.to_numpy(batch)
    if hasattr(batch, "numpy") and not isinstance(batch, np.ndarray):
        return np.asarray(batch.numpy())
    if not hasattr(batch, "shape") and not isinstance(batch, (list, np.ndarray)):
        raise TypeError("Normalization.adapt expects arrays or tensors (or an iterable of "
                        f"batches of them); received an element of type "
                        f"{type(batch).__name__}.")
    return np.asarray(batch)


class Normalization(Layer):
    """Feature-wise standardisation, as keras.layers.Normalization:
    `(x - mean) / max(sqrt(var), epsilon)`, or with `invert=True`
    `mean + x * max(sqrt(var), epsilon)`.

    Args:
        axis: the axis or axes that keep separate statistics (default -1:
            one mean per feature); None means a single scalar mean.
        mean, variance: the statistics, given directly (both or neither);
            scalars or arrays broadcastable over the kept axes.
        invert: apply the inverse transformation.

    Without `mean`/`variance`, the layer has non-trainable weights mean,
    variance (shape: the kept axes) and count (int64, as Keras), set by
    `adapt(data)`, which computes the statistics in float64 with NumPy.

    Raises:
        ValueError: for only one of mean/variance, mismatched shapes, an axis
            outside the input, or calling before the statistics exist.
    """

    def __init__(self, axis=-1, mean=None, variance=None, invert=False, **kwargs):
        super().__init__(**kwargs)
        if axis is None:
            axis = ()
        elif isinstance(axis, int):
            axis = (axis,)
        else:
            axis = tuple(axis)
        if not all(isinstance(a, int) and not isinstance(a, bool) for a in axis):
            raise ValueError(f"Normalization `axis` must be an int, a tuple of ints or "
                             f"None. Received: axis={axis!r}")
        self.axis = axis
        self.input_mean = mean
        self.input_variance = variance
        self.invert = invert
        self.supports_masking = True
        self._build_input_shape = None
        self.adapt_mean = self.adapt_variance = self.count = None
        if (mean is not None) != (variance is not None):
            raise ValueError("When setting values directly, both `mean` and `variance` "
                             f"must be set. Received: mean={mean} and variance={variance}")
        if mean is not None:
            if np.shape(mean) != np.shape(variance):
                raise ValueError("When setting values directly, `mean` and `variance` "
                                 f"must have the same shape. Received: mean shape "
                                 f"{np.shape(mean)} and variance shape "
                                 f"{np.shape(variance)}")
            if len(np.shape(mean)) > len(self.axis):
                raise ValueError("The rank of `mean` must be less than or equal to the "
                                 f"number of axes ({len(self.axis)}). Received: mean "
                                 f"shape {np.shape(mean)} for axis {self.axis}")

    def build(self, input_shape):
        input_shape = tuple(input_shape)
        rank = len(input_shape)
        if any(not -rank <= a < rank for a in self.axis):
            raise ValueError("All `axis` values must be in the range [-ndim, ndim). "
                             f"Received inputs with ndim={rank}, while axis={self.axis}")
        self._build_input_shape = input_shape
        self._keep_axis = tuple(sorted(a % rank for a in self.axis))
        for d in self._keep_axis:
            if input_shape[d] is None:
                raise ValueError("All `axis` values to be kept must have a known shape. "
                                 f"Received axis={self.axis}, inputs.shape={input_shape}, "
                                 f"with unknown axis at index {d}")
        self._reduce_axis = tuple(d for d in range(rank) if d not in self._keep_axis)
        self._broadcast_shape = tuple(input_shape[d] if d in self._keep_axis else 1
                                      for d in range(rank))
        self._mean_and_var_shape = tuple(input_shape[d] for d in self._keep_axis)
        if self.input_mean is None:
            self.adapt_mean = self.add_weight(name="mean", shape=self._mean_and_var_shape,
                                              initializer="zeros", trainable=False)
            self.adapt_variance = self.add_weight(name="variance",
                                                  shape=self._mean_and_var_shape,
                                                  initializer="ones", trainable=False)
            self.count = self.add_weight(name="count", shape=(), dtype="int64",
                                         initializer="zeros", trainable=False)
        else:
            self._fixed = tuple(self._broadcast_stat(v) for v in
                                (self.input_mean, self.input_variance))
        self.built = True

    def _broadcast_stat(self, value):
        """A given mean/variance as a float64 array of the broadcast shape;
        its axes align with the last kept axes (as Keras)."""
        value = np.asarray(value, dtype="float64")
        rank = len(self._broadcast_shape)
        if value.ndim > 0:
            expanded = [1] * rank
            for i in range(1, value.ndim + 1):
                expanded[self._keep_axis[-i]] = value.shape[-i]
            value = value.reshape(expanded)
        try:
            return np.broadcast_to(value, self._broadcast_shape)
        except ValueError:
            raise ValueError(f"Normalization mean/variance of shape {np.shape(value)} do "
                             f"not broadcast to {self._broadcast_shape} (input shape "
                             f"{self._build_input_shape}, axis={self.axis}).") from None

    # -- adapt ------------------------------------------------------------------
    def adapt(self, data):
        """Compute the mean and variance of `data` over the non-kept axes.

        Args:
            data: a NumPy array, a native tensor, or an iterable of batches
                (arrays, tensors, or (x, y) tuples whose x is used).

        Raises:
            ValueError: for empty data, or batches whose kept axes differ from
                the shape the layer was built with.
        """
        if self.input_mean is not None:
            raise ValueError("This Normalization layer was given `mean` and `variance`; "
                             "adapt() cannot change them.")
        ops = get_ops()
        if isinstance(data, np.ndarray) or ops.is_tensor(data):
            batches = [_as_numpy(data)]
        elif hasattr(data, "__iter__") and not isinstance(data, (str, bytes, dict)):
            batches = (_as_numpy(b) for b in data)
        else:
            raise TypeError(f"Unsupported data type for adapt(): {type(data).__name__}. "
                            "Pass a NumPy array, a tensor, or an iterable of batches.")
        total_mean = total_var = None
        total_count = 0
        for batch in batches:
            batch = np.asarray(batch, dtype="float64")
            if not self.built:
                self.build(batch.shape)
            else:
                for d in self._keep_axis:
                    if d >= batch.ndim or batch.shape[d] != self._build_input_shape[d]:
                        raise ValueError(
                            f"The layer was built with input_shape="
                            f"{self._build_input_shape}, but adapt() received data "
                            f"with an incompatible shape, data.shape={batch.shape}")
            count = math.prod(batch.shape[d] for d in self._reduce_axis)
            if count == 0:
                continue
            mean = batch.mean(axis=self._reduce_axis)
            var = batch.var(axis=self._reduce_axis)
            if total_mean is None:
                total_mean, total_var, total_count = mean, var, count
                continue
            # Chan et al.'s pairwise combination of (count, mean, M2).
            new_count = total_count + count
            delta = mean - total_mean
            m2 = (total_var * total_count + var * count
                  + delta ** 2 * total_count * count / new_count)
            total_mean = total_mean + delta * count / new_count
            total_var = m2 / new_count
            total_count = new_count
        if total_mean is None:
            raise ValueError("adapt() received no data (an empty array or iterable).")
        self.adapt_mean.assign(np.asarray(total_mean, dtype=self.adapt_mean.dtype))
        self.adapt_variance.assign(np.asarray(total_var, dtype=self.adapt_variance.dtype))

    # -- call -------------------------------------------------------------------
    def _statistics(self, dtype):
        ops = get_ops()
        if self.input_mean is not None:
            mean, variance = (ops.convert_to_tensor(v.astype(dtype)) for v in self._fixed)
            return mean, variance
        mean = ops.reshape(self.adapt_mean.value, self._broadcast_shape)
        variance = ops.reshape(self.adapt_variance.value, self._broadcast_shape)
        if ops.dtype(mean) != dtype:
            mean, variance = ops.cast(mean, dtype), ops.cast(variance, dtype)
        return mean, variance

    def call(self, inputs):
        ops = get_ops()
        dtype = self.dtype
        if ops.dtype(inputs) != dtype:
            inputs = ops.cast(inputs, dtype)
        mean, variance = self._statistics(dtype)
        denom = ops.maximum(ops.sqrt(variance), config.epsilon())
        if self.invert:
            return ops.add(mean, ops.multiply(inputs, denom))
        return ops.divide(ops.subtract(inputs, mean), denom)

    def compute_output_shape(self, input_shape):
        return input_shape

    def get_config(self):
        return {**super().get_config(), "axis": self.axis, "invert": self.invert,
                "mean": np.array(self.input_mean).tolist(),
                "variance": np.array(self.input_variance).tolist()}
