"""Optimizers, as keras.optimizers: update rules and numerics follow Keras 3
operation by operation (DESIGN.md rule 6)."""
from kerasx.optimizers import schedules
from kerasx.optimizers.adadelta import Adadelta
from kerasx.optimizers.adagrad import Adagrad
from kerasx.optimizers.adafactor import Adafactor
from kerasx.optimizers.adam import Adam
from kerasx.optimizers.adamax import Adamax
from kerasx.optimizers.adamw import AdamW
from kerasx.optimizers.base_optimizer import Optimizer
from kerasx.optimizers.ftrl import Ftrl
from kerasx.optimizers.lamb import Lamb
from kerasx.optimizers.lion import Lion
from kerasx.optimizers.loss_scale_optimizer import LossScaleOptimizer
from kerasx.optimizers.muon import Muon
from kerasx.optimizers.multi_optimizer import MultiOptimizer, OptimizerMap
from kerasx.optimizers.nadam import Nadam
from kerasx.optimizers.rmsprop import RMSprop
from kerasx.optimizers.schedule_free_adamw import ScheduleFreeAdamW
from kerasx.optimizers.sgd import SGD
from kerasx.saving.registry import make_getter

_ALL = [SGD, Adam, AdamW, RMSprop, Adagrad, Adadelta, Adamax, Nadam, Adafactor, Ftrl,
        Lamb, Lion, LossScaleOptimizer, Muon, MultiOptimizer, ScheduleFreeAdamW]

# Keras's lower-case identifiers ("adamw", "rmsprop" are not snake_case of
# the class names).
_ALIASES = {cls.__name__.lower(): cls for cls in _ALL}

get, serialize, _deserialize_optimizer = make_getter("optimizer", Optimizer, _ALL,
                                                     call_class=True, functions=_ALIASES)


def deserialize(config, custom_objects=None):
    """The optimizer (or OptimizerMap, which is no Optimizer but lives in
    keras.optimizers) a Keras config dict or a name describes.

    Raises:
        ValueError: the config is malformed or names an unknown class.
    """
    if isinstance(config, dict) and config.get("class_name") == "OptimizerMap" and \
            config.get("registered_name") in (None, "OptimizerMap"):
        inner = config.get("config")
        if not isinstance(inner, dict):
            raise ValueError(f"Invalid OptimizerMap config: {inner!r} is not a dict.")
        return OptimizerMap.from_config(inner, custom_objects=custom_objects)
    return _deserialize_optimizer(config, custom_objects)

__all__ = ["Optimizer", "SGD", "Adam", "AdamW", "RMSprop", "Adagrad", "Adadelta",
           "Adamax", "Nadam", "Adafactor", "Ftrl", "Lamb", "Lion", "LossScaleOptimizer",
           "Muon", "MultiOptimizer", "OptimizerMap", "ScheduleFreeAdamW", "schedules", "get", "serialize", "deserialize"]
