"""Adadelta, as keras.optimizers.Adadelta."""
from kerasx.backend import get_ops
from kerasx.optimizers.base_optimizer import Optimizer


class Adadelta(Optimizer):
    """Adadelta, as Keras 3 (rms(x) = sqrt(x + epsilon)):

        acc_g = rho * acc_g + (1 - rho) * g ** 2
        delta = -(rms(acc_delta) * g / rms(acc_g))
        acc_delta = rho * acc_delta + (1 - rho) * delta ** 2
        w += learning_rate * delta

    Args:
        learning_rate: float or schedule; default 0.001.
        rho: decay rate; default 0.95.
        epsilon: default 1e-7.
        Other arguments: as `Optimizer`.
    """

    def __init__(self, learning_rate=0.001, rho=0.95, epsilon=1e-7, weight_decay=None,
                 clipnorm=None, clipvalue=None,
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
        self.epsilon = epsilon

    def build(self, var_list):
        if self.built:
            return
        super().build(var_list)
        self._accumulated_grads, self._accumulated_delta_vars = \
            self.add_optimizer_variables(var_list,
                                         ["accumulated_grad", "accumulated_delta_var"])

    def update_step(self, grad, variable, learning_rate):
        ops = get_ops()
        dtype = variable.dtype
        lr = self._cast(learning_rate, dtype)
        grad = self._cast(grad, dtype)
        rho = self.rho
        index = self._get_variable_index(variable)
        accumulated_grad = self._accumulated_grads[index]
        accumulated_delta_var = self._accumulated_delta_vars[index]

        def rms(x):
            return ops.sqrt(ops.add(x, self.epsilon))

        accumulated_grad.assign(ops.add(ops.multiply(accumulated_grad.value, rho),
                                        ops.multiply(ops.square(grad), 1 - rho)))
        delta_var = ops.negative(ops.divide(
            ops.multiply(rms(accumulated_delta_var.value), grad),
            rms(accumulated_grad.value)))
        accumulated_delta_var.assign(ops.add(
            ops.multiply(accumulated_delta_var.value, rho),
            ops.multiply(ops.square(delta_var), 1 - rho)))
        variable.assign_add(ops.multiply(lr, delta_var))

    def get_config(self):
        config = super().get_config()
        config.update({"rho": self.rho, "epsilon": self.epsilon})
        return config
