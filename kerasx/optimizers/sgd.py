"""Stochastic gradient descent, as keras.optimizers.SGD."""
from kerasx.backend import get_ops
from kerasx.optimizers.base_optimizer import Optimizer


class SGD(Optimizer):
    """Gradient descent with optional (Nesterov) momentum, as Keras 3:

        m = momentum * m - learning_rate * g
        w = w + m                                    (nesterov=False)
        w = w + momentum * m - learning_rate * g     (nesterov=True)

    Without momentum, w = w - learning_rate * g (and no slot is created).

    Args:
        learning_rate: float or schedule; default 0.01.
        momentum: float in [0, 1]; default 0.0.
        nesterov: whether to apply Nesterov momentum; default False.
        Other arguments: as `Optimizer`.
    """

    def __init__(self, learning_rate=0.01, momentum=0.0, nesterov=False, weight_decay=None,
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
        if not isinstance(momentum, float) or momentum < 0 or momentum > 1:
            raise ValueError("`momentum` must be a float between [0, 1]. "
                             f"Received: momentum={momentum!r}")
        self.momentum = momentum
        self.nesterov = nesterov

    def build(self, variables):
        if self.built:
            return
        super().build(variables)
        self.momentums = []
        if self.momentum != 0:
            self.momentums = self.add_optimizer_variables(variables, "momentum")

    def update_step(self, gradient, variable, learning_rate):
        ops = get_ops()
        dtype = variable.dtype
        lr = self._cast(learning_rate, dtype)
        gradient = self._cast(gradient, dtype)
        if self.momentum != 0:
            m = self.momentums[self._get_variable_index(variable)]
            momentum = self._cast(self.momentum, dtype)
            step = ops.multiply(gradient, lr)
            m.assign(ops.subtract(ops.multiply(m.value, momentum), step))
            if self.nesterov:
                variable.assign_add(ops.subtract(ops.multiply(m.value, momentum), step))
            else:
                variable.assign_add(m.value)
        else:
            variable.assign_sub(ops.multiply(gradient, lr))

    def get_config(self):
        config = super().get_config()
        config.update({"momentum": self.momentum, "nesterov": self.nesterov})
        return config
