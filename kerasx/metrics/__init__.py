"""kerasx.metrics: Keras 3's metrics.

`get` follows keras.metrics.get: a class name, its snake_case form or a short
alias ("mse", "mae", "mape", "msle", "bce") gives a new instance, a config dict
gives an instance, and "accuracy" / "acc" give the generic `accuracy`
function (compile() maps them to Binary/Categorical/SparseCategorical
accuracy by the shapes it sees).
"""
from kerasx.losses.losses import (binary_crossentropy, categorical_crossentropy,  # noqa: F401
                                  categorical_hinge, hinge, huber, kl_divergence,
                                  log_cosh, mean_absolute_error,
                                  mean_absolute_percentage_error, mean_squared_error,
                                  mean_squared_logarithmic_error, poisson,
                                  sparse_categorical_crossentropy, squared_hinge)
from kerasx.metrics.accuracy_metrics import (Accuracy, BinaryAccuracy,  # noqa: F401
                                             CategoricalAccuracy,
                                             SparseCategoricalAccuracy,
                                             SparseTopKCategoricalAccuracy,
                                             TopKCategoricalAccuracy, accuracy,
                                             binary_accuracy, categorical_accuracy,
                                             in_top_k, sparse_categorical_accuracy,
                                             sparse_top_k_categorical_accuracy,
                                             top_k_categorical_accuracy)
from kerasx.metrics.confusion_metrics import (AUC, FalseNegatives,  # noqa: F401
                                              FalsePositives, Precision, Recall,
                                              TrueNegatives, TruePositives)
from kerasx.metrics.loss_metrics import (BinaryCrossentropy,  # noqa: F401
                                         CategoricalCrossentropy, CategoricalHinge,
                                         CosineSimilarity, Hinge, KLDivergence,
                                         LogCoshError, MeanAbsoluteError,
                                         MeanAbsolutePercentageError, MeanSquaredError,
                                         MeanSquaredLogarithmicError, Poisson,
                                         RootMeanSquaredError, SparseCategoricalCrossentropy,
                                         SquaredHinge)
from kerasx.metrics.metric import Mean, MeanMetricWrapper, Metric, Sum  # noqa: F401
from kerasx.losses.focal_losses import (binary_focal_crossentropy,  # noqa: F401
                                        categorical_focal_crossentropy)
from kerasx.metrics.correlation_metrics import (ConcordanceCorrelation,  # noqa: F401
                                                PearsonCorrelation,
                                                concordance_correlation,
                                                pearson_correlation)
from kerasx.metrics.f_score_metrics import F1Score, FBetaScore  # noqa: F401
from kerasx.metrics.iou_metrics import (IoU, BinaryIoU, MeanIoU, OneHotIoU,  # noqa: F401
                                        OneHotMeanIoU)
from kerasx.metrics.r2_score import R2Score  # noqa: F401
from kerasx.metrics.sensitivity_specificity_metrics import (  # noqa: F401
    PrecisionAtRecall, RecallAtPrecision, SensitivityAtSpecificity,
    SpecificityAtSensitivity)
from kerasx.saving.registry import make_getter

ALL_CLASSES = [Mean, Sum, MeanMetricWrapper, MeanSquaredError, RootMeanSquaredError,
               MeanAbsoluteError, MeanAbsolutePercentageError,
               MeanSquaredLogarithmicError, CosineSimilarity, LogCoshError, AUC,
               FalseNegatives, FalsePositives, Precision, Recall, TrueNegatives,
               TruePositives, Hinge, SquaredHinge, CategoricalHinge, KLDivergence,
               Poisson, BinaryCrossentropy, CategoricalCrossentropy,
               SparseCategoricalCrossentropy, Accuracy, BinaryAccuracy,
               CategoricalAccuracy, SparseCategoricalAccuracy, TopKCategoricalAccuracy,
               SparseTopKCategoricalAccuracy, F1Score, FBetaScore, R2Score, IoU, MeanIoU,
               BinaryIoU, OneHotIoU, OneHotMeanIoU, PearsonCorrelation,
               ConcordanceCorrelation, PrecisionAtRecall, RecallAtPrecision,
               SensitivityAtSpecificity, SpecificityAtSensitivity]

#: Metric functions by name (what a function serializes to).
FUNCTIONS = {f.__name__: f for f in (
    accuracy, binary_accuracy, categorical_accuracy, sparse_categorical_accuracy,
    top_k_categorical_accuracy, sparse_top_k_categorical_accuracy,
    binary_crossentropy, categorical_crossentropy, sparse_categorical_crossentropy,
    categorical_hinge, hinge, squared_hinge, huber, kl_divergence, log_cosh,
    mean_absolute_error, mean_absolute_percentage_error, mean_squared_error,
    mean_squared_logarithmic_error, poisson, binary_focal_crossentropy,
    categorical_focal_crossentropy, pearson_correlation, concordance_correlation)}

_ALIASES = {"bce": BinaryCrossentropy, "BCE": BinaryCrossentropy,
            "mse": MeanSquaredError, "MSE": MeanSquaredError,
            "mae": MeanAbsoluteError, "MAE": MeanAbsoluteError,
            "mape": MeanAbsolutePercentageError, "MAPE": MeanAbsolutePercentageError,
            "msle": MeanSquaredLogarithmicError, "MSLE": MeanSquaredLogarithmicError,
            "accuracy": accuracy, "acc": accuracy}

_get, _serialize, _deserialize = make_getter("metric", Metric, ALL_CLASSES,
                                             call_class=True, functions=_ALIASES)


def get(identifier, custom_objects=None):
    """A metric from `identifier`: None, a Metric, a callable, a name or a config.

    Raises:
        ValueError: for an unknown name or an uninterpretable value.
    """
    if isinstance(identifier, type) and issubclass(identifier, Metric):
        return identifier()
    return _get(identifier, custom_objects)


def serialize(metric):
    """A Keras-style config: a dict for a Metric instance or a metric function
    ({"class_name": "function", "config": name})."""
    if metric is None:
        return None
    if not isinstance(metric, (Metric, type)) and callable(metric):
        name = getattr(metric, "__name__", None)
        if FUNCTIONS.get(name) is metric:
            return {"module": "builtins", "class_name": "function", "config": name,
                    "registered_name": "function"}
    config = _serialize(metric)
    if isinstance(config, dict):
        config["module"] = "keras.metrics"
    return config


def deserialize(config, custom_objects=None):
    """The metric (instance or function) described by `config`."""
    if isinstance(config, dict) and config.get("class_name") in ("function",
                                                                  "__function__"):
        name = config["config"]
        if custom_objects and name in custom_objects:
            return custom_objects[name]
        if name in FUNCTIONS:
            return FUNCTIONS[name]
        return get(name, custom_objects)
    return _deserialize(config, custom_objects)
