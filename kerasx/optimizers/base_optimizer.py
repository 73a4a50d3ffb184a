"""The Optimizer base class, as keras.optimizers.Optimizer.

Everything numeric goes through the backend contract (`get_ops()`), in the
order Keras 3 performs it, so that a kerasx optimizer and a Keras 3 optimizer
given the same variables and gradients end with the same values:

    apply(grads, variables):
        build (first call) -> drop None gradients -> divide by
        loss_scale_factor -> clip (clipnorm | global_clipnorm | clipvalue) ->
        decoupled weight decay -> update_step per variable -> constraints ->
        iterations += 1

Slot variables are named and ordered as Keras names and orders them
("<optimizer>/<variable path with _>_<slot>", the slots of one model variable
next to each other), so that `optimizer.variables` can be exchanged with a
Keras 3 optimizer's (saved optimizer state).
"""
import numbers
import re
import warnings

import numpy as np

from kerasx import config
from kerasx.backend import get_ops, naming
from kerasx.optimizers.moving_averages import MovingAverages
from kerasx.optimizers.schedules import learning_rate_schedule
from kerasx.variables import Variable

def _is_number(value):
    return isinstance(value, numbers.Real) and not isinstance(value, bool)


class Optimizer(MovingAverages):
    """Base class of the optimizers.

    A subclass overrides `build(variables)` (calling `super().build` first,
    then creating its slots with `add_optimizer_variables`), `update_step`
    and `get_config`.

    Args:
        learning_rate: a float, a `LearningRateSchedule` (evaluated at
            `iterations`) or a callable taking no argument.
        weight_decay: float or None; decoupled weight decay applied before
            each update: `v -= v * weight_decay * learning_rate`.
        clipnorm: clip each gradient to this L2 norm.
        clipvalue: clip each gradient element to [-clipvalue, clipvalue].
        global_clipnorm: clip all gradients together to this global norm.
        use_ema: keep an exponential moving average of the variables
            (`ema_momentum`), written into them every
            `ema_overwrite_frequency` steps and at the end of `fit`.
        loss_scale_factor: the loss is multiplied by it (`scale_loss`) and the
            gradients divided by it before the update.
        gradient_accumulation_steps: not supported by kerasx (must be None).
        name: the optimizer's name (default: snake_case class name, made
            unique).

    Raises:
        ValueError: for an unknown keyword, more than one clipping option, an
            invalid learning rate, or an unsupported option (use_ema,
            gradient_accumulation_steps).
    """

    def __init__(self, learning_rate, weight_decay=None, clipnorm=None, clipvalue=None,
                 global_clipnorm=None, use_ema=False, ema_momentum=0.99,
                 ema_overwrite_frequency=None, loss_scale_factor=None,
                 gradient_accumulation_steps=None, name=None, **kwargs):
        if kwargs.pop("decay", None) is not None:
            warnings.warn("Argument `decay` is no longer supported and will be ignored.")
        if kwargs:
            raise ValueError(f"Argument(s) not recognized: {kwargs}")
        if use_ema:
            if ema_momentum > 1 or ema_momentum < 0:
                raise ValueError("`ema_momentum` must be in the range [0, 1]. "
                                 f"Received: ema_momentum={ema_momentum}")
            if ema_overwrite_frequency and (not isinstance(ema_overwrite_frequency, int)
                                            or ema_overwrite_frequency < 1):
                raise ValueError("`ema_overwrite_frequency` must be an integer >= 1 or "
                                 "None. Received: ema_overwrite_frequency="
                                 f"{ema_overwrite_frequency}")
        if gradient_accumulation_steps:
            raise ValueError(
                "kerasx optimizers do not support `gradient_accumulation_steps`. "
                f"Received: gradient_accumulation_steps={gradient_accumulation_steps}.")
        clip_args = sum(a is not None for a in (clipnorm, clipvalue, global_clipnorm))
        if clip_args > 1:
            raise ValueError(
                "Only one of `clipnorm`, `clipvalue` and `global_clipnorm` can be set. "
                f"Received: clipnorm={clipnorm}, clipvalue={clipvalue}, "
                f"global_clipnorm={global_clipnorm}")

        self.name = name if name is not None else naming.auto_name(type(self).__name__)
        self.weight_decay = weight_decay
        self.clipnorm = clipnorm
        self.clipvalue = clipvalue
        self.global_clipnorm = global_clipnorm
        self.use_ema = bool(use_ema)
        self.ema_momentum = ema_momentum
        self.ema_overwrite_frequency = ema_overwrite_frequency
        self.loss_scale_factor = loss_scale_factor
        self.gradient_accumulation_steps = None
        self.built = False

        self._variables = []
        self._trainable_variables = []
        self._trainable_variables_indices = {}
        self._exclude_from_weight_decay = set()
        self._exclude_from_weight_decay_pattern = None
        self._step_cache = {}

        self._iterations = self._make_variable(np.asarray(0, dtype="int64"), "iteration",
                                               dtype="int64")
        self._track_variable(self._iterations)

        if isinstance(learning_rate, learning_rate_schedule.LearningRateSchedule) or (
                callable(learning_rate) and not _is_number(learning_rate)):
            self._learning_rate = learning_rate
        elif _is_number(learning_rate):
            lr = self._make_variable(float(learning_rate), "learning_rate",
                                     dtype=config.floatx())
            self._track_variable(lr)
            self._learning_rate = lr
        else:
            raise ValueError(
                "Argument `learning_rate` should be a float, a LearningRateSchedule or "
                "a callable (taking no argument and returning the learning rate). "
                f"Received instead: learning_rate={learning_rate!r}")

    # ------------------------------------------------------------------
    # Variables
    # ------------------------------------------------------------------
    def _make_variable(self, value, name, dtype):
        # Through an initializer, as Keras makes them: a StatelessScope allows that.
        ops = get_ops()
        shape = tuple(ops.shape(value)) if ops.is_tensor(value) else np.shape(value)
        variable = Variable(lambda *_, **__: value, shape=shape, dtype=dtype,
                            trainable=False, name=name)
        variable.path = f"{self.name}/{name}"
        return variable

    def _track_variable(self, variable):
        self._variables.append(variable)

    def _untrack_variable(self, variable):
        self._variables = [v for v in self._variables if v is not variable]

    @property
    def iterations(self):
        """The number of update steps applied so far (an int64 Variable)."""
        return self._iterations

    @property
    def variables(self):
        """All optimizer state, in Keras's order: iteration, learning_rate
        (when it is a float), then the slots."""
        return self._variables[:]

    def build(self, variables):
        """Record the model variables; subclasses then create their slots."""
        variables = list(variables)
        if self.use_ema:
            # Before the subclass's slots, as Keras orders them.
            self._model_variables_moving_average = self.add_optimizer_variables(
                variables, "average")
        for i, variable in enumerate(variables):
            self._trainable_variables_indices[id(variable)] = i
        self._trainable_variables = variables
        self.built = True

    def add_variable(self, shape, initializer="zeros", dtype=None, name=None):
        """Add a (non-trainable) optimizer variable filled with `initializer`
        ("zeros", "ones", a number, or a callable taking shape and dtype)."""
        dtype = dtype or config.floatx()
        shape = tuple(shape)
        if isinstance(initializer, str) and initializer == "zeros":
            value = np.zeros(shape, dtype=dtype)
        elif isinstance(initializer, str) and initializer == "ones":
            value = np.ones(shape, dtype=dtype)
        elif _is_number(initializer):
            value = np.full(shape, initializer, dtype=dtype)
        elif callable(initializer):
            value = initializer(shape, dtype=dtype)
        else:
            raise ValueError(f"Unsupported optimizer variable initializer {initializer!r}.")
        variable = self._make_variable(value, name or "variable", dtype=dtype)
        self._track_variable(variable)
        return variable

    def add_variable_from_reference(self, reference_variable, name=None,
                                    initializer="zeros"):
        """A variable shaped and typed as `reference_variable`, named
        "<reference path with _>_<name>" as Keras names it."""
        name = name or "var"
        ref = getattr(reference_variable, "path", None) or str(reference_variable.name)
        name = f"{ref.replace('/', '_').replace(':', '_')}_{name}"
        return self.add_variable(reference_variable.shape, initializer=initializer,
                                 dtype=reference_variable.dtype, name=name)

    def add_optimizer_variables(self, trainable_variables, name, initializer="zeros"):
        """One slot per variable and per name; with a list of names, returns a
        tuple of lists, created variable by variable (Keras's order)."""
        names = [name] if isinstance(name, str) else list(name)
        initializers = initializer if isinstance(initializer, (list, tuple)) \
            else [initializer] * len(names)
        if len(initializers) != len(names):
            raise ValueError("The number of provided names must match the number of "
                             f"provided initializers. Received name={name!r}, "
                             f"initializer={initializer!r}")
        slots = tuple([] for _ in names)
        for variable in trainable_variables:
            for i, (slot_name, init) in enumerate(zip(names, initializers)):
                # As Keras: no slot for a variable overwritten by its gradient.
                slots[i].append(None if getattr(variable, "overwrite_with_gradient", False)
                                else self.add_variable_from_reference(
                                    variable, name=slot_name, initializer=init))
        return slots[0] if isinstance(name, str) else slots

    def _get_variable_index(self, variable):
        return self._trainable_variables_indices[id(variable)]

    def set_weights(self, weights):
        """Set all optimizer variables from a list of arrays (`variables` order)."""
        if not self.built:
            raise ValueError("You are calling `set_weights()` on an optimizer that has "
                             "not yet been built. Call `optimizer.build(variables)` first.")
        for variable, weight in zip(self._variables, weights):
            if tuple(variable.shape) != tuple(np.shape(weight)):
                raise ValueError(f"Optimizer variable {variable.path!r} has shape "
                                 f"{variable.shape}, not compatible with provided weight "
                                 f"shape {tuple(np.shape(weight))}.")
            variable.assign(weight)

    def get_weights(self):
        return [v.numpy() for v in self._variables]

    def save_own_variables(self, store):
        """Write the state into `store` under "0", "1", ... (Keras's layout)."""
        for i, variable in enumerate(self.variables):
            store[str(i)] = variable.numpy()

    def load_own_variables(self, store):
        """Read the state written by `save_own_variables` (or by Keras)."""
        if len(store.keys()) != len(self.variables):
            msg = (f"Skipping variable loading for optimizer '{self.name}', because it "
                   f"has {len(self.variables)} variables whereas the saved optimizer "
                   f"has {len(store.keys())} variables. ")
            if not self.built:
                msg += "This is likely because the optimizer has not been called/built yet."
            warnings.warn(msg, stacklevel=2)
            return
        for i, variable in enumerate(self.variables):
            variable.assign(np.asarray(store[str(i)]))

    # ------------------------------------------------------------------
    # Learning rate
    # ------------------------------------------------------------------
    @property
    def learning_rate(self):
        """The current learning rate: the learning-rate Variable, or the
        schedule evaluated at `iterations`, or the callable's result."""
        lr = self._learning_rate
        if isinstance(lr, learning_rate_schedule.LearningRateSchedule):
            return lr(self._iterations)
        if isinstance(lr, Variable):
            return lr
        if callable(lr):
            return lr()
        return lr

    @learning_rate.setter
    def learning_rate(self, learning_rate):
        previous = self._learning_rate
        if isinstance(learning_rate, learning_rate_schedule.LearningRateSchedule) or (
                callable(learning_rate) and not _is_number(learning_rate)):
            self._learning_rate = learning_rate
            if isinstance(previous, Variable):
                self._untrack_variable(previous)
            return
        if not isinstance(previous, Variable):
            raise TypeError(
                "This optimizer was created with a `LearningRateSchedule` (or a "
                "callable) as its `learning_rate` constructor argument, hence its "
                "learning rate is not settable. If you need the learning rate to be "
                "settable, instantiate the optimizer with a float `learning_rate`.")
        previous.assign(np.asarray(get_ops().to_numpy(learning_rate)
                                   if get_ops().is_tensor(learning_rate)
                                   else learning_rate, dtype=previous.dtype))

    def _lr_value(self):
        """The current learning rate as a native tensor (or Python number)."""
        lr = self.learning_rate
        return lr.value if isinstance(lr, Variable) else lr

    # ------------------------------------------------------------------
    # Applying gradients
    # ------------------------------------------------------------------
    def apply_gradients(self, grads_and_vars):
        """Apply a list of (gradient, variable) pairs; returns `iterations`."""
        grads, variables = zip(*grads_and_vars)
        self.apply(grads, variables)
        return self._iterations

    def apply(self, grads, trainable_variables=None):
        """Update `trainable_variables` with `grads` (native tensors, as
        returned by `value_and_grad`; None for a variable without gradient).

        Without `trainable_variables`, the variables the optimizer was built
        with are used (`grads` must match them one to one).
        """
        grads = list(grads)
        if not grads:
            return
        if trainable_variables is None:
            if not self.built:
                raise ValueError(
                    "When passing `grads` without `variables`, the optimizer must "
                    "already be built on a list of variables. Call "
                    "`optimizer.build(trainable_variables)` first.")
            if len(grads) != len(self._trainable_variables):
                raise ValueError(
                    "When passing `grads` as a list of gradient tensors, the gradients "
                    "must match the variables the optimizer was built with one to one. "
                    f"Received {len(grads)} gradients, but the optimizer is tracking "
                    f"{len(self._trainable_variables)} trainable variables.")
            trainable_variables = self._trainable_variables
        else:
            trainable_variables = list(trainable_variables)
            if len(grads) != len(trainable_variables):
                raise ValueError(f"Received {len(grads)} gradients for "
                                 f"{len(trainable_variables)} variables.")
            if not self.built:
                self.build(trainable_variables)
            unknown = [v.path for v in trainable_variables
                       if id(v) not in self._trainable_variables_indices]
            if unknown:
                raise ValueError(
                    f"Unknown variables {unknown}: this optimizer was built for a "
                    "different set of variables. Create a new optimizer for them.")

        grads, trainable_variables = self._filter_empty_gradients(grads, trainable_variables)
        ops = get_ops()
        grads = [g if ops.is_tensor(g) else ops.convert_to_tensor(np.asarray(g), v.dtype)
                 for g, v in zip(grads, trainable_variables)]
        grads, trainable_variables = self._overwrite_with_gradients(grads,
                                                                    trainable_variables)
        if not grads:
            self._iterations.assign_add(1)
            return
        if self.loss_scale_factor is not None:
            grads = [ops.divide(g, self.loss_scale_factor) for g in grads]
        self._step_cache = {}
        try:
            grads = self._clip_gradients(grads)
            self._apply_weight_decay(trainable_variables)
            self._update_all(grads, trainable_variables, self._lr_value())
        finally:
            self._step_cache = {}
        if self.use_ema:
            self._update_moving_averages()
        for variable in trainable_variables:
            if variable.constraint is not None:
                variable.assign(variable.constraint(variable.value))
        self._iterations.assign_add(1)

    @staticmethod
    def _overwrite_with_gradients(grads, variables):
        """Assign their gradient to the variables marked
        `overwrite_with_gradient` (float8's scales), as Keras does before
        any clipping or update, and leave them out of the rest."""
        if not any(getattr(v, "overwrite_with_gradient", False) for v in variables):
            return grads, variables
        kept_grads, kept_vars = [], []
        for g, v in zip(grads, variables):
            if getattr(v, "overwrite_with_gradient", False):
                v.assign(g)
            else:
                kept_grads.append(g)
                kept_vars.append(v)
        return kept_grads, kept_vars

    def _update_all(self, grads, trainable_variables, learning_rate):
        """Run `update_step` for every variable (Nadam adds a shared step)."""
        for grad, variable in zip(grads, trainable_variables):
            self.update_step(grad, variable, learning_rate)

    def update_step(self, gradient, variable, learning_rate):
        """Update `variable` (and its slots) with one gradient."""
        raise NotImplementedError(
            f"Optimizer {type(self).__name__} must implement `update_step`.")

    def _filter_empty_gradients(self, grads, variables):
        kept = [(g, v) for g, v in zip(grads, variables) if g is not None]
        if not kept:
            raise ValueError("No gradients provided for any variable.")
        if len(kept) != len(grads):
            missing = [v.path for g, v in zip(grads, variables) if g is None]
            warnings.warn(
                f"Gradients do not exist for variables {missing} when minimizing the "
                "loss. If using `model.compile()`, did you forget to provide a `loss` "
                "argument?")
        return [g for g, _ in kept], [v for _, v in kept]

    # -- per-step scalars ------------------------------------------------
    def _cast(self, value, dtype):
        """`value` (Python number, tensor or Variable) as a tensor of `dtype`,
        with Keras's `ops.cast` semantics: a Python float first becomes a
        float32 tensor, then is cast. So, as in Keras 3, a hyper-parameter
        that Keras casts (momentum, beta_1 and beta_2 in the bias
        corrections, weight_decay) is rounded to float32 even for float64
        variables, while Python numbers used directly in an operation
        (epsilon, 1 - beta_1, rho) keep full precision."""
        return keras_cast(value, dtype)

    def _per_step(self, key, dtype, compute):
        """`compute()`, computed once per `apply` call for a (key, dtype):
        a value that depends only on the step and the dtype (e.g. beta_1 **
        t), shared by all variables of that dtype."""
        cache_key = (key, dtype)
        if cache_key not in self._step_cache:
            self._step_cache[cache_key] = compute()
        return self._step_cache[cache_key]

    def _local_step(self, dtype, offset=1):
        """cast(iterations + offset, dtype), as Keras's `local_step`."""
        ops = get_ops()
        return self._per_step(("step", offset), dtype, lambda: ops.cast(
            ops.add(self._iterations.value, offset), dtype))

    # -- clipping ----------------------------------------------------------
    def _clip_gradients(self, grads):
        ops = get_ops()
        if self.clipnorm and self.clipnorm > 0:
            return [self._clip_by_norm(g) for g in grads]
        if self.global_clipnorm and self.global_clipnorm > 0:
            return clip_by_global_norm(grads, self.global_clipnorm)
        if self.clipvalue and self.clipvalue > 0:
            v = float(self.clipvalue)
            return [ops.clip(g, -v, v) for g in grads]
        return grads

    def _clip_by_norm(self, values):
        """values * clipnorm / max(||values||, clipnorm), as tf.clip_by_norm."""
        ops = get_ops()
        l2sum = ops.sum(ops.square(values), axis=None, keepdims=True)
        pred = ops.greater(l2sum, 0.0)
        l2sum_safe = ops.where(pred, l2sum, ops.ones_like(l2sum))
        l2norm = ops.where(pred, ops.sqrt(l2sum_safe), l2sum)
        intermediate = ops.multiply(values, float(self.clipnorm))
        return ops.divide(intermediate, ops.maximum(l2norm, float(self.clipnorm)))

    # -- weight decay ------------------------------------------------------
    def exclude_from_weight_decay(self, var_list=None, var_names=None):
        """Exclude variables (or those whose name contains one of `var_names`)
        from weight decay; call before the optimizer is built."""
        if self.built:
            raise ValueError("`exclude_from_weight_decay()` can only be configured "
                             "before the optimizer is built.")
        self._exclude_from_weight_decay = set(id(v) for v in (var_list or []))
        self._exclude_from_weight_decay_pattern = (
            re.compile("|".join(set(var_names))) if var_names else None)

    def _use_weight_decay(self, variable):
        if id(variable) in self._exclude_from_weight_decay:
            return False
        pattern = self._exclude_from_weight_decay_pattern
        if pattern is not None and re.search(pattern, variable.name) is not None:
            return False
        return True

    def _apply_weight_decay(self, variables):
        if self.weight_decay is None:
            return
        ops = get_ops()
        lr_value = self._lr_value()
        for variable in variables:
            if self._use_weight_decay(variable):
                dtype = variable.dtype
                lr = self._cast(lr_value, dtype)
                wd = self._cast(self.weight_decay, dtype)
                variable.assign_sub(ops.multiply(ops.multiply(variable.value, wd), lr))

    # ------------------------------------------------------------------
    # Misc Keras API
    # ------------------------------------------------------------------
    def scale_loss(self, loss):
        """loss * loss_scale_factor (unchanged when it is None)."""
        if self.loss_scale_factor is not None:
            return get_ops().multiply(loss, self.loss_scale_factor)
        return loss

    def get_config(self):
        lr = self._learning_rate
        if isinstance(lr, learning_rate_schedule.LearningRateSchedule):
            learning_rate = learning_rate_schedule.serialize(lr)
        elif isinstance(lr, Variable):
            learning_rate = float(lr.numpy())
        elif callable(lr):
            from kerasx.saving.registry import get_registered_name
            learning_rate = get_registered_name(lr) if isinstance(lr, type) else \
                getattr(lr, "__name__", repr(lr))
        else:
            learning_rate = 0.5
        return {
            "name": self.name,
            "learning_rate": learning_rate,
            "weight_decay": self.weight_decay,
            "clipnorm": self.clipnorm,
            "global_clipnorm": self.global_clipnorm,
            "clipvalue": self.clipvalue,
            "use_ema": self.use_ema,
            "ema_momentum": self.ema_momentum,
            "ema_overwrite_frequency": self.ema_overwrite_frequency,
            "loss_scale_factor": self.loss_scale_factor,
            "gradient_accumulation_steps": self.gradient_accumulation_steps,
        }

    @classmethod
    def from_config(cls, config, custom_objects=None):
        config = dict(config)
        if isinstance(config.get("learning_rate"), dict):
            config["learning_rate"] = learning_rate_schedule.deserialize(
                config["learning_rate"], custom_objects=custom_objects)
        return cls(**config)

    def __repr__(self):
        return f"<{type(self).__name__} name={self.name}>"


def keras_cast(value, dtype):
    """`ops.cast(value, dtype)` as Keras 3 computes it: Python numbers go
    through convert_to_tensor's default dtype (float32 / int32) first."""
    ops = get_ops()
    if isinstance(value, Variable):
        value = value.value
    if not ops.is_tensor(value):
        value = ops.convert_to_tensor(value)
    return value if ops.dtype(value) == dtype else ops.cast(value, dtype)


def keras_cast_numpy(value, dtype):
    """NumPy twin of `keras_cast` for a Python number (initial values)."""
    if isinstance(value, float):
        return np.asarray(value, dtype="float32").astype(dtype)
    return np.asarray(value).astype(dtype)


def global_norm(value_list):
    """sqrt of the sum of the squares of all tensors (Keras's global_norm)."""
    ops = get_ops()
    values = [v for v in value_list if v is not None]
    dtype = _widest_dtype(values)
    squared = [ops.sum(ops.square(_as_dtype(v, dtype))) for v in values]
    return ops.sqrt(ops.sum(ops.stack(squared)))


def clip_by_global_norm(value_list, clip_norm):
    """Scale all tensors by clip_norm / max(global_norm, clip_norm), as Keras."""
    ops = get_ops()
    use_norm = global_norm(value_list)
    scale_for_finite = ops.multiply(
        ops.minimum(ops.divide(1.0, use_norm), 1.0 / clip_norm), float(clip_norm))
    # NaN/inf norms propagate, as in Keras.
    scale = ops.add(scale_for_finite, ops.subtract(use_norm, use_norm))
    dtype = ops.dtype(scale)
    out = []
    for v in value_list:
        if v is None:
            out.append(v)
            continue
        own = ops.dtype(v)
        scaled = ops.multiply(_as_dtype(v, dtype), scale)
        out.append(scaled if own == dtype else ops.cast(scaled, own))
    return out


def _widest_dtype(values):
    ops = get_ops()
    order = {"float16": 0, "float32": 1, "float64": 2}
    dtypes = [ops.dtype(v) for v in values]
    return max(dtypes, key=lambda d: order.get(d, -1))


def _as_dtype(x, dtype):
    ops = get_ops()
    return x if ops.dtype(x) == dtype else ops.cast(x, dtype)
