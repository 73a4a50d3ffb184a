"""Lamb, as keras.optimizers.Lamb."""
from kerasx.backend import get_ops
from kerasx.optimizers.base_optimizer import Optimizer


class Lamb(Optimizer):
    """Lamb (layer-wise adaptive moments), computed as Keras 3 computes it
    (t = iterations + 1):

        m += (g - m) * (1 - beta_1)
        v += (g ** 2 - v) * (1 - beta_2)
        u = (m / (1 - beta_1 ** t)) / (sqrt(v / (1 - beta_2 ** t)) + epsilon)
        r = ||w|| / ||u||   (1 where either norm is 0)
        w -= r * learning_rate * u

    Args:
        learning_rate: float or schedule; default 0.001.
        beta_1, beta_2: decay rates of the moment estimates (0.9, 0.999).
        epsilon: default 1e-7.
        Other arguments: as `Optimizer`.
    """

    def __init__(self, learning_rate=0.001, beta_1=0.9, beta_2=0.999, epsilon=1e-7,
                 weight_decay=None, clipnorm=None, clipvalue=None, global_clipnorm=None,
                 use_ema=False, ema_momentum=0.99, ema_overwrite_frequency=None,
                 loss_scale_factor=None, gradient_accumulation_steps=None, name=None,
                 **kwargs):
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
        self._momentums, self._velocities = self.add_optimizer_variables(
            var_list, ["momentum", "velocity"])

    def update_step(self, gradient, variable, learning_rate):
        ops = get_ops()
        dtype = variable.dtype
        lr = self._cast(learning_rate, dtype)
        gradient = self._cast(gradient, dtype)
        t = self._local_step(dtype)
        beta_1_power = self._per_step("lamb_beta_1_power", dtype, lambda: ops.power(
            self._cast(self.beta_1, dtype), t))
        beta_2_power = self._per_step("lamb_beta_2_power", dtype, lambda: ops.power(
            self._cast(self.beta_2, dtype), t))
        index = self._get_variable_index(variable)
        m = self._momentums[index]
        v = self._velocities[index]
        m.assign_add(ops.multiply(ops.subtract(gradient, m.value), 1 - self.beta_1))
        v.assign_add(ops.multiply(ops.subtract(ops.square(gradient), v.value),
                                  1 - self.beta_2))
        m_hat = ops.divide(m.value, ops.subtract(1.0, beta_1_power))
        v_sqrt = ops.add(ops.sqrt(ops.divide(v.value, ops.subtract(1.0, beta_2_power))),
                         self.epsilon)
        update = ops.divide(m_hat, v_sqrt)
        w_norm = ops.sqrt(ops.sum(ops.power(variable.value, 2)))
        g_norm = ops.sqrt(ops.sum(ops.power(update, 2)))
        one = ops.ones_like(w_norm)
        # A zero norm on either side leaves the plain update (ratio 1).
        safe_g_norm = ops.where(ops.greater(g_norm, 0.0), g_norm, one)
        ratio = ops.where(ops.greater(w_norm, 0.0),
                          ops.where(ops.greater(g_norm, 0.0),
                                    ops.divide(w_norm, safe_g_norm), one), one)
        variable.assign_sub(ops.multiply(ops.multiply(ratio, lr), update))

    def get_config(self):
        config = super().get_config()
        config.update({"beta_1": self.beta_1, "beta_2": self.beta_2,
                       "epsilon": self.epsilon})
        return config
