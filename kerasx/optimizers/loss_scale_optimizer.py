"""LossScaleOptimizer, as keras.optimizers.LossScaleOptimizer: dynamic loss
scaling for float16 training."""
import numpy as np

from kerasx.backend import get_ops
from kerasx.optimizers.base_optimizer import Optimizer


class LossScaleOptimizer(Optimizer):
    """Wraps an optimizer and scales the loss dynamically, as Keras 3:

    - `scale_loss(loss)` multiplies the loss by the current scale, so that
      small float16 gradients do not underflow; `apply` divides the
      gradients by it before the inner optimizer's update;
    - a step whose gradients hold a non-finite value is skipped (neither the
      weights nor the inner optimizer's state, `iterations` included, change)
      and the scale is halved;
    - after `dynamic_growth_steps` finite steps in a row the scale doubles.

    The skip is branch-free (the update is computed and then kept or
    discarded element-wise), so it works inside every backend's compiled step.

    Args:
        inner_optimizer: the `Optimizer` instance to wrap.
        initial_scale: the starting loss scale (2 ** 15).
        dynamic_growth_steps: finite steps between two doublings (2000).
        name: the optimizer's name.

    Raises:
        ValueError: for `dynamic=False` or an argument of the base optimizer
            (set it on the inner optimizer instead).
    """

    # A step with non-finite gradients leaves the weights untouched, so the
    # trainer need not flag the loss as NaN.
    skips_non_finite_steps = True

    def __init__(self, inner_optimizer, initial_scale=2.0 ** 15, dynamic_growth_steps=2000,
                 name=None, **kwargs):
        if not kwargs.pop("dynamic", True):
            raise ValueError("LossScaleOptimizer no longer supports `dynamic=False`. "
                             "Instead, simply set `loss_scale_factor` directly on the "
                             "`inner_optimizer`.")
        defaults = {"weight_decay": None, "clipnorm": None, "global_clipnorm": None,
                    "clipvalue": None, "use_ema": False, "ema_momentum": 0.99,
                    "ema_overwrite_frequency": None, "loss_scale_factor": None,
                    "gradient_accumulation_steps": None}
        # Older Keras configs carry the base arguments at their defaults.
        for arg, default in defaults.items():
            if arg in kwargs and kwargs.pop(arg) != default:
                raise ValueError(f"LossScaleOptimizer does not support `{arg}`. "
                                 f"Instead, set `{arg}` on the `inner_optimizer`.")
        if kwargs:
            raise ValueError("LossScaleOptimizer does not support arguments: "
                             f"`{'`, `'.join(kwargs)}`.")
        if not isinstance(inner_optimizer, Optimizer):
            raise ValueError("LossScaleOptimizer wraps an Optimizer instance. Received: "
                             f"inner_optimizer={inner_optimizer!r}.")
        super().__init__(learning_rate=0.0, name=name)
        self.inner_optimizer = inner_optimizer
        self.initial_scale = initial_scale
        self.dynamic_growth_steps = dynamic_growth_steps
        # Otherwise the gradients would be unscaled twice.
        self.inner_optimizer.loss_scale_factor = None

    def build(self, var_list):
        """Create `step_counter` and `dynamic_scale`, then build the inner
        optimizer on `var_list`."""
        if self.built:
            return
        self.step_counter = self.add_variable((), initializer="zeros", dtype="int64",
                                              name="step_counter")
        self.dynamic_scale = self.add_variable(
            (), initializer=lambda shape, dtype: np.full(shape, self.initial_scale, dtype),
            dtype="float32", name="dynamic_scale")
        known = set(id(v) for v in self.inner_optimizer.variables)
        self.inner_optimizer.build(var_list)
        for variable in self.inner_optimizer.variables:
            if id(variable) not in known:
                # Keras builds the inner slots inside this optimizer's name
                # scope ("loss_scale_optimizer/adam/kernel_momentum").
                variable.path = f"{self.name}/{variable.path}"
        super().build(var_list)

    @property
    def variables(self):
        """Its own variables, then the inner optimizer's (Keras's order)."""
        return self._variables + self.inner_optimizer.variables

    def check_finite(self, grads):
        """A bool scalar tensor: every element of every gradient is finite."""
        ops = get_ops()
        finite = None
        for grad in grads:
            if grad is None:
                continue
            # x - x is 0 for finite x and NaN for +-inf and NaN.
            part = ops.all(ops.equal(ops.subtract(grad, grad), 0.0))
            finite = part if finite is None else ops.logical_and(finite, part)
        return ops.convert_to_tensor(True) if finite is None else finite

    def apply(self, grads, trainable_variables=None):
        """Unscale `grads` and apply them with the inner optimizer when they
        are all finite; otherwise leave everything unchanged. Then update the
        loss scale."""
        ops = get_ops()
        grads = list(grads)
        if trainable_variables is not None:
            trainable_variables = list(trainable_variables)
        if not self.built:
            if trainable_variables is None:
                raise ValueError("When passing `grads` without `variables`, the optimizer "
                                 "must already be built on a list of variables.")
            self.build(trainable_variables)
        model_variables = trainable_variables if trainable_variables is not None \
            else self._trainable_variables
        finite = self.check_finite(grads)
        scale = self.dynamic_scale.value
        unscaled = [None if g is None else ops.divide(g, ops.cast(scale, ops.dtype(g)))
                    for g in grads]
        # Copies (not views: torch and MXNet read variables in place) of
        # everything the inner update may write.
        state = [v for g, v in zip(grads, model_variables) if g is not None]
        state += self.inner_optimizer.variables
        before = [ops.multiply(v.value, ops.ones_like(v.value)) for v in state]
        self.inner_optimizer.apply(unscaled, trainable_variables)
        for variable, old in zip(state, before):
            variable.assign(ops.where(finite, variable.value, old))
        self._update_scale(finite)

    def _update_scale(self, finite):
        ops = get_ops()
        counter = self.step_counter.value
        scale = self.dynamic_scale.value
        grow = ops.logical_and(finite, ops.equal(counter, self.dynamic_growth_steps - 1))
        new_counter = ops.where(ops.logical_or(grow, ops.logical_not(finite)),
                                ops.zeros_like(counter), ops.add(counter, 1))
        new_scale = ops.where(grow, ops.multiply(scale, 2.0),
                              ops.where(finite, scale, ops.multiply(scale, 0.5)))
        self.step_counter.assign(new_counter)
        self.dynamic_scale.assign(new_scale)

    @property
    def learning_rate(self):
        """The inner optimizer's learning rate."""
        return self.inner_optimizer.learning_rate

    @learning_rate.setter
    def learning_rate(self, learning_rate):
        self.inner_optimizer.learning_rate = learning_rate

    @property
    def iterations(self):
        """The inner optimizer's step count (skipped steps do not count)."""
        return self.inner_optimizer.iterations

    def scale_loss(self, loss):
        """loss * the current loss scale."""
        ops = get_ops()
        scale = self.dynamic_scale.value if self.built else self.initial_scale
        if ops.is_tensor(scale) and ops.dtype(scale) != ops.dtype(loss):
            scale = ops.cast(scale, ops.dtype(loss))
        return ops.multiply(loss, scale)

    def finalize_variable_values(self, var_list):
        self.inner_optimizer.finalize_variable_values(var_list)

    def get_config(self):
        from kerasx import optimizers
        return {"name": self.name,
                "inner_optimizer": optimizers.serialize(self.inner_optimizer),
                "initial_scale": self.initial_scale,
                "dynamic_growth_steps": self.dynamic_growth_steps}

    @classmethod
    def from_config(cls, config, custom_objects=None):
        from kerasx import optimizers
        config = dict(config)
        inner = optimizers.deserialize(config.pop("inner_optimizer"),
                                       custom_objects=custom_objects)
        return cls(inner, **config)
