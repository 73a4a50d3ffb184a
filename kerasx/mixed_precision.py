"""Mixed precision, as keras.mixed_precision (Keras's legacy names for the
dtype policies and the loss-scaling optimizer)."""
from kerasx.dtype_policies.dtype_policy import DTypePolicy, dtype_policy, set_dtype_policy
from kerasx.optimizers.loss_scale_optimizer import LossScaleOptimizer

#: The legacy name of DTypePolicy.
Policy = DTypePolicy
#: The legacy name of dtype_policy.
global_policy = dtype_policy
#: The legacy name of set_dtype_policy.
set_global_policy = set_dtype_policy

__all__ = ["DTypePolicy", "Policy", "LossScaleOptimizer", "dtype_policy", "global_policy",
           "set_dtype_policy", "set_global_policy"]
