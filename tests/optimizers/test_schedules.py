"""kerasx.optimizers.schedules against keras.optimizers.schedules: the same
values at several steps on every backend, the same configs."""
import numpy as np
import pytest

import kerasx.backend as kb
from kerasx.optimizers import schedules
from kerasx.variables import Variable

STEPS = [0, 1, 2, 5, 9, 10, 11, 37, 100, 101, 250, 1000]

# (class name, kwargs)
SCHEDULES = [
    ("ExponentialDecay", dict(initial_learning_rate=0.1, decay_steps=10, decay_rate=0.9)),
    ("ExponentialDecay", dict(initial_learning_rate=0.1, decay_steps=10, decay_rate=0.5,
                              staircase=True)),
    ("PiecewiseConstantDecay", dict(boundaries=[10, 100], values=[1.0, 0.5, 0.1])),
    ("PiecewiseConstantDecay", dict(boundaries=[5], values=[0.3, 0.03])),
    ("PolynomialDecay", dict(initial_learning_rate=0.1, decay_steps=100)),
    ("PolynomialDecay", dict(initial_learning_rate=0.1, decay_steps=30,
                             end_learning_rate=0.01, power=0.5, cycle=True)),
    ("InverseTimeDecay", dict(initial_learning_rate=0.1, decay_steps=10, decay_rate=0.5)),
    ("InverseTimeDecay", dict(initial_learning_rate=0.1, decay_steps=10, decay_rate=0.5,
                              staircase=True)),
    ("CosineDecay", dict(initial_learning_rate=0.1, decay_steps=100)),
    ("CosineDecay", dict(initial_learning_rate=0.1, decay_steps=100, alpha=0.2)),
    ("CosineDecay", dict(initial_learning_rate=0.0, decay_steps=100, alpha=0.1,
                         warmup_target=0.5, warmup_steps=10)),
    ("CosineDecayRestarts", dict(initial_learning_rate=0.1, first_decay_steps=10)),
    ("CosineDecayRestarts", dict(initial_learning_rate=0.1, first_decay_steps=10,
                                 t_mul=1.0, m_mul=0.5, alpha=0.1)),
]
IDS = [f"{name}-{i}" for i, (name, _) in enumerate(SCHEDULES)]
_KERAS_VALUES = {}


def _keras_values(index):
    if index not in _KERAS_VALUES:
        import keras

        name, kwargs = SCHEDULES[index]
        schedule = getattr(keras.optimizers.schedules, name)(**kwargs)
        _KERAS_VALUES[index] = [np.asarray(schedule(step)) for step in STEPS]
    return _KERAS_VALUES[index]


@pytest.mark.parametrize("index", range(len(SCHEDULES)), ids=IDS)
def test_values_match_keras(backend, index):
    ops = kb.get_ops()
    name, kwargs = SCHEDULES[index]
    schedule = getattr(schedules, name)(**kwargs)
    for step, want in zip(STEPS, _keras_values(index)):
        # As the optimizer passes it: its int64 iterations Variable.
        iterations = Variable(np.asarray(step, "int64"), name="iteration", trainable=False)
        got = ops.to_numpy(schedule(iterations))
        assert got.dtype == want.dtype == np.float32, (got.dtype, want.dtype)
        np.testing.assert_allclose(got, want, rtol=1e-6, atol=1e-9, err_msg=f"step {step}")
        # A Python int and a native tensor give the same value.
        np.testing.assert_allclose(ops.to_numpy(schedule(step)), got, rtol=1e-6, atol=1e-9)
        np.testing.assert_allclose(
            ops.to_numpy(schedule(ops.convert_to_tensor(np.asarray(step, "int64")))), got,
            rtol=0, atol=0)


@pytest.mark.parametrize("index", range(len(SCHEDULES)), ids=IDS)
def test_config_matches_keras_and_round_trips(index):
    import keras

    name, kwargs = SCHEDULES[index]
    k_schedule = getattr(keras.optimizers.schedules, name)(**kwargs)
    x_schedule = getattr(schedules, name)(**kwargs)
    assert x_schedule.get_config() == k_schedule.get_config()
    k_serialized = keras.optimizers.schedules.serialize(k_schedule)
    x_serialized = schedules.serialize(x_schedule)
    for key in ("module", "class_name", "config"):
        assert x_serialized[key] == k_serialized[key]
    clone = schedules.deserialize(k_serialized)
    assert type(clone) is type(x_schedule)
    assert clone.get_config() == x_schedule.get_config()


def test_invalid_arguments():
    with pytest.raises(ValueError, match="decay_steps"):
        schedules.ExponentialDecay(0.1, decay_steps=0, decay_rate=0.5)
    with pytest.raises(ValueError, match="boundaries"):
        schedules.PiecewiseConstantDecay([1, 2], [0.1, 0.2])
    with pytest.raises(NotImplementedError):
        schedules.LearningRateSchedule()(1)


def test_custom_schedule_in_an_optimizer(backend):
    from kerasx import optimizers

    class Halving(schedules.LearningRateSchedule):
        def __call__(self, step):
            ops = kb.get_ops()
            return ops.divide(1.0, ops.power(2.0, ops.cast(step.value, "float32")))

        def get_config(self):
            return {}

    opt = optimizers.SGD(learning_rate=Halving())
    w = Variable(np.zeros((2,), "float32"), name="w")
    for _ in range(3):
        opt.apply([kb.get_ops().ones((2,), "float32")], [w])
    np.testing.assert_allclose(w.numpy(), [-1.75, -1.75], rtol=1e-7)
