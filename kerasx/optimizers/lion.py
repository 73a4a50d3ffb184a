"""Lion, as keras.optimizers.Lion."""
from kerasx.backend import get_ops
from kerasx.optimizers.base_optimizer import Optimizer


class Lion(Optimizer):
    """Lion (evolved sign momentum), computed as Keras 3 computes it:

        w -= learning_rate * sign(m * beta_1 + g * (1 - beta_1))
        m = m * beta_2 + g * (1 - beta_2)

    Args:
        learning_rate: float or schedule; default 0.001.
        beta_1: rate for combining the momentum and the gradient in the
            update (0.9); must be in (0, 1].
        beta_2: decay rate of the momentum (0.99).
        Other arguments: as `Optimizer`.

    Raises:
        ValueError: when beta_1 is outside (0, 1].
    """

    def __init__(self, learning_rate=0.001, beta_1=0.9, beta_2=0.99, weight_decay=None,
                 clipnorm=None, clipvalue=None, global_clipnorm=None, use_ema=False,
                 ema_momentum=0.99, ema_overwrite_frequency=None, loss_scale_factor=None,
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
        if beta_1 <= 0 or beta_1 > 1:
            raise ValueError(
                "Argument `beta_1` must be in the [0, 1] range. Otherwise, the optimizer "
                f"degenerates to SignSGD. Received: beta_1={beta_1}.")

    def build(self, var_list):
        if self.built:
            return
        super().build(var_list)
        self._momentums = self.add_optimizer_variables(var_list, "momentum")

    def update_step(self, gradient, variable, learning_rate):
        ops = get_ops()
        dtype = variable.dtype
        lr = self._cast(learning_rate, dtype)
        gradient = self._cast(gradient, dtype)
        # Keras casts the betas to the variable's dtype (float32 rounding).
        beta_1 = self._cast(self.beta_1, dtype)
        beta_2 = self._cast(self.beta_2, dtype)
        m = self._momentums[self._get_variable_index(variable)]
        direction = ops.sign(ops.add(ops.multiply(m.value, beta_1),
                                     ops.multiply(gradient, ops.subtract(1.0, beta_1))))
        variable.assign_sub(ops.multiply(lr, direction))
        m.assign(ops.add(ops.multiply(m.value, beta_2),
                         ops.multiply(gradient, ops.subtract(1.0, beta_2))))

    def get_config(self):
        config = super().get_config()
        config.update({"beta_1": self.beta_1, "beta_2": self.beta_2})
        return config
