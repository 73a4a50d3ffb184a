"""Adagrad, as keras.optimizers.Adagrad."""
import numpy as np

from kerasx.backend import get_ops
from kerasx.optimizers.base_optimizer import Optimizer, keras_cast_numpy


class Adagrad(Optimizer):
    """Adagrad, as Keras 3:

        accumulator += g ** 2        (accumulator starts at initial_accumulator_value)
        w -= learning_rate * g / sqrt(accumulator + epsilon)

    Args:
        learning_rate: float or schedule; default 0.001.
        initial_accumulator_value: default 0.1.
        epsilon: default 1e-7.
        Other arguments: as `Optimizer`.
    """

    def __init__(self, learning_rate=0.001, initial_accumulator_value=0.1, epsilon=1e-7,
                 weight_decay=None, clipnorm=None, clipvalue=None,
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
        self.initial_accumulator_value = initial_accumulator_value
        self.epsilon = epsilon

    def build(self, var_list):
        if self.built:
            return
        super().build(var_list)
        value = self.initial_accumulator_value

        def initializer(shape, dtype):
            # As keras.initializers.Constant: ops.cast(value, dtype) * ones.
            return np.full(shape, keras_cast_numpy(value, dtype), dtype=dtype)

        self._accumulators = self.add_optimizer_variables(var_list, "accumulator",
                                                          initializer=initializer)

    def update_step(self, gradient, variable, learning_rate):
        ops = get_ops()
        dtype = variable.dtype
        lr = self._cast(learning_rate, dtype)
        gradient = self._cast(gradient, dtype)
        accumulator = self._accumulators[self._get_variable_index(variable)]
        accumulator.assign_add(ops.square(gradient))
        variable.assign_sub(ops.divide(ops.multiply(lr, gradient),
                                       ops.sqrt(ops.add(accumulator.value, self.epsilon))))

    def get_config(self):
        config = super().get_config()
        config.update({"initial_accumulator_value": self.initial_accumulator_value,
                       "epsilon": self.epsilon})
        return config
