"""Shared checks for one optimizer against Keras 3 (TensorFlow backend):
the same variables and gradients for several `apply` steps, a compiled `fit`
on a small Dense model from the same weights, the config round trip, and the
optimizer state through a `.keras` file (kerasx -> kerasx and -> Keras 3)."""
import numpy as np

import kerasx
import kerasx.backend as kb
from kerasx import optimizers
from kerasx.variables import Variable

STEPS = 4
SHAPES = {"kernel": (3, 4), "bias": (4,)}
RTOL = {"float32": 2e-6, "float64": 1e-12}


def initial_values(dtype):
    rng = np.random.default_rng(0)
    return {name: rng.normal(size=shape).astype(dtype) for name, shape in SHAPES.items()}


def gradients(dtype, steps=STEPS):
    rng = np.random.default_rng(1)
    return [[rng.normal(scale=2.0, size=shape).astype(dtype) for shape in SHAPES.values()]
            for _ in range(steps)]


def snapshot(variables, optimizer):
    """Model variables, then optimizer variables by path without the
    optimizer's own name (the instances have different auto names)."""
    out = [("model/" + v.name, np.array(v.numpy())) for v in variables]
    inner = getattr(getattr(optimizer, "inner_optimizer", None), "name", None)
    prefixes = [(f"{optimizer.name}/{inner}/", "opt/inner/"), (f"{inner}/", "inner/"),
                (f"{optimizer.name}/", "opt/")]
    for v in optimizer.variables:
        path = v.path
        for prefix, short in prefixes:
            if path.startswith(prefix):
                path = short + path[len(prefix):]
                break
        out.append((path, np.array(v.numpy())))
    return out


def keras_run(make, dtype, grads=None):
    """Keras 3's history of snapshots (make(module) builds the optimizer)."""
    import keras

    optimizer = make(keras.optimizers)
    variables = [keras.Variable(value, dtype=dtype, name=name)
                 for name, value in initial_values(dtype).items()]
    history = []
    for step_grads in grads or gradients(dtype):
        optimizer.apply(step_grads, variables)
        history.append(snapshot(variables, optimizer))
    return history


def kerasx_run(make, dtype, grads=None):
    ops = kb.get_ops()
    optimizer = make(optimizers)
    variables = [Variable(value, dtype=dtype, name=name)
                 for name, value in initial_values(dtype).items()]
    history = []
    for step_grads in grads or gradients(dtype):
        optimizer.apply([ops.convert_to_tensor(g) for g in step_grads], variables)
        history.append(snapshot(variables, optimizer))
    return history


def compare(expected_history, got_history, dtype):
    """Assert equal names, dtypes and values (relative to each array's
    scale); returns the largest relative deviation."""
    rtol = RTOL[dtype]
    worst = 0.0
    assert len(expected_history) == len(got_history)
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
    return worst


def data():
    rng = np.random.default_rng(2)
    return (rng.normal(size=(16, 5)).astype("float32"),
            rng.normal(size=(16, 3)).astype("float32"))


def dense_model(lib, make):
    model = lib.Sequential([lib.Input((5,)), lib.layers.Dense(4, activation="tanh"),
                            lib.layers.Dense(3)])
    rng = np.random.default_rng(3)
    model.set_weights([rng.normal(size=w.shape).astype("float32") * 0.5
                       for w in model.get_weights()])
    model.compile(optimizer=make(lib.optimizers), loss="mse")
    return model


def fit_and_save(make, directory, build_keras_first=False):
    """Two compiled fit steps in Keras 3 and kerasx from the same weights;
    compares weights, optimizer state and losses, saves the kerasx model to
    `.keras`, reloads it in kerasx and in Keras 3 and compares the state.
    `build_keras_first` builds Keras's optimizer eagerly before fit (for an
    optimizer whose build assigns a slot, which Keras's fit loses).
    Returns the largest relative deviation."""
    import keras

    x, y = data()
    k_model = dense_model(keras, make)
    x_model = dense_model(kerasx, make)
    if build_keras_first:
        k_model.optimizer.build(k_model.trainable_variables)
    k_hist = k_model.fit(x, y, batch_size=8, epochs=1, shuffle=False, verbose=0)
    x_hist = x_model.fit(x, y, batch_size=8, epochs=1, shuffle=False, verbose=0)
    np.testing.assert_allclose(x_hist.history["loss"], k_hist.history["loss"], rtol=1e-5)
    worst = 0.0
    for want, have in zip(k_model.get_weights(), x_model.get_weights()):
        np.testing.assert_allclose(have, want, rtol=1e-5, atol=1e-6)
        worst = max(worst, float(np.max(np.abs(have - want))))
    k_state = [np.array(v.numpy()) for v in k_model.optimizer.variables]
    x_state = [np.array(v.numpy()) for v in x_model.optimizer.variables]
    assert len(k_state) == len(x_state)
    for want, have in zip(k_state, x_state):
        assert want.shape == have.shape and want.dtype == have.dtype
        np.testing.assert_allclose(have, want, rtol=1e-5, atol=1e-6)

    path = str(directory / "model.keras")
    x_model.save(path)
    reloaded = kerasx.saving.load_model(path)
    assert type(reloaded.optimizer) is type(x_model.optimizer)
    assert reloaded.optimizer.get_config() == x_model.optimizer.get_config()
    for want, have in zip(x_state, [np.array(v.numpy())
                                    for v in reloaded.optimizer.variables]):
        np.testing.assert_array_equal(have, want)
    # Training resumes from the restored state exactly as the original.
    x_model.fit(x, y, batch_size=8, epochs=1, shuffle=False, verbose=0)
    reloaded.fit(x, y, batch_size=8, epochs=1, shuffle=False, verbose=0)
    for want, have in zip(x_model.get_weights(), reloaded.get_weights()):
        np.testing.assert_allclose(have, want, rtol=1e-6, atol=1e-7)
    # Keras 3 reads the same optimizer state from the kerasx file.
    k_loaded = keras.saving.load_model(path)
    assert type(k_loaded.optimizer).__name__ == type(x_model.optimizer).__name__
    k_loaded_state = [np.array(v.numpy()) for v in k_loaded.optimizer.variables]
    assert len(k_loaded_state) == len(x_state)
    for want, have in zip(x_state, k_loaded_state):
        np.testing.assert_array_equal(have, want)
    return worst


def config_round_trip(make):
    """kerasx's config equals Keras's (except the name) and round-trips."""
    import keras

    k_config = make(keras.optimizers).get_config()
    x_opt = make(optimizers)
    x_config = x_opt.get_config()
    assert set(x_config) == set(k_config)
    for key in k_config:
        if key not in ("name", "inner_optimizer"):
            assert x_config[key] == k_config[key], key
    clone = type(x_opt).from_config(dict(k_config, name="from_keras"))
    # (A wrapped optimizer's auto name comes from each library's counter.)
    assert _without_inner_names(clone.get_config()) == \
        _without_inner_names(dict(x_config, name="from_keras"))
    again = optimizers.deserialize(optimizers.serialize(x_opt))
    assert type(again) is type(x_opt) and again.get_config() == x_config
    return x_config, k_config


def _without_inner_names(config):
    config = dict(config)
    if isinstance(config.get("inner_optimizer"), dict):
        inner = dict(config["inner_optimizer"])
        inner["config"] = {k: v for k, v in inner["config"].items() if k != "name"}
        config["inner_optimizer"] = inner
    return config


def defaults_match(class_name):
    import inspect

    import keras

    k = inspect.signature(getattr(keras.optimizers, class_name)).parameters
    x = inspect.signature(getattr(optimizers, class_name)).parameters
    assert list(k) == list(x), class_name
    for param in k:
        assert k[param].default == x[param].default, (class_name, param)
