"""Keras 3's correlation metrics: Pearson's and Lin's concordance correlation
coefficients along an axis, the functions and their mean metrics."""
from kerasx import config
from kerasx.backend import get_ops
from kerasx.losses.loss import squeeze_or_expand_to_same_rank, to_tensor
from kerasx.metrics.metric import MeanMetricWrapper


def _pair(y_true, y_pred):
    y_pred = to_tensor(y_pred)
    y_true = to_tensor(y_true, get_ops().dtype(y_pred))
    return squeeze_or_expand_to_same_rank(y_true, y_pred)


def pearson_correlation(y_true, y_pred, axis=-1):
    """Pearson's correlation of y_true and y_pred along `axis`: the mean of
    the products of their standardised values."""
    ops = get_ops()
    y_true, y_pred = _pair(y_true, y_pred)

    def standardised(x):
        centred = ops.subtract(x, ops.mean(x, axis=axis, keepdims=True))
        return ops.divide(centred, ops.std(centred, axis=axis, keepdims=True))

    return ops.mean(ops.multiply(standardised(y_true), standardised(y_pred)), axis=axis)


def concordance_correlation(y_true, y_pred, axis=-1):
    """Lin's concordance correlation along `axis`: 2 cov / (var_true +
    var_pred + (mean_true - mean_pred)^2 + epsilon), the covariance term
    averaged per element as Keras."""
    ops = get_ops()
    y_true, y_pred = _pair(y_true, y_pred)
    true_mean = ops.mean(y_true, axis=axis, keepdims=True)
    pred_mean = ops.mean(y_pred, axis=axis, keepdims=True)
    true_var = ops.var(ops.subtract(y_true, true_mean), axis=axis, keepdims=True)
    pred_var = ops.var(ops.subtract(y_pred, pred_mean), axis=axis, keepdims=True)
    # Centred on the prediction mean for both, as Keras (the mean over the
    # axis equals the covariance).
    covariance = ops.multiply(ops.subtract(y_true, pred_mean),
                              ops.subtract(y_pred, pred_mean))
    norm = ops.add(ops.add(true_var, pred_var), ops.square(ops.subtract(true_mean,
                                                                        pred_mean)))
    return ops.mean(ops.divide(ops.multiply(covariance, 2.0), ops.add(norm,
                                                                      config.epsilon())),
                    axis=axis)


class PearsonCorrelation(MeanMetricWrapper):
    """The mean over samples of `pearson_correlation` along `axis`."""

    def __init__(self, name="pearson_correlation", dtype=None, axis=-1):
        super().__init__(pearson_correlation, name=name, dtype=dtype, axis=axis)
        self.axis = axis

    def get_config(self):
        return {"name": self.name, "dtype": self.dtype, "axis": self.axis}


class ConcordanceCorrelation(MeanMetricWrapper):
    """The mean over samples of `concordance_correlation` along `axis`."""

    def __init__(self, name="concordance_correlation", dtype=None, axis=-1):
        super().__init__(concordance_correlation, name=name, dtype=dtype, axis=axis)
        self.axis = axis

    def get_config(self):
        return {"name": self.name, "dtype": self.dtype, "axis": self.axis}
