"""Keras 3's losses: the functions (per-sample values) and their classes.

Each function takes `y_true` and `y_pred` (tensors, Variables, NumPy arrays or
lists), casts `y_true` to `y_pred`'s dtype and returns the per-sample loss,
reduced over the last axis where Keras reduces it. Formulas, epsilons and
clipping follow Keras 3; the cross-entropies use the contract's composites.
"""
import math

from kerasx import config
from kerasx.backend import get_ops
from kerasx.losses.loss import Loss, squeeze_or_expand_to_same_rank, to_tensor


def _as_pair(y_true, y_pred, squeeze=True):
    """(y_true, y_pred) as tensors, y_true in y_pred's dtype; optionally
    aligned in rank by squeeze_or_expand_to_same_rank."""
    y_pred = to_tensor(y_pred)
    y_true = to_tensor(y_true, get_ops().dtype(y_pred))
    if squeeze:
        y_true, y_pred = squeeze_or_expand_to_same_rank(y_true, y_pred)
    return y_true, y_pred


def l2_normalize(x, axis=-1):
    """x * min(rsqrt(sum(x ** 2)), 1 / epsilon) along `axis` (keras.ops.normalize)."""
    ops = get_ops()
    if ops.ndim(x) == 0:
        x = ops.expand_dims(x, 0)
    inv_norm = ops.rsqrt(ops.sum(ops.square(x), axis=axis, keepdims=True))
    inv_norm = ops.minimum(inv_norm, 1.0 / config.epsilon())
    return ops.multiply(x, inv_norm)


def _binary_labels_to_hinge(y_true):
    """Labels in {0, 1} become {-1, 1}; other labels are kept (as Keras)."""
    ops = get_ops()
    is_binary = ops.all(ops.logical_or(ops.equal(y_true, 0.0), ops.equal(y_true, 1.0)))
    flag = ops.cast(is_binary, ops.dtype(y_true))
    # flag 1: y + (y - 1) = 2y - 1; flag 0: y.
    return ops.add(y_true, ops.multiply(flag, ops.subtract(y_true, 1.0)))


# ----------------------------------------------------------------------------
# Regression losses
# ----------------------------------------------------------------------------
def mean_squared_error(y_true, y_pred):
    """mean((y_true - y_pred) ** 2, axis=-1)."""
    ops = get_ops()
    y_true, y_pred = _as_pair(y_true, y_pred)
    return ops.mean(ops.square(ops.subtract(y_true, y_pred)), axis=-1)


def mean_absolute_error(y_true, y_pred):
    """mean(|y_true - y_pred|, axis=-1)."""
    ops = get_ops()
    y_true, y_pred = _as_pair(y_true, y_pred)
    return ops.mean(ops.abs(ops.subtract(y_true, y_pred)), axis=-1)


def mean_absolute_percentage_error(y_true, y_pred):
    """100 * mean(|(y_true - y_pred) / max(|y_true|, epsilon)|, axis=-1)."""
    ops = get_ops()
    y_true, y_pred = _as_pair(y_true, y_pred)
    diff = ops.abs(ops.divide(ops.subtract(y_true, y_pred),
                              ops.maximum(ops.abs(y_true), config.epsilon())))
    return ops.multiply(ops.mean(diff, axis=-1), 100.0)


def mean_squared_logarithmic_error(y_true, y_pred):
    """mean((log(max(y_pred, eps) + 1) - log(max(y_true, eps) + 1)) ** 2, axis=-1)."""
    ops = get_ops()
    y_true, y_pred = _as_pair(y_true, y_pred)
    eps = config.epsilon()
    first = ops.log(ops.add(ops.maximum(y_pred, eps), 1.0))
    second = ops.log(ops.add(ops.maximum(y_true, eps), 1.0))
    return ops.mean(ops.square(ops.subtract(first, second)), axis=-1)


def cosine_similarity(y_true, y_pred, axis=-1):
    """-sum(l2_normalize(y_true) * l2_normalize(y_pred), axis)."""
    ops = get_ops()
    y_true, y_pred = _as_pair(y_true, y_pred)
    return ops.negative(ops.sum(ops.multiply(l2_normalize(y_true, axis),
                                             l2_normalize(y_pred, axis)), axis=axis))


def huber(y_true, y_pred, delta=1.0):
    """mean of 0.5 * e ** 2 where |e| <= delta, else delta * |e| - 0.5 * delta ** 2."""
    ops = get_ops()
    y_true, y_pred = _as_pair(y_true, y_pred)
    delta = float(delta)
    error = ops.subtract(y_pred, y_true)
    abs_error = ops.abs(error)
    quadratic = ops.multiply(ops.square(error), 0.5)
    linear = ops.subtract(ops.multiply(abs_error, delta), 0.5 * delta * delta)
    return ops.mean(ops.where(ops.less_equal(abs_error, delta), quadratic, linear),
                    axis=-1)


def log_cosh(y_true, y_pred):
    """mean(log(cosh(y_pred - y_true)), axis=-1), as x + softplus(-2x) - log 2."""
    ops = get_ops()
    y_true, y_pred = _as_pair(y_true, y_pred)
    x = ops.subtract(y_pred, y_true)
    value = ops.subtract(ops.add(x, ops.softplus(ops.multiply(x, -2.0))), math.log(2.0))
    return ops.mean(value, axis=-1)


# ----------------------------------------------------------------------------
# Probabilistic losses
# ----------------------------------------------------------------------------
def kl_divergence(y_true, y_pred):
    """sum(y_true * log(y_true / y_pred), axis=-1), both clipped to [eps, 1]."""
    ops = get_ops()
    y_true, y_pred = _as_pair(y_true, y_pred, squeeze=False)
    eps = config.epsilon()
    y_true = ops.clip(y_true, eps, 1.0)
    y_pred = ops.clip(y_pred, eps, 1.0)
    return ops.sum(ops.multiply(y_true, ops.log(ops.divide(y_true, y_pred))), axis=-1)


def poisson(y_true, y_pred):
    """mean(y_pred - y_true * log(y_pred + eps), axis=-1)."""
    ops = get_ops()
    y_true, y_pred = _as_pair(y_true, y_pred, squeeze=False)
    log_pred = ops.log(ops.add(y_pred, config.epsilon()))
    return ops.mean(ops.subtract(y_pred, ops.multiply(y_true, log_pred)), axis=-1)


def categorical_crossentropy(y_true, y_pred, from_logits=False, label_smoothing=0.0,
                             axis=-1):
    """Cross-entropy of one-hot (or soft) `y_true` along `axis`; label
    smoothing mixes y_true with the uniform distribution over the classes."""
    if isinstance(axis, bool):
        raise ValueError(f"`axis` must be of type `int`. Received: axis={axis} of "
                         f"type {type(axis)}")
    ops = get_ops()
    y_true, y_pred = _as_pair(y_true, y_pred, squeeze=False)
    if label_smoothing:
        num_classes = float(ops.shape(y_true)[-1])
        y_true = ops.add(ops.multiply(y_true, 1.0 - label_smoothing),
                         label_smoothing / num_classes)
    return ops.categorical_crossentropy(y_true, y_pred, from_logits=from_logits,
                                        axis=axis)


def _sparse_categorical_crossentropy_masked(y_true, y_pred, from_logits=False,
                                            ignore_class=None, axis=-1):
    """(per-sample losses, bool mask of the entries not ignored, or None)."""
    ops = get_ops()
    y_pred = to_tensor(y_pred)
    y_true = to_tensor(y_true)
    pred_shape = ops.shape(y_pred)
    if ops.ndim(y_true) == len(pred_shape) and ops.shape(y_true)[axis] == 1:
        y_true = ops.squeeze(y_true, axis=axis)
    valid = None
    if ignore_class is not None:
        valid = ops.not_equal(y_true, ops.full((), ignore_class, ops.dtype(y_true)))
        y_true = ops.where(valid, y_true, ops.zeros_like(y_true))
        # Keras zeroes the ignored rows; probabilities get ones instead (the
        # rows are masked out either way) so that renormalising them cannot
        # produce NaN in the gradient.
        filler = ops.zeros_like(y_pred) if from_logits else ops.ones_like(y_pred)
        keep = ops.broadcast_to(ops.expand_dims(valid, axis % len(pred_shape)),
                                pred_shape)
        y_pred = ops.where(keep, y_pred, filler)
    result = ops.sparse_categorical_crossentropy(y_true, y_pred,
                                                 from_logits=from_logits, axis=axis)
    if valid is not None:
        valid = ops.reshape(valid, ops.shape(result))
        result = ops.where(valid, result, ops.zeros_like(result))
    return result, valid


def sparse_categorical_crossentropy(y_true, y_pred, from_logits=False,
                                    ignore_class=None, axis=-1):
    """Cross-entropy with integer class labels `y_true`; entries whose label is
    `ignore_class` give 0 (the Loss class also leaves them out of the mean)."""
    return _sparse_categorical_crossentropy_masked(y_true, y_pred, from_logits,
                                                   ignore_class, axis)[0]


sparse_categorical_crossentropy._with_mask = _sparse_categorical_crossentropy_masked


def binary_crossentropy(y_true, y_pred, from_logits=False, label_smoothing=0.0, axis=-1):
    """mean over `axis` of the element-wise binary cross-entropy; label
    smoothing pulls y_true towards 0.5."""
    ops = get_ops()
    y_true, y_pred = _as_pair(y_true, y_pred, squeeze=False)
    if label_smoothing:
        y_true = ops.add(ops.multiply(y_true, 1.0 - label_smoothing),
                         0.5 * label_smoothing)
    return ops.mean(ops.binary_crossentropy(y_true, y_pred, from_logits=from_logits),
                    axis=axis)


# ----------------------------------------------------------------------------
# Hinge losses
# ----------------------------------------------------------------------------
def hinge(y_true, y_pred):
    """mean(max(1 - y_true * y_pred, 0), axis=-1); labels {0, 1} become {-1, 1}."""
    ops = get_ops()
    y_true, y_pred = _as_pair(y_true, y_pred, squeeze=False)
    y_true = _binary_labels_to_hinge(y_true)
    return ops.mean(ops.maximum(ops.subtract(1.0, ops.multiply(y_true, y_pred)), 0.0),
                    axis=-1)


def squared_hinge(y_true, y_pred):
    """mean(max(1 - y_true * y_pred, 0) ** 2, axis=-1)."""
    ops = get_ops()
    y_true, y_pred = _as_pair(y_true, y_pred, squeeze=False)
    y_true = _binary_labels_to_hinge(y_true)
    margin = ops.maximum(ops.subtract(1.0, ops.multiply(y_true, y_pred)), 0.0)
    return ops.mean(ops.square(margin), axis=-1)


def categorical_hinge(y_true, y_pred):
    """max(max((1 - y_true) * y_pred) - sum(y_true * y_pred) + 1, 0)."""
    ops = get_ops()
    y_true, y_pred = _as_pair(y_true, y_pred, squeeze=False)
    pos = ops.sum(ops.multiply(y_true, y_pred), axis=-1)
    neg = ops.max(ops.multiply(ops.subtract(1.0, y_true), y_pred), axis=-1)
    return ops.maximum(ops.add(ops.subtract(neg, pos), 1.0), 0.0)


# ----------------------------------------------------------------------------
# Classes
# ----------------------------------------------------------------------------
class LossFunctionWrapper(Loss):
    """A Loss calling `fn(y_true, y_pred, **kwargs)` after aligning the ranks
    of y_true and y_pred (as keras.losses.LossFunctionWrapper)."""

    def __init__(self, fn, reduction="sum_over_batch_size", name=None, dtype=None,
                 **kwargs):
        super().__init__(name=name, reduction=reduction, dtype=dtype)
        self.fn = fn
        self._fn_kwargs = kwargs

    def _call_with_mask(self, y_true, y_pred):
        y_true, y_pred = squeeze_or_expand_to_same_rank(y_true, y_pred)
        masked = getattr(self.fn, "_with_mask", None)
        if masked is not None:
            return masked(y_true, y_pred, **self._fn_kwargs)
        return self.fn(y_true, y_pred, **self._fn_kwargs), None

    def call(self, y_true, y_pred):
        return self._call_with_mask(y_true, y_pred)[0]

    def get_config(self):
        from kerasx import losses
        config = super().get_config()
        config["fn"] = losses.serialize(self.fn)
        config.update(self._fn_kwargs)
        return config

    @classmethod
    def from_config(cls, config):
        config = dict(config)
        if "fn" in config:
            from kerasx import losses
            config["fn"] = losses.deserialize(config["fn"])
        return cls(**config)

    def __repr__(self):
        return f"<LossFunctionWrapper({self.fn}, kwargs={self._fn_kwargs})>"


class _FixedLoss(LossFunctionWrapper):
    """A LossFunctionWrapper subclass whose function is fixed by the class;
    its config holds the class's own arguments only."""

    def get_config(self):
        config = Loss.get_config(self)
        config.update({key: getattr(self, key) for key in self._config_keys})
        return config

    _config_keys = ()


def _simple_loss(class_name, fn, default_name, doc):
    def __init__(self, reduction="sum_over_batch_size", name=default_name, dtype=None):
        LossFunctionWrapper.__init__(self, fn, name=name, reduction=reduction,
                                     dtype=dtype)

    return type(class_name, (_FixedLoss,), {"__init__": __init__, "__doc__": doc,
                                            "__module__": __name__})


MeanSquaredError = _simple_loss("MeanSquaredError", mean_squared_error,
                                "mean_squared_error", "Mean of squared errors.")
MeanAbsoluteError = _simple_loss("MeanAbsoluteError", mean_absolute_error,
                                 "mean_absolute_error", "Mean of absolute errors.")
MeanAbsolutePercentageError = _simple_loss(
    "MeanAbsolutePercentageError", mean_absolute_percentage_error,
    "mean_absolute_percentage_error", "Mean absolute percentage error.")
MeanSquaredLogarithmicError = _simple_loss(
    "MeanSquaredLogarithmicError", mean_squared_logarithmic_error,
    "mean_squared_logarithmic_error", "Mean squared logarithmic error.")
LogCosh = _simple_loss("LogCosh", log_cosh, "log_cosh",
                       "Logarithm of the hyperbolic cosine of the error.")
Hinge = _simple_loss("Hinge", hinge, "hinge", "Hinge loss.")
SquaredHinge = _simple_loss("SquaredHinge", squared_hinge, "squared_hinge",
                            "Squared hinge loss.")
CategoricalHinge = _simple_loss("CategoricalHinge", categorical_hinge,
                                "categorical_hinge", "Categorical hinge loss.")
KLDivergence = _simple_loss("KLDivergence", kl_divergence, "kl_divergence",
                            "Kullback-Leibler divergence.")
Poisson = _simple_loss("Poisson", poisson, "poisson", "Poisson loss.")


class CosineSimilarity(_FixedLoss):
    """Negative cosine similarity along `axis`."""

    _config_keys = ("axis",)

    def __init__(self, axis=-1, reduction="sum_over_batch_size",
                 name="cosine_similarity", dtype=None):
        super().__init__(cosine_similarity, name=name, reduction=reduction,
                         dtype=dtype, axis=axis)
        self.axis = axis


class Huber(_FixedLoss):
    """Huber loss with threshold `delta`."""

    _config_keys = ("delta",)

    def __init__(self, delta=1.0, reduction="sum_over_batch_size", name="huber_loss",
                 dtype=None):
        super().__init__(huber, name=name, reduction=reduction, dtype=dtype,
                         delta=delta)
        self.delta = delta


class BinaryCrossentropy(_FixedLoss):
    """Binary cross-entropy (probabilities, or logits with from_logits=True)."""

    _config_keys = ("from_logits", "label_smoothing", "axis")

    def __init__(self, from_logits=False, label_smoothing=0.0, axis=-1,
                 reduction="sum_over_batch_size", name="binary_crossentropy",
                 dtype=None):
        super().__init__(binary_crossentropy, name=name, reduction=reduction,
                         dtype=dtype, from_logits=from_logits,
                         label_smoothing=label_smoothing, axis=axis)
        self.from_logits = from_logits
        self.label_smoothing = label_smoothing
        self.axis = axis


class CategoricalCrossentropy(_FixedLoss):
    """Categorical cross-entropy of one-hot labels."""

    _config_keys = ("from_logits", "label_smoothing", "axis")

    def __init__(self, from_logits=False, label_smoothing=0.0, axis=-1,
                 reduction="sum_over_batch_size", name="categorical_crossentropy",
                 dtype=None):
        super().__init__(categorical_crossentropy, name=name, reduction=reduction,
                         dtype=dtype, from_logits=from_logits,
                         label_smoothing=label_smoothing, axis=axis)
        self.from_logits = from_logits
        self.label_smoothing = label_smoothing
        self.axis = axis


class SparseCategoricalCrossentropy(_FixedLoss):
    """Categorical cross-entropy of integer labels; `ignore_class` entries are
    left out of the loss and of the average."""

    _config_keys = ("from_logits", "ignore_class")

    def __init__(self, from_logits=False, ignore_class=None,
                 reduction="sum_over_batch_size", axis=-1,
                 name="sparse_categorical_crossentropy", dtype=None):
        super().__init__(sparse_categorical_crossentropy, name=name,
                         reduction=reduction, dtype=dtype, from_logits=from_logits,
                         ignore_class=ignore_class, axis=axis)
        self.from_logits = from_logits
        self.ignore_class = ignore_class


ALL_CLASSES = [MeanSquaredError, MeanAbsoluteError, MeanAbsolutePercentageError,
               MeanSquaredLogarithmicError, CosineSimilarity, Huber, LogCosh, Hinge,
               SquaredHinge, CategoricalHinge, KLDivergence, Poisson,
               BinaryCrossentropy, CategoricalCrossentropy,
               SparseCategoricalCrossentropy]

ALL_FUNCTIONS = [mean_squared_error, mean_absolute_error,
                 mean_absolute_percentage_error, mean_squared_logarithmic_error,
                 cosine_similarity, huber, log_cosh, hinge, squared_hinge,
                 categorical_hinge, kl_divergence, poisson, binary_crossentropy,
                 categorical_crossentropy, sparse_categorical_crossentropy]

# Keras's short aliases.
ALIASES = {"mse": mean_squared_error, "MSE": mean_squared_error,
           "mae": mean_absolute_error, "MAE": mean_absolute_error,
           "mape": mean_absolute_percentage_error,
           "MAPE": mean_absolute_percentage_error,
           "msle": mean_squared_logarithmic_error,
           "MSLE": mean_squared_logarithmic_error,
           "kld": kl_divergence, "KLD": kl_divergence,
           "bce": binary_crossentropy, "BCE": binary_crossentropy}

__all__ = ["LossFunctionWrapper"] + [c.__name__ for c in ALL_CLASSES] \
    + [f.__name__ for f in ALL_FUNCTIONS]
