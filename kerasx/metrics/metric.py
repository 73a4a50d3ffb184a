"""The Metric base class and the reduction metrics (Mean, Sum, MeanMetricWrapper).

A metric keeps its state in non-trainable kerasx Variables, updated with
`assign_add`; `result()` returns a native tensor computed from them.
"""

from kerasx import config
from kerasx.backend import get_ops
from kerasx.backend.naming import auto_name
from kerasx.random import host_draws
from kerasx.losses.loss import (apply_mask, divide_no_nan,
                                squeeze_or_expand_to_same_rank, to_tensor)
from kerasx.variables import Variable, writes_enabled, writes_recorded


class Metric:
    """Base class of metrics, as keras.metrics.Metric.

    Subclasses create their state with `add_variable` in `__init__` and
    implement `update_state(...)` and `result()`.

    Args:
        dtype: dtype of the metric's computation (default floatx).
        name: the metric's name (default: snake_case of the class name).
    """

    def __init__(self, dtype=None, name=None):
        self.name = name or auto_name(type(self).__name__)
        self._dtype = dtype or config.floatx()
        self._variables = []
        self._metrics = []

    def __setattr__(self, name, value):
        # Track sub-metrics assigned as attributes, so that their variables
        # belong to this metric too (as Keras's tracker).
        if isinstance(value, Metric) and "_metrics" in self.__dict__ \
                and value not in self._metrics:
            self._metrics.append(value)
        super().__setattr__(name, value)

    def _check_super_called(self):
        if "_variables" not in self.__dict__:
            raise RuntimeError("You forgot to call `super().__init__()` in the "
                               f"`__init__()` method of {type(self).__name__}.")

    @property
    def dtype(self):
        return self._dtype

    def add_variable(self, shape, initializer="zeros", dtype=None, aggregation="sum",
                     name=None):
        """A new non-trainable state Variable of `shape`, tracked by the metric.

        `initializer` is an initializer or its name (default zeros); `dtype`
        defaults to floatx, as Keras. `aggregation` is accepted for Keras
        compatibility (distribution is not modelled)."""
        from kerasx import initializers
        self._check_super_called()
        initializer = initializers.get(initializer or "zeros")
        variable = Variable(initializer, shape=tuple(shape),
                            dtype=dtype or config.floatx(), trainable=False, name=name)
        variable.path = f"{self.name}/{variable.name}"
        self._variables.append(variable)
        return variable

    def add_weight(self, shape=(), initializer=None, dtype=None, name=None):
        """As add_variable (Keras's older name)."""
        return self.add_variable(shape=shape, initializer=initializer, dtype=dtype,
                                 name=name)

    @property
    def variables(self):
        out = list(self._variables)
        for metric in self._metrics:
            out.extend(metric.variables)
        return out

    def reset_state(self):
        """Set every state variable back to zero."""
        for v in self.variables:
            _assign_zeros(v)

    def update_state(self, *args, **kwargs):
        raise NotImplementedError(f"{type(self).__name__} must implement update_state().")

    def result(self):
        raise NotImplementedError(f"{type(self).__name__} must implement result().")

    def __call__(self, *args, **kwargs):
        """update_state(*args, **kwargs), then result()."""
        self._check_super_called()
        self.update_state(*args, **kwargs)
        return self.result()

    def get_config(self):
        return {"name": self.name, "dtype": self.dtype}

    @classmethod
    def from_config(cls, config):
        return cls(**config)

    def __repr__(self):
        return f"<{type(self).__name__} name={self.name}>"

    __str__ = __repr__


# Zero tensors by (backend, shape, dtype): train_on_batch resets the metrics
# at every call, and converting new NumPy zeros each time cost about 0.1 ms
# a step on the tiny CNN.
_ZEROS = {}


def _assign_zeros(variable):
    ops = get_ops()
    # A tensor made in a trace must not outlive it; a StatelessScope records the write.
    if host_draws.tracing() or writes_recorded():
        variable.assign(ops.zeros(variable.shape, variable.dtype))
        return
    shape = variable.shape
    key = (id(ops), shape, variable.dtype)
    zeros = _ZEROS.get(key)
    if zeros is None:
        zeros = _ZEROS[key] = ops.zeros(shape, variable.dtype)
    if writes_enabled():  # the zeros fit by construction: no checks needed
        ops.assign(variable.native, zeros)


def reduce_to_samplewise_values(values, sample_weight, reduce_fn, dtype):
    """Reduce `values` to one value per sample, weighted by `sample_weight`
    (broadcast to them) as Keras's reduction metrics; returns
    (values, sample_weight)."""
    ops = get_ops()
    values = to_tensor(values, dtype or config.floatx())
    dtype = ops.dtype(values)
    if sample_weight is not None:
        sample_weight = to_tensor(sample_weight, dtype)
        values, sample_weight = squeeze_or_expand_to_same_rank(values, sample_weight)
        weight_ndim, values_ndim = ops.ndim(sample_weight), ops.ndim(values)
        if values_ndim > weight_ndim:
            values = reduce_fn(values, axis=tuple(range(weight_ndim, values_ndim)))
        sample_weight = ops.broadcast_to(sample_weight, ops.shape(values))
        values = ops.multiply(values, sample_weight)
        if weight_ndim > 1:
            sample_weight = reduce_fn(sample_weight, axis=tuple(range(1, weight_ndim)))
    values_ndim = ops.ndim(values)
    if values_ndim > 1:
        values = reduce_fn(values, axis=tuple(range(1, values_ndim)))
    return values, sample_weight


class Sum(Metric):
    """The (weighted) sum of the values seen."""

    def __init__(self, name="sum", dtype=None):
        super().__init__(name=name, dtype=dtype)
        self.total = self.add_variable(shape=(), dtype=self.dtype, name="total")

    def update_state(self, values, sample_weight=None):
        ops = get_ops()
        values, _ = reduce_to_samplewise_values(values, sample_weight, ops.sum,
                                                self.dtype)
        self.total.assign_add(ops.sum(values))

    def result(self):
        return get_ops().cast(self.total.value, self.dtype)


class Mean(Metric):
    """The (weighted) mean of the values seen: total / count."""

    def __init__(self, name="mean", dtype=None):
        super().__init__(name=name, dtype=dtype)
        self.total = self.add_variable(shape=(), dtype=self.dtype, name="total")
        self.count = self.add_variable(shape=(), dtype=self.dtype, name="count")

    def update_state(self, values, sample_weight=None):
        ops = get_ops()
        values, sample_weight = reduce_to_samplewise_values(values, sample_weight,
                                                            ops.mean, self.dtype)
        self.total.assign_add(ops.sum(values))
        if sample_weight is not None:
            count = ops.sum(sample_weight)
        else:
            shape = ops.shape(values)
            count = float(shape[0]) if shape else 1.0
        self.count.assign_add(count)

    def result(self):
        ops = get_ops()
        return divide_no_nan(self.total.value, ops.cast(self.count.value, self.dtype))


class MeanMetricWrapper(Mean):
    """The mean of `fn(y_true, y_pred, **kwargs)` over all samples seen."""

    def __init__(self, fn, name=None, dtype=None, **kwargs):
        super().__init__(name=name or auto_name(type(self).__name__), dtype=dtype)
        self._fn = fn
        self._fn_kwargs = kwargs

    def update_state(self, y_true, y_pred, sample_weight=None):
        # Native tensors, so that user functions can call contract ops directly.
        y_true, y_pred = to_tensor(y_true), to_tensor(y_pred)
        masked = getattr(self._fn, "_with_mask", None)
        if masked is not None:
            values, mask = masked(y_true, y_pred, **self._fn_kwargs)
        else:
            values, mask = self._fn(y_true, y_pred, **self._fn_kwargs), None
        if mask is not None and sample_weight is not None:
            # As Keras: the values' mask (SparseCategoricalCrossentropy's
            # ignore_class) only zeroes sample weights; unweighted, the
            # ignored entries count as zeros in the mean.
            sample_weight = apply_mask(to_tensor(sample_weight, self.dtype), mask,
                                       self.dtype, "sum")
        return super().update_state(values, sample_weight=sample_weight)

    def get_config(self):
        from kerasx import metrics
        config = super().get_config()
        config["fn"] = metrics.serialize(self._fn)
        config.update(self._fn_kwargs)
        return config

    @classmethod
    def from_config(cls, config):
        config = dict(config)
        if "fn" in config:
            from kerasx import metrics
            config["fn"] = metrics.deserialize(config["fn"])
        return cls(**config)
