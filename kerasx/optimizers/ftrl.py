"""Ftrl, as keras.optimizers.Ftrl."""
import numpy as np

from kerasx.backend import get_ops
from kerasx.optimizers.base_optimizer import Optimizer, keras_cast_numpy


class Ftrl(Optimizer):
    """Follow The Regularized Leader, computed as Keras 3 computes it
    (p = -learning_rate_power):

        l2 = l2_regularization_strength + beta / (2 * learning_rate)
        g_s = g + 2 * l2_shrinkage_regularization_strength * w
        n_new = n + g ** 2
        z += g_s - (n_new ** p - n ** p) / learning_rate * w
        w = (clip(z, -l1, l1) - z) / (n_new ** p / learning_rate + 2 * l2)
        n = n_new

    Args:
        learning_rate: float or schedule; default 0.001.
        learning_rate_power: <= 0; default -0.5.
        initial_accumulator_value: >= 0 starting value of the accumulators
            (0.1).
        l1_regularization_strength, l2_regularization_strength,
        l2_shrinkage_regularization_strength: >= 0 (0.0 each).
        beta: default 0.0.
        Other arguments: as `Optimizer`.

    Raises:
        ValueError: for a negative strength or accumulator value, or a
            positive learning_rate_power.
    """

    def __init__(self, learning_rate=0.001, learning_rate_power=-0.5,
                 initial_accumulator_value=0.1, l1_regularization_strength=0.0,
                 l2_regularization_strength=0.0, l2_shrinkage_regularization_strength=0.0,
                 beta=0.0, weight_decay=None, clipnorm=None, clipvalue=None,
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
        checks = [("initial_accumulator_value", initial_accumulator_value, "positive or zero"),
                  ("l1_regularization_strength", l1_regularization_strength,
                   "positive or zero"),
                  ("l2_regularization_strength", l2_regularization_strength,
                   "positive or zero"),
                  ("l2_shrinkage_regularization_strength",
                   l2_shrinkage_regularization_strength, "positive or zero")]
        for arg, value, what in checks:
            if value < 0.0:
                raise ValueError(f"`{arg}` needs to be {what}. Received: {arg}={value}.")
        if learning_rate_power > 0.0:
            raise ValueError("`learning_rate_power` needs to be negative or zero. "
                             f"Received: learning_rate_power={learning_rate_power}.")
        self.learning_rate_power = learning_rate_power
        self.initial_accumulator_value = initial_accumulator_value
        self.l1_regularization_strength = l1_regularization_strength
        self.l2_regularization_strength = l2_regularization_strength
        self.l2_shrinkage_regularization_strength = l2_shrinkage_regularization_strength
        self.beta = beta

    def build(self, var_list):
        if self.built:
            return
        super().build(var_list)
        value = self.initial_accumulator_value

        def initializer(shape, dtype):
            # As keras.initializers.Constant: ops.cast(value, dtype) * ones.
            return np.full(shape, keras_cast_numpy(value, dtype), dtype=dtype)

        self._accumulators, self._linears = self.add_optimizer_variables(
            var_list, ["accumulator", "linear"], initializer=[initializer, "zeros"])

    def update_step(self, gradient, variable, learning_rate):
        ops = get_ops()
        dtype = variable.dtype
        lr = self._cast(learning_rate, dtype)
        gradient = self._cast(gradient, dtype)
        index = self._get_variable_index(variable)
        accum = self._accumulators[index]
        linear = self._linears[index]
        power = -self.learning_rate_power
        l2_reg = ops.add(ops.divide(self.beta, ops.multiply(2.0, lr)),
                         self.l2_regularization_strength)
        grad_to_use = ops.add(gradient, ops.multiply(
            2 * self.l2_shrinkage_regularization_strength, variable.value))
        new_accum = ops.add(accum.value, ops.square(gradient))
        linear.assign_add(ops.subtract(grad_to_use, ops.multiply(
            ops.divide(ops.subtract(ops.power(new_accum, power),
                                    ops.power(accum.value, power)), lr),
            variable.value)))
        quadratic = ops.add(ops.divide(ops.power(new_accum, power), lr),
                            ops.multiply(2.0, l2_reg))
        l1 = self.l1_regularization_strength
        linear_clipped = ops.clip(linear.value, -l1, l1)
        variable.assign(ops.divide(ops.subtract(linear_clipped, linear.value), quadratic))
        accum.assign(new_accum)

    def get_config(self):
        config = super().get_config()
        config.update({
            "learning_rate_power": self.learning_rate_power,
            "initial_accumulator_value": self.initial_accumulator_value,
            "l1_regularization_strength": self.l1_regularization_strength,
            "l2_regularization_strength": self.l2_regularization_strength,
            "l2_shrinkage_regularization_strength":
                self.l2_shrinkage_regularization_strength,
            "beta": self.beta,
        })
        return config
