"""Adam, as keras.optimizers.Adam."""
from kerasx.backend import get_ops
from kerasx.optimizers.base_optimizer import Optimizer
from kerasx.variables import writes_enabled, writes_recorded


class Adam(Optimizer):
    """Adam, computed as Keras 3 computes it (t = iterations + 1):

        alpha = learning_rate * sqrt(1 - beta_2 ** t) / (1 - beta_1 ** t)
        m += (g - m) * (1 - beta_1)
        v += (g ** 2 - v) * (1 - beta_2)
        v_hat = max(v_hat, v)                            (amsgrad only)
        w -= m * alpha / (sqrt(v or v_hat) + epsilon)

    Args:
        learning_rate: float or schedule; default 0.001.
        beta_1, beta_2: decay rates of the moment estimates (0.9, 0.999).
        epsilon: default 1e-7.
        amsgrad: keep the maximum of the second moments; default False.
        Other arguments: as `Optimizer`.
    """

    def __init__(self, learning_rate=0.001, beta_1=0.9, beta_2=0.999, epsilon=1e-7,
                 amsgrad=False, weight_decay=None, clipnorm=None, clipvalue=None,
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
        self.amsgrad = amsgrad

    def build(self, var_list):
        if self.built:
            return
        super().build(var_list)
        self._momentums, self._velocities = self.add_optimizer_variables(
            var_list, ["momentum", "velocity"])
        if self.amsgrad:
            self._velocity_hats = self.add_optimizer_variables(var_list, "velocity_hat")

    def _alpha(self, lr, dtype):
        """lr * sqrt(1 - beta_2 ** t) / (1 - beta_1 ** t), once per step and dtype."""
        ops = get_ops()

        def compute():
            t = self._local_step(dtype)
            beta_1_power = ops.power(self._cast(self.beta_1, dtype), t)
            beta_2_power = ops.power(self._cast(self.beta_2, dtype), t)
            return ops.divide(ops.multiply(lr, ops.sqrt(ops.subtract(1.0, beta_2_power))),
                              ops.subtract(1.0, beta_1_power))

        return self._per_step("adam_alpha", dtype, compute)

    def _update_all(self, grads, trainable_variables, learning_rate):
        """All variables of one dtype in one contract call (`adam_update`),
        which a plugin may run as multi-tensor kernels."""
        if self.amsgrad or writes_recorded():  # a StatelessScope records each write
            super()._update_all(grads, trainable_variables, learning_rate)
            return
        if not writes_enabled():  # a compiled step's dry run
            return
        ops = get_ops()
        groups = {}
        for grad, variable in zip(grads, trainable_variables):
            index = self._get_variable_index(variable)
            group = groups.setdefault(variable.dtype, ([], [], [], []))
            group[0].append(variable.native)
            group[1].append(self._cast(grad, variable.dtype))
            group[2].append(self._momentums[index].native)
            group[3].append(self._velocities[index].native)
        for dtype, (weights, dtype_grads, momentums, velocities) in groups.items():
            alpha = self._alpha(self._cast(learning_rate, dtype), dtype)
            ops.adam_update(weights, dtype_grads, momentums, velocities, alpha,
                            self.beta_1, self.beta_2, self.epsilon)

    def update_step(self, gradient, variable, learning_rate):
        ops = get_ops()
        dtype = variable.dtype
        lr = self._cast(learning_rate, dtype)
        gradient = self._cast(gradient, dtype)
        index = self._get_variable_index(variable)
        m = self._momentums[index]
        v = self._velocities[index]
        alpha = self._alpha(lr, dtype)
        m.assign_add(ops.multiply(ops.subtract(gradient, m.value), 1 - self.beta_1))
        v.assign_add(ops.multiply(ops.subtract(ops.square(gradient), v.value),
                                  1 - self.beta_2))
        if self.amsgrad:
            v_hat = self._velocity_hats[index]
            v_hat.assign(ops.maximum(v_hat.value, v.value))
            v = v_hat
        variable.assign_sub(ops.divide(ops.multiply(m.value, alpha),
                                       ops.add(ops.sqrt(v.value), self.epsilon)))

    def get_config(self):
        config = super().get_config()
        config.update({"beta_1": self.beta_1, "beta_2": self.beta_2,
                       "epsilon": self.epsilon, "amsgrad": self.amsgrad})
        return config
