"""kerasx.losses: Keras 3's losses, classes and functions.

`get` follows keras.losses.get: a class name gives an instance
(`get("MeanSquaredError")`), a function name or short alias gives the function
(`get("mse") is mean_squared_error`), a config dict gives an instance.
"""
from kerasx.losses.loss import Loss, reduce_weighted_values  # noqa: F401
from kerasx.losses.losses import (ALIASES, ALL_CLASSES, ALL_FUNCTIONS,  # noqa: F401
                                  BinaryCrossentropy, CategoricalCrossentropy,
                                  CategoricalHinge, CosineSimilarity, Hinge, Huber,
                                  KLDivergence, LogCosh, LossFunctionWrapper,
                                  MeanAbsoluteError, MeanAbsolutePercentageError,
                                  MeanSquaredError, MeanSquaredLogarithmicError,
                                  Poisson, SparseCategoricalCrossentropy, SquaredHinge,
                                  binary_crossentropy, categorical_crossentropy,
                                  categorical_hinge, cosine_similarity, hinge, huber,
                                  kl_divergence, log_cosh,
                                  mean_absolute_error, mean_absolute_percentage_error,
                                  mean_squared_error, mean_squared_logarithmic_error,
                                  poisson, sparse_categorical_crossentropy,
                                  squared_hinge)
from kerasx.losses.circle import Circle, circle
from kerasx.losses.ctc import CTC, ctc
from kerasx.losses.focal_losses import (BinaryFocalCrossentropy,
                                        CategoricalFocalCrossentropy,
                                        binary_focal_crossentropy,
                                        categorical_focal_crossentropy)
from kerasx.losses.generalized_cross_entropy import (CategoricalGeneralizedCrossEntropy,
                                                     categorical_generalized_cross_entropy)
from kerasx.losses.overlap_losses import Dice, Tversky, dice, tversky
from kerasx.saving.registry import make_getter

ALL_CLASSES = ALL_CLASSES + [BinaryFocalCrossentropy, CategoricalFocalCrossentropy, Dice,
                             Tversky, Circle, CategoricalGeneralizedCrossEntropy, CTC]
ALL_FUNCTIONS = ALL_FUNCTIONS + [binary_focal_crossentropy, categorical_focal_crossentropy,
                                 dice, tversky, circle,
                                 categorical_generalized_cross_entropy, ctc]

# Keras's legacy function aliases.
mse = MSE = mean_squared_error
mae = MAE = mean_absolute_error
mape = MAPE = mean_absolute_percentage_error
msle = MSLE = mean_squared_logarithmic_error
kld = KLD = kl_divergence
logcosh = log_cosh

_FUNCTIONS = {f.__name__: f for f in ALL_FUNCTIONS}
_FUNCTIONS.update(ALIASES)

_get, _serialize, _deserialize = make_getter(
    "loss", Loss, ALL_CLASSES + [LossFunctionWrapper], call_class=True,
    functions=_FUNCTIONS, module="keras.losses")


def get(identifier, custom_objects=None):
    """A loss from `identifier`: None, a Loss, a callable, a name or a config.

    Raises:
        ValueError: for an unknown name or an uninterpretable value.
    """
    if isinstance(identifier, type) and issubclass(identifier, Loss):
        return identifier()
    return _get(identifier, custom_objects)


def serialize(loss):
    """A Keras-style config of `loss`: a dict for a Loss instance, the
    function's name for a built-in loss function."""
    return _serialize(loss)


def deserialize(config, custom_objects=None):
    """The loss described by `config` (as written by `serialize` or by Keras,
    whose function configs read {"class_name": "function", "config": name})."""
    if isinstance(config, dict) and config.get("class_name") in ("function",
                                                                  "__function__"):
        return get(config["config"], custom_objects)
    return _deserialize(config, custom_objects)
