"""Muon, as keras.optimizers.Muon."""
import re

import numpy as np

from kerasx.backend import get_ops
from kerasx.optimizers.base_optimizer import Optimizer


class Muon(Optimizer):
    """Muon (momentum orthogonalized by Newton-Schulz) for 2-D weights, AdamW
    for the others, computed as Keras 3 computes it.

    A 2-D variable (not an embedding when `exclude_embeddings`, not matching
    `exclude_layers`) is updated by

        m += g + m * (momentum - 1)
        u = g + momentum * m   (nesterov)   or   m
        w -= lr * NS5(u) * sqrt(max(rows, cols)) * rms_rate

    where NS5 runs `ns_steps` quintic Newton-Schulz iterations (coefficients
    muon_a, muon_b, muon_c) on u / (||u||_F + 1e-7), on its transpose when it
    has more rows than columns. Every other variable gets Adam with
    `learning_rate * adam_lr_ratio`, `adam_beta_1`, `adam_beta_2`, `epsilon`.
    Decoupled weight decay is `weight_decay` for Muon variables and
    `adam_weight_decay` for Adam ones.

    Args:
        learning_rate: float or schedule; default 0.001.
        adam_beta_1, adam_beta_2: Adam's decay rates (0.9, 0.999).
        adam_weight_decay: weight decay of the Adam variables (0.004).
        epsilon: Adam's epsilon (1e-7).
        weight_decay: weight decay of the Muon variables (0.004).
        exclude_layers: regular expressions; matching variable paths use Adam.
        exclude_embeddings: embedding variables use Adam (True).
        muon_a, muon_b, muon_c: Newton-Schulz coefficients (3.4445, -4.7750,
            2.0315).
        adam_lr_ratio: factor of the Adam variables' learning rate (1).
        momentum: Muon's momentum (0.95).
        ns_steps: Newton-Schulz iterations (5).
        nesterov: Nesterov momentum (True).
        rms_rate: update scale (0.2); None leaves the update unscaled.
        Other arguments: as `Optimizer`.
    """

    def __init__(self, learning_rate=0.001, adam_beta_1=0.9, adam_beta_2=0.999,
                 adam_weight_decay=0.004, epsilon=1e-7, weight_decay=0.004, clipnorm=None,
                 clipvalue=None, global_clipnorm=None, use_ema=False, ema_momentum=0.99,
                 ema_overwrite_frequency=None, loss_scale_factor=None,
                 gradient_accumulation_steps=None, name=None, exclude_layers=None,
                 exclude_embeddings=True, muon_a=3.4445, muon_b=-4.7750, muon_c=2.0315,
                 adam_lr_ratio=1, momentum=0.95, ns_steps=5, nesterov=True, rms_rate=0.2,
                 **kwargs):
        super().__init__(learning_rate=learning_rate, name=name, weight_decay=weight_decay,
                         clipnorm=clipnorm, clipvalue=clipvalue,
                         global_clipnorm=global_clipnorm, use_ema=use_ema,
                         ema_momentum=ema_momentum,
                         ema_overwrite_frequency=ema_overwrite_frequency,
                         loss_scale_factor=loss_scale_factor,
                         gradient_accumulation_steps=gradient_accumulation_steps, **kwargs)
        self.adam_beta_1 = adam_beta_1
        self.adam_beta_2 = adam_beta_2
        self.epsilon = epsilon
        self.muon_a = muon_a
        self.muon_b = muon_b
        self.muon_c = muon_c
        self.adam_lr_ratio = adam_lr_ratio
        self.momentum = momentum
        self.ns_steps = ns_steps
        self.nesterov = nesterov
        self.exclude_embeddings = exclude_embeddings
        self.exclude_layers = exclude_layers or []
        self.adam_weight_decay = adam_weight_decay
        self.rms_rate = rms_rate

    def _should_use_adamw(self, variable):
        if len(variable.shape) != 2:
            return True
        if self.exclude_embeddings and "embedding" in variable.path.lower():
            return True
        return any(re.search(keyword, variable.path) for keyword in self.exclude_layers)

    def build(self, var_list):
        if self.built:
            return
        super().build(var_list)
        self.momentums = [None] * len(var_list)
        self.adam_velocities = [None] * len(var_list)
        for variable in var_list:
            index = self._get_variable_index(variable)
            self.momentums[index] = self.add_variable_from_reference(variable, "momentum")
            if self._should_use_adamw(variable):
                self.adam_velocities[index] = self.add_variable_from_reference(
                    variable, "velocity")

    def update_step(self, gradient, variable, learning_rate):
        index = self._get_variable_index(variable)
        m, v = self.momentums[index], self.adam_velocities[index]
        if v is not None:
            self._adamw_update_step(gradient, variable,
                                    get_ops().multiply(learning_rate, self.adam_lr_ratio),
                                    m, v)
        else:
            self._muon_update_step(gradient, variable, learning_rate, m)

    def _muon_update_step(self, gradient, variable, lr, m):
        ops = get_ops()
        m.assign_add(ops.add(gradient, ops.multiply(m.value, self.momentum - 1)))
        if self.nesterov:
            g = ops.add(gradient, ops.multiply(self.momentum, m.value))
        else:
            g = m.value
        update = self._newton_schulz5(g, self.ns_steps)
        variable.assign_sub(self._lr_adjust(ops.multiply(lr, update)))

    def _adamw_update_step(self, gradient, variable, learning_rate, m, v):
        ops = get_ops()
        dtype = variable.dtype
        lr = self._cast(learning_rate, dtype)
        gradient = self._cast(gradient, dtype)
        t = self._local_step(dtype)
        beta_1_power = ops.power(self._cast(self.adam_beta_1, dtype), t)
        beta_2_power = ops.power(self._cast(self.adam_beta_2, dtype), t)
        alpha = ops.divide(ops.multiply(lr, ops.sqrt(ops.subtract(1.0, beta_2_power))),
                           ops.subtract(1.0, beta_1_power))
        m.assign_add(ops.multiply(ops.subtract(gradient, m.value), 1 - self.adam_beta_1))
        v.assign_add(ops.multiply(ops.subtract(ops.square(gradient), v.value),
                                  1 - self.adam_beta_2))
        variable.assign_sub(ops.divide(ops.multiply(m.value, alpha),
                                       ops.add(ops.sqrt(v.value), self.epsilon)))

    @staticmethod
    def _transpose_last_axes(x):
        rank = len(get_ops().shape(x))
        order = list(range(rank))
        order[-2], order[-1] = order[-1], order[-2]
        return get_ops().transpose(x, order)

    def _lr_adjust(self, x):
        """x * sqrt(max(rows, cols)) * rms_rate (Moonlight's scaling)."""
        if self.rms_rate is None:
            return x
        ops = get_ops()
        rows, cols = ops.shape(x)[0], ops.shape(x)[1]
        # Keras takes the square root of an int32 tensor, in float32.
        scale = ops.convert_to_tensor(np.sqrt(np.float32(max(rows, cols))), "float32")
        return ops.multiply(ops.multiply(x, scale), self.rms_rate)

    def _newton_schulz5(self, x, steps):
        ops = get_ops()
        shape = ops.shape(x)
        if len(shape) < 2:
            raise ValueError("Expected gradient or momentum to have at least 2 dimensions. "
                             f"Received: shape={shape}")
        a, b, c = self.muon_a, self.muon_b, self.muon_c
        tall = shape[-2] > shape[-1]
        if tall:
            x = self._transpose_last_axes(x)
        norm = ops.sqrt(ops.sum(ops.square(x), axis=(-2, -1), keepdims=True))
        x = ops.divide(x, ops.add(norm, 1e-7))  # spectral norm at most 1
        for _ in range(steps):
            gram = ops.matmul(x, self._transpose_last_axes(x))
            poly = ops.add(ops.multiply(b, gram), ops.matmul(ops.multiply(c, gram), gram))
            x = ops.add(ops.multiply(a, x), ops.matmul(poly, x))
        return self._transpose_last_axes(x) if tall else x

    def _apply_weight_decay(self, variables):
        ops = get_ops()
        for variable in variables:
            if not self._use_weight_decay(variable):
                continue
            decay = self.adam_weight_decay if self._should_use_adamw(variable) \
                else self.weight_decay
            if decay is None:
                continue
            dtype = variable.dtype
            wd = self._cast(decay, dtype)
            lr = self._cast(self._lr_value(), dtype)
            variable.assign(ops.subtract(variable.value,
                                         ops.multiply(ops.multiply(variable.value, wd), lr)))

    def get_config(self):
        config = super().get_config()
        config.update({
            "adam_beta_1": self.adam_beta_1, "adam_beta_2": self.adam_beta_2,
            "epsilon": self.epsilon, "exclude_layers": self.exclude_layers,
            "muon_a": self.muon_a, "muon_b": self.muon_b, "muon_c": self.muon_c,
            "adam_lr_ratio": self.adam_lr_ratio, "momentum": self.momentum,
            "ns_steps": self.ns_steps, "nesterov": self.nesterov,
            "exclude_embeddings": self.exclude_embeddings,
            "adam_weight_decay": self.adam_weight_decay, "rms_rate": self.rms_rate,
        })
        return config
