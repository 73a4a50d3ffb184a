"""kerasx.optimizers against Keras 3 (TensorFlow backend): the same variables
and the same gradients must give the same variables and the same slot
variables after every step, on every kerasx backend, in float32 and float64.

Keras 3 keeps float64 end to end for float64 variables (its slots take the
variable's dtype; only the learning rate is a float32 variable, cast to
float64, which kerasx does too), so float64 is compared at 1e-12.
"""
import functools
import re
import warnings

import numpy as np
import pytest

import kerasx.backend as kb
from kerasx import optimizers
from kerasx.optimizers import schedules
from kerasx.variables import Variable

STEPS = 4
SHAPES = {"kernel": (3, 4), "bias": (4,)}
# Largest elementwise deviation seen, normalised by the array's scale.
RTOL = {"float32": 1e-6, "float64": 1e-12}
DEVIATIONS = {}


def _schedule(module, name):
    """The same schedule built from Keras's or kerasx's schedules module."""
    if name == "exponential":
        return module.ExponentialDecay(0.05, decay_steps=2, decay_rate=0.5)
    if name == "cosine_warmup":
        return module.CosineDecay(0.01, decay_steps=5, alpha=0.1, warmup_target=0.1,
                                  warmup_steps=2)
    if name == "piecewise":
        return module.PiecewiseConstantDecay([1, 2], [0.1, 0.05, 0.01])
    if name == "polynomial":
        return module.PolynomialDecay(0.1, decay_steps=3, end_learning_rate=0.01,
                                      power=2.0)
    raise ValueError(name)


# (id, class name, kwargs); a "schedule" kwarg names a schedule above.
CASES = [
    ("sgd", "SGD", {}),
    ("sgd_momentum", "SGD", {"momentum": 0.9}),
    ("sgd_nesterov", "SGD", {"momentum": 0.9, "nesterov": True, "learning_rate": 0.1}),
    ("sgd_clipnorm", "SGD", {"learning_rate": 0.1, "clipnorm": 0.5}),
    ("sgd_momentum_weight_decay", "SGD", {"momentum": 0.5, "weight_decay": 0.1}),
    ("sgd_polynomial", "SGD", {"learning_rate": "polynomial"}),
    ("adam", "Adam", {}),
    ("adam_amsgrad", "Adam", {"amsgrad": True, "learning_rate": 0.01}),
    ("adam_global_clipnorm", "Adam", {"global_clipnorm": 1.0}),
    ("adam_clipvalue", "Adam", {"clipvalue": 0.3}),
    ("adam_exponential", "Adam", {"learning_rate": "exponential"}),
    ("adam_loss_scale", "Adam", {"loss_scale_factor": 4.0}),
    ("adamw", "AdamW", {}),
    ("adamw_amsgrad", "AdamW", {"weight_decay": 0.1, "amsgrad": True,
                                "learning_rate": 0.01}),
    ("rmsprop", "RMSprop", {}),
    ("rmsprop_momentum_centered", "RMSprop", {"momentum": 0.9, "centered": True}),
    ("rmsprop_centered_clipnorm", "RMSprop", {"centered": True, "clipnorm": 1.0,
                                              "rho": 0.8}),
    ("adagrad", "Adagrad", {}),
    ("adagrad_cosine_warmup", "Adagrad", {"learning_rate": "cosine_warmup",
                                          "initial_accumulator_value": 0.5}),
    ("adadelta", "Adadelta", {"learning_rate": 1.0}),
    ("adadelta_clipvalue", "Adadelta", {"rho": 0.9, "clipvalue": 0.1}),
    ("adamax", "Adamax", {}),
    ("adamax_weight_decay", "Adamax", {"weight_decay": 0.01, "learning_rate": 0.01}),
    ("nadam", "Nadam", {}),
    ("nadam_piecewise", "Nadam", {"learning_rate": "piecewise"}),
]
CASE_IDS = [c[0] for c in CASES]


def _build(module, class_name, kwargs):
    kwargs = dict(kwargs)
    if isinstance(kwargs.get("learning_rate"), str):
        kwargs["learning_rate"] = _schedule(module.schedules, kwargs["learning_rate"])
    return getattr(module, class_name)(**kwargs)


def _initial_values(dtype):
    rng = np.random.default_rng(0)
    return {name: rng.normal(size=shape).astype(dtype) for name, shape in SHAPES.items()}


def _gradients(dtype):
    rng = np.random.default_rng(1)
    return [[rng.normal(scale=2.0, size=shape).astype(dtype) for shape in SHAPES.values()]
            for _ in range(STEPS)]


def _snapshot(variables, optimizer):
    """Model variables, then optimizer variables by their name without the
    optimizer's prefix."""
    out = [("model/" + v.name, np.array(v.numpy())) for v in variables]
    # Keras names Nadam's unnamed u_product "variable_<n>" with a process-wide
    # counter; kerasx names it "variable".
    out += [(re.sub(r"^variable_\d+$", "variable", v.path.split("/", 1)[1]),
             np.array(v.numpy())) for v in optimizer.variables]
    return out


@functools.lru_cache(maxsize=None)
def _keras_run(case_id, dtype, exclude_bias=False):
    import keras

    _, class_name, kwargs = CASES[CASE_IDS.index(case_id)]
    optimizer = _build(keras.optimizers, class_name, kwargs)
    if exclude_bias:
        optimizer.exclude_from_weight_decay(var_names=["bias"])
    variables = [keras.Variable(value, dtype=dtype, name=name)
                 for name, value in _initial_values(dtype).items()]
    history = []
    for grads in _gradients(dtype):
        optimizer.apply(grads, variables)
        history.append(_snapshot(variables, optimizer))
    return history


def _kerasx_run(case_id, dtype, exclude_bias=False):
    ops = kb.get_ops()
    _, class_name, kwargs = CASES[CASE_IDS.index(case_id)]
    optimizer = _build(optimizers, class_name, kwargs)
    if exclude_bias:
        optimizer.exclude_from_weight_decay(var_names=["bias"])
    variables = [Variable(value, dtype=dtype, name=name)
                 for name, value in _initial_values(dtype).items()]
    history = []
    for grads in _gradients(dtype):
        optimizer.apply([ops.convert_to_tensor(g) for g in grads], variables)
        history.append(_snapshot(variables, optimizer))
    return history


def _compare(expected_history, got_history, dtype, key):
    rtol = RTOL[dtype]
    worst = 0.0
    for step, (expected, got) in enumerate(zip(expected_history, got_history)):
        assert [n for n, _ in got] == [n for n, _ in expected], f"step {step}"
        for (name, want), (_, have) in zip(expected, got):
            assert have.dtype == want.dtype, f"{name}: {have.dtype} != {want.dtype}"
            assert have.shape == want.shape, name
            if want.dtype.kind != "f":
                np.testing.assert_array_equal(have, want, err_msg=name)
                continue
            scale = max(float(np.max(np.abs(want))), 1e-30)
            deviation = float(np.max(np.abs(have.astype("float64") - want)) / scale)
            worst = max(worst, deviation)
            np.testing.assert_allclose(have, want, rtol=rtol, atol=rtol * scale,
                                       err_msg=f"{name} after step {step + 1}")
    DEVIATIONS[key] = max(DEVIATIONS.get(key, 0.0), worst)


@pytest.fixture(scope="module", autouse=True)
def _report_deviations():
    yield
    if DEVIATIONS:
        print("\nLargest deviation from Keras 3 (relative to each array's scale):")
        for (backend, dtype), value in sorted(DEVIATIONS.items()):
            print(f"  {backend:10s} {dtype}: {value:.3g}")


@pytest.mark.parametrize("dtype", ["float32", "float64"])
@pytest.mark.parametrize("case_id", CASE_IDS)
def test_matches_keras(backend, case_id, dtype):
    _compare(_keras_run(case_id, dtype), _kerasx_run(case_id, dtype), dtype,
             (backend, dtype))


@pytest.mark.parametrize("dtype", ["float32", "float64"])
def test_exclude_from_weight_decay_matches_keras(backend, dtype):
    _compare(_keras_run("adamw", dtype, True), _kerasx_run("adamw", dtype, True), dtype,
             (backend, dtype))
    # The bias really was excluded: it differs from the run with decay.
    with_decay = dict(_keras_run("adamw", dtype)[-1])
    without = dict(_keras_run("adamw", dtype, True)[-1])
    assert not np.array_equal(with_decay["model/bias"], without["model/bias"])
    np.testing.assert_array_equal(with_decay["model/kernel"], without["model/kernel"])


def test_state_exchanged_with_keras(backend):
    """Keras's optimizer.variables, loaded into a kerasx optimizer by
    set_weights, continue training exactly as Keras continues."""
    import keras

    dtype = "float64"
    grads = _gradients(dtype)
    k_opt = keras.optimizers.Adam(learning_rate=0.01)
    k_vars = [keras.Variable(v, dtype=dtype, name=n)
              for n, v in _initial_values(dtype).items()]
    for g in grads[:2]:
        k_opt.apply(g, k_vars)
    x_opt = optimizers.Adam(learning_rate=0.01)
    x_vars = [Variable(np.array(v.numpy()), dtype=dtype, name=v.name) for v in k_vars]
    x_opt.build(x_vars)
    x_opt.set_weights([np.array(v.numpy()) for v in k_opt.variables])
    ops = kb.get_ops()
    for g in grads[2:]:
        k_opt.apply(g, k_vars)
        x_opt.apply([ops.convert_to_tensor(a) for a in g], x_vars)
    _compare([_snapshot(k_vars, k_opt)], [_snapshot(x_vars, x_opt)], dtype,
             (backend, dtype))
    assert int(x_opt.iterations.numpy()) == 4


def test_iterations_learning_rate_and_variables(backend):
    opt = optimizers.SGD(learning_rate=0.1, momentum=0.9)
    assert opt.iterations.dtype == "int64" and not opt.iterations.trainable
    assert float(opt.learning_rate.numpy()) == pytest.approx(0.1)
    w = Variable(np.ones((2,), "float32"), name="w")
    opt.apply([kb.get_ops().ones((2,), "float32")], [w])
    assert int(opt.iterations.numpy()) == 1
    assert [v.path for v in opt.variables] == [
        f"{opt.name}/iteration", f"{opt.name}/learning_rate", f"{opt.name}/w_momentum"]
    np.testing.assert_allclose(w.numpy(), [0.9, 0.9], rtol=1e-6)
    opt.learning_rate = 0.5
    assert float(opt.learning_rate.numpy()) == 0.5
    # apply_gradients with pairs, and apply without variables once built.
    opt.apply_gradients([(kb.get_ops().ones((2,), "float32"), w)])
    opt.apply([kb.get_ops().ones((2,), "float32")])
    assert int(opt.iterations.numpy()) == 3


def test_schedule_learning_rate_is_evaluated_at_iterations(backend):
    schedule = schedules.ExponentialDecay(1.0, decay_steps=1, decay_rate=0.5)
    opt = optimizers.SGD(learning_rate=schedule)
    w = Variable(np.zeros((1,), "float32"), name="w")
    for expected in (1.0, 0.5, 0.25):
        assert float(kb.get_ops().to_numpy(opt.learning_rate)) == pytest.approx(expected)
        opt.apply([kb.get_ops().ones((1,), "float32")], [w])
    np.testing.assert_allclose(w.numpy(), [-1.75], rtol=1e-6)
    assert [v.path for v in opt.variables] == [f"{opt.name}/iteration"]
    with pytest.raises(TypeError, match="not settable"):
        opt.learning_rate = 0.1


def test_constraint_applied_after_update(backend):
    from kerasx import constraints

    w = Variable(np.array([0.5, -0.5, 2.0], "float32"), name="w",
                 constraint=constraints.NonNeg())
    opt = optimizers.SGD(learning_rate=1.0)
    opt.apply([kb.get_ops().convert_to_tensor(np.array([1.0, 0.0, 1.0], "float32"))], [w])
    np.testing.assert_allclose(w.numpy(), [0.0, 0.0, 1.0])


def test_missing_gradient_is_skipped_with_a_warning(backend):
    a = Variable(np.ones((2,), "float32"), name="a")
    b = Variable(np.ones((2,), "float32"), name="b")
    opt = optimizers.SGD(learning_rate=1.0)
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        opt.apply([kb.get_ops().ones((2,), "float32"), None], [a, b])
    assert any("Gradients do not exist" in str(w.message) for w in caught)
    np.testing.assert_array_equal(a.numpy(), [0.0, 0.0])
    np.testing.assert_array_equal(b.numpy(), [1.0, 1.0])


@pytest.mark.parametrize("case_id", ["sgd_nesterov", "adam_amsgrad", "adamw",
                                     "rmsprop_momentum_centered", "adagrad", "adadelta",
                                     "adamax", "nadam_piecewise"])
def test_config_matches_keras_and_round_trips(case_id):
    import keras

    _, class_name, kwargs = CASES[CASE_IDS.index(case_id)]
    k_config = _build(keras.optimizers, class_name, kwargs).get_config()
    x_opt = _build(optimizers, class_name, kwargs)
    x_config = x_opt.get_config()
    assert set(x_config) == set(k_config)
    for key in k_config:
        if key in ("name",):
            continue
        if isinstance(k_config[key], dict):   # a schedule
            assert x_config[key]["class_name"] == k_config[key]["class_name"]
            assert x_config[key]["config"] == k_config[key]["config"]
            assert x_config[key]["module"] == k_config[key]["module"]
        else:
            assert x_config[key] == k_config[key], key
    # Keras's config builds the kerasx optimizer, and kerasx's round-trips.
    clone = getattr(optimizers, class_name).from_config(dict(k_config, name="from_keras"))
    assert clone.get_config() == dict(x_config, name="from_keras")
    again = optimizers.deserialize(optimizers.serialize(x_opt))
    assert type(again) is type(x_opt) and again.get_config() == x_config


@pytest.mark.parametrize("identifier,cls", [
    ("sgd", "SGD"), ("adam", "Adam"), ("adamw", "AdamW"), ("rmsprop", "RMSprop"),
    ("adagrad", "Adagrad"), ("adadelta", "Adadelta"), ("adamax", "Adamax"),
    ("nadam", "Nadam"), ("Adam", "Adam"), ("RMSprop", "RMSprop")])
def test_get_by_name(identifier, cls):
    opt = optimizers.get(identifier)
    assert type(opt).__name__ == cls
    assert optimizers.get(opt) is opt


def test_defaults_match_keras():
    import inspect

    import keras

    for name in ["SGD", "Adam", "AdamW", "RMSprop", "Adagrad", "Adadelta", "Adamax",
                 "Nadam"]:
        k = inspect.signature(getattr(keras.optimizers, name)).parameters
        x = inspect.signature(getattr(optimizers, name)).parameters
        assert list(k) == list(x), name
        for param in k:
            assert k[param].default == x[param].default, (name, param)


def test_invalid_arguments():
    with pytest.raises(ValueError, match="ema_momentum"):
        optimizers.Adam(use_ema=True, ema_momentum=1.5)
    with pytest.raises(ValueError, match="ema_overwrite_frequency"):
        optimizers.Adam(use_ema=True, ema_overwrite_frequency=0.5)
    with pytest.raises(ValueError, match="gradient_accumulation_steps"):
        optimizers.Adam(gradient_accumulation_steps=2)
    with pytest.raises(ValueError, match="Only one of"):
        optimizers.SGD(clipnorm=1.0, clipvalue=1.0)
    with pytest.raises(ValueError, match="weight_decay"):
        optimizers.AdamW(weight_decay=None)
    with pytest.raises(ValueError, match="momentum"):
        optimizers.SGD(momentum=2.0)
    with pytest.raises(ValueError, match="not recognized"):
        optimizers.Adam(bogus=1)
    with pytest.raises(ValueError, match="learning_rate"):
        optimizers.Adam(learning_rate="fast")
    with pytest.raises(ValueError, match="Unknown optimizer"):
        optimizers.get("adamq")
