"""ScheduleFreeAdamW, as keras.optimizers.ScheduleFreeAdamW."""
import numpy as np

from kerasx.backend import get_ops
from kerasx.optimizers.base_optimizer import Optimizer


class ScheduleFreeAdamW(Optimizer):
    """Schedule-free AdamW (Defazio et al., 2024), computed as Keras 3
    computes it (t = iterations + 1; z is the `momentum` slot, which starts
    at the variable's value):

        lr_t = learning_rate * min(t / warmup_steps, 1)      (with warmup)
        v += (g ** 2 - v) * (1 - beta_2)
        z -= lr_t * g / (sqrt(v / (1 - beta_2 ** t)) + epsilon)
        x = (w - (1 - beta_1) * z) / beta_1
        x = (1 - 1 / t) * x + z / t
        w = (1 - beta_1) * z + beta_1 * x

    As in Keras 3 (whose `momentum.value` reads the variable after its
    update), the recovered `x` uses the updated z.

    Args:
        learning_rate: float or schedule; default 0.0025.
        beta_1: interpolation between the averaged and the fast iterate (0.9).
        beta_2: decay of the second-moment estimate (0.999).
        epsilon: default 1e-8.
        warmup_steps: linear warmup length (0: none).
        Other arguments: as `Optimizer`.
    """

    def __init__(self, learning_rate=0.0025, beta_1=0.9, beta_2=0.999, epsilon=1e-8,
                 warmup_steps=0, weight_decay=None, clipnorm=None, clipvalue=None,
                 global_clipnorm=None, use_ema=False, ema_momentum=0.99,
                 ema_overwrite_frequency=None, loss_scale_factor=None,
                 gradient_accumulation_steps=None, name=None, **kwargs):
        super().__init__(learning_rate=learning_rate, name=name, weight_decay=weight_decay,
                         clipnorm=clipnorm, clipvalue=clipvalue,
                         global_clipnorm=global_clipnorm, use_ema=use_ema,
                         ema_momentum=ema_momentum,
                         ema_overwrite_frequency=ema_overwrite_frequency,
                         loss_scale_factor=loss_scale_factor,
                         gradient_accumulation_steps=gradient_accumulation_steps, **kwargs)
        self.beta_1 = beta_1
        self.beta_2 = beta_2
        self.epsilon = epsilon
        self.warmup_steps = warmup_steps

    def build(self, var_list):
        if self.built:
            return
        super().build(var_list)
        self._momentums, self._velocities = [], []
        for variable in var_list:
            # z starts at the variable's value: an initial value, not an
            # assignment (a compiled step's dry run, which may build the
            # optimizer, discards assignments).
            self._momentums.append(self.add_variable_from_reference(
                variable, name="momentum",
                initializer=lambda shape, dtype, v=variable: np.array(v.numpy(), dtype)))
            self._velocities.append(self.add_variable_from_reference(variable,
                                                                     name="velocity"))

    def update_step(self, gradient, variable, learning_rate):
        ops = get_ops()
        dtype = variable.dtype
        lr = self._cast(learning_rate, dtype)
        gradient = self._cast(gradient, dtype)
        t = self._local_step(dtype)
        beta_1 = self._cast(self.beta_1, dtype)
        beta_2 = self._cast(self.beta_2, dtype)
        epsilon = self._cast(self.epsilon, dtype)
        if self.warmup_steps > 0:
            warmup = self._cast(self.warmup_steps, dtype)
            lr = ops.multiply(lr, ops.minimum(ops.divide(t, warmup), 1.0))
        index = self._get_variable_index(variable)
        z = self._momentums[index]
        v = self._velocities[index]
        bias_correction_2 = ops.subtract(1.0, ops.power(beta_2, t))
        v.assign_add(ops.multiply(ops.subtract(ops.square(gradient), v.value),
                                  ops.subtract(1.0, beta_2)))
        denom = ops.add(ops.sqrt(ops.divide(v.value, bias_correction_2)), epsilon)
        z.assign_sub(ops.divide(ops.multiply(lr, gradient), denom))
        weight = ops.divide(1.0, t)
        one_minus_beta_1 = ops.subtract(1.0, beta_1)
        x_old = ops.divide(ops.subtract(variable.value,
                                        ops.multiply(one_minus_beta_1, z.value)), beta_1)
        x_new = ops.add(ops.multiply(ops.subtract(1.0, weight), x_old),
                        ops.multiply(weight, z.value))
        variable.assign(ops.add(ops.multiply(one_minus_beta_1, z.value),
                                ops.multiply(beta_1, x_new)))

    def get_config(self):
        config = super().get_config()
        config.update({"beta_1": self.beta_1, "beta_2": self.beta_2,
                       "epsilon": self.epsilon, "warmup_steps": self.warmup_steps})
        return config
