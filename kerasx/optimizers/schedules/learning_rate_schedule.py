"""Learning-rate schedules, as keras.optimizers.schedules.

Each schedule is a callable taking the optimizer's step (an int Variable,
native tensor or Python number) and returning the learning rate as a native
tensor in the dtype of `initial_learning_rate` (float32 for a Python float),
computed with contract operations in the order Keras 3 computes it (so the
values agree with Keras's, and a compiled training step can trace them).
"""
import math

from kerasx.backend import get_ops
from kerasx.saving.registry import make_getter


def _step_tensor(step):
    """The step as a native tensor (a Variable's value, or a converted number)."""
    ops = get_ops()
    value = getattr(step, "value", step) if hasattr(step, "native") else step
    return value if ops.is_tensor(value) else ops.convert_to_tensor(value)


def _initial_tensor(value):
    """`value` as a float tensor: Python floats give float32, as Keras."""
    ops = get_ops()
    tensor = value if ops.is_tensor(value) else ops.convert_to_tensor(value)
    if ops.dtype(tensor) not in ("float16", "float32", "float64"):
        tensor = ops.cast(tensor, "float32")
    return tensor


def _cast(value, dtype):
    """ops.cast as Keras: a Python number first takes the default dtype
    (float32 / int32), then is cast."""
    ops = get_ops()
    if not ops.is_tensor(value):
        value = ops.convert_to_tensor(value)
    return value if ops.dtype(value) == dtype else ops.cast(value, dtype)


class LearningRateSchedule:
    """Base class: a subclass implements `__call__(step)` and `get_config`."""

    def __call__(self, step):
        raise NotImplementedError(
            f"Learning rate schedule '{type(self).__name__}' must override "
            "`__call__(self, step)`.")

    def get_config(self):
        raise NotImplementedError(
            f"Learning rate schedule '{type(self).__name__}' must override "
            "`get_config()` in order to be serializable.")

    @classmethod
    def from_config(cls, config):
        return cls(**config)


def _check_decay_steps(name, value):
    if value <= 0:
        raise ValueError(f"Argument `{name}` must be > 0. Received: {name}={value}")


class _StepDecay(LearningRateSchedule):
    """Shared by the schedules of the form f(initial, decay_rate, p) with
    p = step / decay_steps (floored with staircase=True)."""

    def __init__(self, initial_learning_rate, decay_steps, decay_rate, staircase=False,
                 name=None):
        _check_decay_steps("decay_steps", decay_steps)
        self.initial_learning_rate = initial_learning_rate
        self.decay_steps = decay_steps
        self.decay_rate = decay_rate
        self.staircase = staircase
        self.name = name or type(self).__name__

    def _progress(self, step):
        """(initial, decay_rate, p) as tensors of the learning rate's dtype."""
        ops = get_ops()
        initial = _initial_tensor(self.initial_learning_rate)
        dtype = ops.dtype(initial)
        decay_rate = _cast(self.decay_rate, dtype)
        p = ops.divide(_cast(_step_tensor(step), dtype), _cast(self.decay_steps, dtype))
        if self.staircase:
            p = ops.floor(p)
        return initial, decay_rate, p

    def get_config(self):
        return {"initial_learning_rate": self.initial_learning_rate,
                "decay_steps": self.decay_steps, "decay_rate": self.decay_rate,
                "staircase": self.staircase, "name": self.name}


class ExponentialDecay(_StepDecay):
    """initial_learning_rate * decay_rate ** (step / decay_steps); with
    staircase=True the exponent is floored."""

    def __call__(self, step):
        initial, decay_rate, p = self._progress(step)
        return get_ops().multiply(initial, get_ops().power(decay_rate, p))


class PiecewiseConstantDecay(LearningRateSchedule):
    """values[0] up to boundaries[0] (inclusive), values[i] on
    (boundaries[i-1], boundaries[i]], values[-1] after the last boundary."""

    def __init__(self, boundaries, values, name="PiecewiseConstant"):
        if len(boundaries) != len(values) - 1:
            raise ValueError(
                "The length of boundaries should be 1 less than the length of values. "
                f"Received: boundaries={boundaries} of length {len(boundaries)}, and "
                f"values={values} of length {len(values)}.")
        self.boundaries = boundaries
        self.values = values
        self.name = name

    def __call__(self, step):
        ops = get_ops()
        step = _step_tensor(step)
        step_dtype = ops.dtype(step)
        boundaries = [_cast(_step_tensor(b), step_dtype) for b in self.boundaries]
        values = [_step_tensor(v) for v in self.values]
        dtype = ops.dtype(values[0])
        values = [_cast(v, dtype) for v in values]

        def indicator(condition):
            return ops.cast(condition, dtype)

        result = ops.convert_to_tensor(0, dtype)
        result = ops.add(result, ops.multiply(
            indicator(ops.less_equal(step, boundaries[0])), values[0]))
        result = ops.add(result, ops.multiply(
            indicator(ops.greater(step, boundaries[-1])), values[-1]))
        for low, high, value in zip(boundaries[:-1], boundaries[1:], values[1:-1]):
            in_range = ops.logical_and(ops.greater(step, low), ops.less_equal(step, high))
            result = ops.add(result, ops.multiply(indicator(in_range), value))
        return result

    def get_config(self):
        return {"boundaries": self.boundaries, "values": self.values, "name": self.name}


class PolynomialDecay(LearningRateSchedule):
    """(initial - end) * (1 - step / decay_steps) ** power + end, with step
    capped at decay_steps (or decay_steps stretched by cycles if cycle)."""

    def __init__(self, initial_learning_rate, decay_steps, end_learning_rate=0.0001,
                 power=1.0, cycle=False, name="PolynomialDecay"):
        _check_decay_steps("decay_steps", decay_steps)
        self.initial_learning_rate = initial_learning_rate
        self.decay_steps = decay_steps
        self.end_learning_rate = end_learning_rate
        self.power = power
        self.cycle = cycle
        self.name = name

    def __call__(self, step):
        ops = get_ops()
        initial = _initial_tensor(self.initial_learning_rate)
        dtype = ops.dtype(initial)
        end = _cast(self.end_learning_rate, dtype)
        power = _cast(self.power, dtype)
        global_step = _cast(_step_tensor(step), dtype)
        decay_steps = _cast(self.decay_steps, dtype)
        if self.cycle:
            multiplier = ops.where(
                ops.equal(global_step, 0.0), ops.ones_like(global_step),
                ops.ceil(ops.divide(global_step, float(self.decay_steps))))
            decay_steps = ops.multiply(decay_steps, multiplier)
        else:
            global_step = ops.minimum(global_step, decay_steps)
        p = ops.divide(global_step, decay_steps)
        return ops.add(ops.multiply(ops.subtract(initial, end),
                                    ops.power(ops.subtract(1.0, p), power)), end)

    def get_config(self):
        return {"initial_learning_rate": self.initial_learning_rate,
                "decay_steps": self.decay_steps,
                "end_learning_rate": self.end_learning_rate, "power": self.power,
                "cycle": self.cycle, "name": self.name}


class InverseTimeDecay(_StepDecay):
    """initial_learning_rate / (1 + decay_rate * step / decay_steps); with
    staircase=True, step / decay_steps is floored."""

    def __call__(self, step):
        ops = get_ops()
        initial, decay_rate, p = self._progress(step)
        denom = ops.add(_cast(1, ops.dtype(initial)), ops.multiply(decay_rate, p))
        return ops.divide(initial, denom)


class CosineDecay(LearningRateSchedule):
    """Cosine decay from initial_learning_rate (or, after an optional linear
    warmup of warmup_steps to warmup_target, from warmup_target) to
    alpha * that rate over decay_steps."""

    def __init__(self, initial_learning_rate, decay_steps, alpha=0.0, name="CosineDecay",
                 warmup_target=None, warmup_steps=0):
        _check_decay_steps("decay_steps", decay_steps)
        self.initial_learning_rate = initial_learning_rate
        self.decay_steps = decay_steps
        self.alpha = alpha
        self.name = name
        self.warmup_steps = warmup_steps
        self.warmup_target = warmup_target

    def _decay(self, step, decay_steps, decay_from_lr, dtype):
        ops = get_ops()
        completed = ops.divide(step, decay_steps)
        pi = get_ops().convert_to_tensor(math.pi, dtype)
        cosine = ops.multiply(ops.add(ops.cos(ops.multiply(pi, completed)), 1.0), 0.5)
        decayed = ops.add(ops.multiply(cosine, 1.0 - self.alpha), float(self.alpha))
        return ops.multiply(decay_from_lr, decayed)

    def _warmup(self, step, warmup_steps, warmup_target, initial):
        ops = get_ops()
        completed = ops.divide(step, warmup_steps)
        delta = ops.subtract(warmup_target, initial)
        return ops.add(ops.multiply(delta, completed), initial)

    def __call__(self, step):
        ops = get_ops()
        initial = _initial_tensor(self.initial_learning_rate)
        dtype = ops.dtype(initial)
        decay_steps = _cast(self.decay_steps, dtype)
        global_step = _cast(_step_tensor(step), dtype)
        if self.warmup_target is None:
            global_step = ops.minimum(global_step, decay_steps)
            return self._decay(global_step, decay_steps, initial, dtype)
        warmup_target = _cast(self.warmup_target, dtype)
        warmup_steps = _cast(self.warmup_steps, dtype)
        global_step = ops.minimum(global_step, ops.add(decay_steps, warmup_steps))
        # Both branches are computed and one selected (Keras uses ops.cond);
        # the unselected one may be inf/NaN (warmup_steps 0), never returned.
        return ops.where(
            ops.less(global_step, warmup_steps),
            self._warmup(global_step, warmup_steps, warmup_target, initial),
            self._decay(ops.subtract(global_step, warmup_steps), decay_steps,
                        warmup_target, dtype))

    def get_config(self):
        return {"initial_learning_rate": self.initial_learning_rate,
                "decay_steps": self.decay_steps, "alpha": self.alpha, "name": self.name,
                "warmup_target": self.warmup_target, "warmup_steps": self.warmup_steps}


class CosineDecayRestarts(LearningRateSchedule):
    """Cosine decay with warm restarts (SGDR): periods grow by t_mul and the
    peak rate shrinks by m_mul at each restart."""

    def __init__(self, initial_learning_rate, first_decay_steps, t_mul=2.0, m_mul=1.0,
                 alpha=0.0, name="SGDRDecay"):
        _check_decay_steps("first_decay_steps", first_decay_steps)
        self.initial_learning_rate = initial_learning_rate
        self.first_decay_steps = first_decay_steps
        self._t_mul = t_mul
        self._m_mul = m_mul
        self.alpha = alpha
        self.name = name

    def __call__(self, step):
        ops = get_ops()
        initial = _initial_tensor(self.initial_learning_rate)
        dtype = ops.dtype(initial)
        first_decay_steps = _cast(self.first_decay_steps, dtype)
        alpha = _cast(self.alpha, dtype)
        t_mul = _cast(self._t_mul, dtype)
        m_mul = _cast(self._m_mul, dtype)
        completed = ops.divide(_cast(_step_tensor(step), dtype), first_decay_steps)
        if float(self._t_mul) == 1.0:
            i_restart = ops.floor(completed)
            completed = ops.subtract(completed, i_restart)
        else:
            one_minus_t = ops.subtract(1.0, t_mul)
            i_restart = ops.floor(ops.divide(
                ops.log(ops.subtract(1.0, ops.multiply(completed, one_minus_t))),
                ops.log(t_mul)))
            sum_r = ops.divide(ops.subtract(1.0, ops.power(t_mul, i_restart)), one_minus_t)
            completed = ops.divide(ops.subtract(completed, sum_r),
                                   ops.power(t_mul, i_restart))
        m_fac = ops.power(m_mul, i_restart)
        pi = get_ops().convert_to_tensor(math.pi, dtype)
        cosine = ops.multiply(ops.multiply(m_fac, 0.5),
                              ops.add(ops.cos(ops.multiply(pi, completed)), 1.0))
        decayed = ops.add(ops.multiply(ops.subtract(1.0, alpha), cosine), alpha)
        return ops.multiply(initial, decayed)

    def get_config(self):
        return {"initial_learning_rate": self.initial_learning_rate,
                "first_decay_steps": self.first_decay_steps, "t_mul": self._t_mul,
                "m_mul": self._m_mul, "alpha": self.alpha, "name": self.name}


_ALL = [ExponentialDecay, PiecewiseConstantDecay, PolynomialDecay, InverseTimeDecay,
        CosineDecay, CosineDecayRestarts]

get, _serialize, deserialize = make_getter("learning_rate_schedule", LearningRateSchedule,
                                           _ALL)


def serialize(learning_rate_schedule):
    """The schedule's config in Keras's format ("module":
    "keras.optimizers.schedules")."""
    out = _serialize(learning_rate_schedule)
    if isinstance(out, dict):
        out["module"] = "keras.optimizers.schedules"
    return out
