"""Adafactor, as keras.optimizers.Adafactor."""
from kerasx.backend import get_ops
from kerasx.optimizers.base_optimizer import Optimizer
from kerasx.variables import Variable


class Adafactor(Optimizer):
    """Adafactor (factored second moments), computed as Keras 3 computes it
    (t = iterations + 1; for a variable of rank >= 2 the second moment is
    factored over its last two axes):

        lr = min(learning_rate, 1 / sqrt(t))      (relative_step, float lr)
        rho = min(lr, 1 / sqrt(t))
        alpha = max(epsilon_2, rms(w)) * rho
        g2 = g ** 2 + epsilon_1
        beta = 1 - t ** beta_2_decay
        rank >= 2: r = beta * r + (1 - beta) * mean(g2, -1)
                   c = beta * c + (1 - beta) * mean(g2, -2)
                   v = (r / mean(r, -1))[..., None] * c[..., None, :]
        rank < 2:  v = beta * v + (1 - beta) * g2
        u = g / sqrt(v);  u /= max(1, rms(u) / clip_threshold)
        w -= alpha * u

    Args:
        learning_rate: float or schedule; default 0.001.
        beta_2_decay: default -0.8.
        epsilon_1: added to the squared gradients (1e-30).
        epsilon_2: lower bound of the weights' RMS (1e-3).
        clip_threshold: default 1.0.
        relative_step: cap a float learning rate at 1 / sqrt(t) (True).
        Other arguments: as `Optimizer`.
    """

    def __init__(self, learning_rate=0.001, beta_2_decay=-0.8, epsilon_1=1e-30,
                 epsilon_2=1e-3, clip_threshold=1.0, relative_step=True,
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
        self.beta_2_decay = beta_2_decay
        self.epsilon_1 = epsilon_1
        self.epsilon_2 = epsilon_2
        self.clip_threshold = clip_threshold
        self.relative_step = relative_step

    def build(self, var_list):
        if self.built:
            return
        super().build(var_list)
        self._r, self._c, self._v = [], [], []
        for var in var_list:
            if len(var.shape) < 2:
                # Keras keeps two int32 scalar placeholders per unfactored
                # variable, so the saved state has the same entries in the
                # same order.
                for slots in (self._r, self._c):
                    slots.append(self.add_variable((), dtype="int32", name=var.name))
            else:
                shape = tuple(var.shape)
                self._r.append(self.add_variable(shape[:-1], dtype=var.dtype,
                                                 name=var.name))
                self._c.append(self.add_variable(shape[:-2] + shape[-1:], dtype=var.dtype,
                                                 name=var.name))
            self._v.append(self.add_variable_from_reference(var, name="velocity"))

    @staticmethod
    def _rms(x):
        ops = get_ops()
        return ops.sqrt(ops.mean(ops.square(x)))

    def update_step(self, gradient, variable, learning_rate):
        ops = get_ops()
        dtype = variable.dtype
        lr = self._cast(learning_rate, dtype)
        gradient = self._cast(gradient, dtype)
        epsilon_2 = self._cast(self.epsilon_2, dtype)
        t = self._local_step(dtype)
        inv_sqrt_t = ops.divide(1.0, ops.sqrt(t))
        if self.relative_step and not callable(self._learning_rate_source()):
            lr = ops.minimum(lr, inv_sqrt_t)
        index = self._get_variable_index(variable)
        r, c, v = self._r[index], self._c[index], self._v[index]
        rho_t = ops.minimum(lr, inv_sqrt_t)
        alpha_t = ops.multiply(ops.maximum(epsilon_2, self._rms(variable.value)), rho_t)
        g2 = ops.add(ops.square(gradient), self.epsilon_1)
        beta_2_t = ops.subtract(1.0, ops.power(t, self.beta_2_decay))
        keep = ops.subtract(1.0, beta_2_t)
        if len(variable.shape) >= 2:
            r.assign(ops.add(ops.multiply(beta_2_t, r.value),
                             ops.multiply(keep, ops.mean(g2, axis=-1))))
            c.assign(ops.add(ops.multiply(beta_2_t, c.value),
                             ops.multiply(keep, ops.mean(g2, axis=-2))))
            v.assign(ops.multiply(
                ops.expand_dims(ops.divide(r.value, ops.mean(r.value, axis=-1,
                                                             keepdims=True)), -1),
                ops.expand_dims(c.value, -2)))
        else:
            v.assign(ops.add(ops.multiply(beta_2_t, v.value), ops.multiply(keep, g2)))
        u_t = ops.divide(gradient, ops.sqrt(v.value))
        u_t_hat = ops.divide(u_t, ops.maximum(ops.ones_like(alpha_t),
                                              ops.divide(self._rms(u_t),
                                                         self.clip_threshold)))
        variable.assign_sub(ops.multiply(alpha_t, u_t_hat))

    def _learning_rate_source(self):
        """What Keras tests with `callable(self._learning_rate)`: a schedule
        or a callable (a float learning rate is a Variable, not callable)."""
        lr = self._learning_rate
        return None if isinstance(lr, Variable) else lr

    def get_config(self):
        config = super().get_config()
        config.update({"beta_2_decay": self.beta_2_decay, "epsilon_1": self.epsilon_1,
                       "epsilon_2": self.epsilon_2, "clip_threshold": self.clip_threshold,
                       "relative_step": self.relative_step})
        return config
