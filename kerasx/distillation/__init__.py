"""Knowledge distillation, as keras.distillation: a Distiller trains a
student model to follow a frozen teacher through distillation losses."""
from kerasx.distillation.distillation_loss import (DistillationLoss, FeatureDistillation,
                                                   LogitsDistillation)
from kerasx.distillation.distiller import Distiller
from kerasx.saving.registry import register_builtin

# A Distiller is a model (load_model rebuilds it through the layer registry);
# its losses are found by class name when a config is read.
register_builtin("layer", [Distiller])
register_builtin("distillation_loss", [DistillationLoss, FeatureDistillation,
                                       LogitsDistillation])

__all__ = ["DistillationLoss", "Distiller", "FeatureDistillation", "LogitsDistillation"]
