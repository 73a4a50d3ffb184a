"""Adamax, as keras.optimizers.Adamax."""
from kerasx.backend import get_ops
from kerasx.optimizers.base_optimizer import Optimizer


class Adamax(Optimizer):
    """Adamax (Adam with the infinity norm), as Keras 3 (t = iterations + 1):

        m += (g - m) * (1 - beta_1)
        u = max(beta_2 * u, |g|)
        w -= learning_rate * m / ((1 - beta_1 ** t) * (u + epsilon))

    Args:
        learning_rate: float or schedule; default 0.001.
        beta_1, beta_2: default 0.9, 0.999.
        epsilon: default 1e-7.
        Other arguments: as `Optimizer`.
    """

    def __init__(self, learning_rate=0.001, beta_1=0.9, beta_2=0.999, epsilon=1e-7,
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
        self.beta_1 = beta_1
        self.beta_2 = beta_2
        self.epsilon = epsilon

    def build(self, var_list):
        if self.built:
            return
        super().build(var_list)
        self._m, self._u = self.add_optimizer_variables(var_list, ["momentum", "norm"])

    def update_step(self, gradient, variable, learning_rate):
        ops = get_ops()
        dtype = variable.dtype
        lr = self._cast(learning_rate, dtype)
        gradient = self._cast(gradient, dtype)
        beta_1_power = self._per_step("adamax_beta_1_power", dtype, lambda: ops.power(
            self._cast(self.beta_1, dtype), self._local_step(dtype)))
        index = self._get_variable_index(variable)
        m = self._m[index]
        u = self._u[index]
        m.assign_add(ops.multiply(ops.subtract(gradient, m.value), 1 - self.beta_1))
        u.assign(ops.maximum(ops.multiply(u.value, self.beta_2), ops.abs(gradient)))
        variable.assign_sub(ops.divide(
            ops.multiply(lr, m.value),
            ops.multiply(ops.subtract(1.0, beta_1_power), ops.add(u.value, self.epsilon))))

    def get_config(self):
        config = super().get_config()
        config.update({"beta_1": self.beta_1, "beta_2": self.beta_2,
                       "epsilon": self.epsilon})
        return config
