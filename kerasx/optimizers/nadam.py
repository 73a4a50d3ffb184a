"""Nadam, as keras.optimizers.Nadam."""
from kerasx import config
from kerasx.backend import get_ops
from kerasx.optimizers.base_optimizer import Optimizer


class Nadam(Optimizer):
    """Adam with Nesterov momentum and Keras's momentum schedule
    (u_t = beta_1 * (1 - 0.5 * 0.96 ** t), t = iterations + 1):

        u_product *= u_t                                  (once per step)
        m += (g - m) * (1 - beta_1)
        v += (g ** 2 - v) * (1 - beta_2)
        m_hat = u_{t+1} * m / (1 - u_product * u_{t+1})
                + (1 - u_t) * g / (1 - u_product)
        v_hat = v / (1 - beta_2 ** t)
        w -= m_hat * learning_rate / (sqrt(v_hat) + epsilon)

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
        dtype = var_list[0].dtype if var_list else config.floatx()
        super().build(var_list)
        self._momentums, self._velocities = self.add_optimizer_variables(
            var_list, ["momentum", "velocity"])
        # Keras creates it unnamed ("variable"), after the slots, in the
        # dtype of the first model variable.
        self._u_product = self.add_variable((), initializer="ones", dtype=dtype,
                                            name="variable")

    def _update_all(self, grads, trainable_variables, learning_rate):
        ops = get_ops()
        u_product = self._u_product
        dtype = u_product.dtype
        t = ops.cast(ops.add(self._iterations.value, 1), dtype)
        u_product.assign(ops.multiply(
            ops.multiply(u_product.value, self.beta_1),
            ops.subtract(1.0, ops.multiply(ops.power(ops.convert_to_tensor(0.96, dtype), t),
                                           0.5))))
        super()._update_all(grads, trainable_variables, learning_rate)

    def _schedule_terms(self, dtype):
        """(u_t, u_t_1, u_product_t, u_product_t_1, beta_2_power), once per
        step and dtype."""
        ops = get_ops()

        def compute():
            local_step = self._local_step(dtype, 1)
            next_step = self._local_step(dtype, 2)
            decay = self._cast(0.96, dtype)
            beta_1 = self._cast(self.beta_1, dtype)
            beta_2 = self._cast(self.beta_2, dtype)
            u_t = ops.multiply(beta_1, ops.subtract(
                1.0, ops.multiply(ops.power(decay, local_step), 0.5)))
            u_t_1 = ops.multiply(beta_1, ops.subtract(
                1.0, ops.multiply(ops.power(decay, next_step), 0.5)))
            u_product_t = self._cast(self._u_product.value, dtype)
            u_product_t_1 = ops.multiply(u_product_t, u_t_1)
            beta_2_power = ops.power(beta_2, local_step)
            return u_t, u_t_1, u_product_t, u_product_t_1, beta_2_power

        return self._per_step("nadam_terms", dtype, compute)

    def update_step(self, gradient, variable, learning_rate):
        ops = get_ops()
        dtype = variable.dtype
        lr = self._cast(learning_rate, dtype)
        gradient = self._cast(gradient, dtype)
        u_t, u_t_1, u_product_t, u_product_t_1, beta_2_power = self._schedule_terms(dtype)
        index = self._get_variable_index(variable)
        m = self._momentums[index]
        v = self._velocities[index]
        one_minus_beta_1 = ops.subtract(1.0, self._cast(self.beta_1, dtype))
        one_minus_beta_2 = ops.subtract(1.0, self._cast(self.beta_2, dtype))
        m.assign_add(ops.multiply(ops.subtract(gradient, m.value), one_minus_beta_1))
        v.assign_add(ops.multiply(ops.subtract(ops.square(gradient), v.value),
                                  one_minus_beta_2))
        m_hat = ops.add(
            ops.divide(ops.multiply(u_t_1, m.value), ops.subtract(1.0, u_product_t_1)),
            ops.divide(ops.multiply(ops.subtract(1.0, u_t), gradient),
                       ops.subtract(1.0, u_product_t)))
        v_hat = ops.divide(v.value, ops.subtract(1.0, beta_2_power))
        variable.assign_sub(ops.divide(ops.multiply(m_hat, lr),
                                       ops.add(ops.sqrt(v_hat), self.epsilon)))

    def get_config(self):
        config = super().get_config()
        config.update({"beta_1": self.beta_1, "beta_2": self.beta_2,
                       "epsilon": self.epsilon})
        return config
