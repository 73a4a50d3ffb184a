"""RMSprop, as keras.optimizers.RMSprop."""
from kerasx.backend import get_ops
from kerasx.optimizers.base_optimizer import Optimizer


class RMSprop(Optimizer):
    """RMSprop, as Keras 3:

        velocity = rho * velocity + (1 - rho) * g ** 2
        avg_g = rho * avg_g + (1 - rho) * g                   (centered only)
        denominator = velocity - avg_g ** 2 + epsilon  (centered)
                      velocity + epsilon               (otherwise)
        increment = learning_rate * g / sqrt(denominator)
        m = momentum * m + increment; w -= m           (momentum > 0)
        w -= increment                                 (otherwise)

    Args:
        learning_rate: float or schedule; default 0.001.
        rho: discounting factor of the squared gradients; default 0.9.
        momentum: default 0.0.
        epsilon: default 1e-7.
        centered: normalise by the estimated variance; default False.
        Other arguments: as `Optimizer`.
    """

    def __init__(self, learning_rate=0.001, rho=0.9, momentum=0.0, epsilon=1e-7,
                 centered=False, weight_decay=None, clipnorm=None, clipvalue=None,
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
        self.rho = rho
        self.momentum = momentum
        self.epsilon = epsilon
        self.centered = centered

    def build(self, var_list):
        if self.built:
            return
        super().build(var_list)
        self._velocities = self.add_optimizer_variables(var_list, "velocity")
        self._momentums = []
        if self.momentum > 0:
            self._momentums = self.add_optimizer_variables(var_list, "momentum")
        self._average_gradients = []
        if self.centered:
            self._average_gradients = self.add_optimizer_variables(var_list,
                                                                   "average_gradient")

    def update_step(self, gradient, variable, learning_rate):
        ops = get_ops()
        dtype = variable.dtype
        lr = self._cast(learning_rate, dtype)
        gradient = self._cast(gradient, dtype)
        index = self._get_variable_index(variable)
        velocity = self._velocities[index]
        rho = self.rho
        velocity.assign(ops.add(ops.multiply(velocity.value, rho),
                                ops.multiply(ops.square(gradient), 1 - rho)))
        if self.centered:
            average_grad = self._average_gradients[index]
            average_grad.assign(ops.add(ops.multiply(average_grad.value, rho),
                                        ops.multiply(gradient, 1 - rho)))
            denominator = ops.add(ops.subtract(velocity.value,
                                               ops.square(average_grad.value)),
                                  self.epsilon)
        else:
            denominator = ops.add(velocity.value, self.epsilon)
        increment = ops.divide(ops.multiply(lr, gradient), ops.sqrt(denominator))
        if self.momentum > 0:
            momentum = self._momentums[index]
            momentum.assign(ops.add(ops.multiply(momentum.value, self.momentum), increment))
            variable.assign_sub(momentum.value)
        else:
            variable.assign_sub(increment)

    def get_config(self):
        config = super().get_config()
        config.update({"rho": self.rho, "momentum": self.momentum,
                       "epsilon": self.epsilon, "centered": self.centered})
        return config
