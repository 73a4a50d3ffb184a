"""kerasx.optimizers.OptimizerMap and MultiOptimizer against Keras 3's: the
exact-then-regex lookup and its errors, the same weights and state after
several `apply` steps, compiled and eager `fit`, the config round trip and
the state through `.keras` files in both directions."""
import numpy as np
import pytest

import kerasx
import kerasx.backend as kb
from kerasx import optimizers
from kerasx.variables import Variable
from tests.optimizers import optimizer_parity as parity


def make(module):
    """Adam for the biases, SGD with momentum for the rest."""
    return module.MultiOptimizer(module.OptimizerMap(
        module.SGD(learning_rate=0.1, momentum=0.5),
        {".*bias": module.Adam(learning_rate=0.01)}))


def _state(optimizer):
    return [np.array(v.numpy()) for v in optimizer.variables]


def test_optimizer_map_lookup_and_errors():
    adam, sgd, rms = optimizers.Adam(), optimizers.SGD(), optimizers.RMSprop()
    mapping = optimizers.OptimizerMap(default_optimizer=rms)
    mapping["encoder/layer_0/dense"] = adam
    mapping["encoder/.*"] = sgd
    mapping["decoder"] = adam
    assert mapping["decoder"] is adam
    assert mapping["encoder/layer_0/dense"] is adam  # exact beats the pattern
    assert mapping["encoder/layer_0/attention/query"] is sgd
    assert mapping["decoder/layer_0/dense"] is rms  # fullmatch only
    assert len(mapping) == 3 and list(mapping) == ["encoder/layer_0/dense", "encoder/.*",
                                                   "decoder"]
    mapping["enc.*"] = optimizers.Adam()
    with pytest.raises(ValueError, match="Multiple optimizers"):
        mapping["encoder/x"]
    del mapping["enc.*"]
    assert mapping["encoder/x"] is sgd
    with pytest.raises(ValueError, match="already exists"):
        mapping["decoder"] = sgd
    with pytest.raises(ValueError, match="key must be a string"):
        mapping[3] = sgd
    with pytest.raises(ValueError, match="Optimizer instance"):
        mapping["x"] = "sgd"
    with pytest.raises(ValueError, match="optimizer cannot be LossScaleOptimizer."):
        mapping["x"] = optimizers.LossScaleOptimizer(optimizers.SGD())
    with pytest.raises(ValueError, match="optimizer cannot be MultiOptimizer."):
        mapping["x"] = optimizers.MultiOptimizer(optimizers.OptimizerMap(optimizers.SGD()))
    with pytest.raises(TypeError, match="default_optimizer"):
        optimizers.OptimizerMap("sgd")
    with pytest.raises(TypeError, match="optimizer_map must be a dictionary"):
        optimizers.OptimizerMap(sgd, [adam])


def test_keras_lookup_agrees():
    import keras

    keys = ["a/b", "a/.*", "c", ".*/d"]
    queries = ["a/b", "a/x", "c", "c/d", "e", "x/y/d", "a/d"]

    def answers(module):
        opts = [module.optimizers.SGD(name=f"o{i}") for i in range(len(keys))]
        mapping = module.optimizers.OptimizerMap(module.optimizers.SGD(name="default"),
                                                 dict(zip(keys, opts)))
        out = []
        for query in queries:
            try:
                out.append(mapping[query].name)
            except ValueError:
                out.append("error")
        return out

    assert answers(kerasx) == answers(keras)
    assert answers(kerasx)[-1] == "error"


@pytest.mark.parametrize("dtype", ["float32", "float64"])
def test_apply_matches_keras(backend, dtype):
    expected = parity.keras_run(make, dtype)
    got = parity.kerasx_run(make, dtype)
    # Variable paths: the sub-optimizers' names come from each library's counter.
    for history in (expected, got):
        for step in history:
            step[:] = [(name.split("/")[-1], value) for name, value in step]
    parity.compare(expected, got, dtype)
    # iteration, learning_rate of the MultiOptimizer; Adam's 2 + 2 slots; SGD's 2 + 1.
    names = [name for name, _ in got[-1]][2:]
    assert names == ["iteration", "learning_rate", "iteration", "learning_rate",
                     "bias_momentum", "bias_velocity", "iteration", "learning_rate",
                     "kernel_momentum"]
    assert [int(v) for n, v in got[-1][2:] if n == "iteration"] == [4, 4, 4]


def test_properties_and_errors(backend):
    ops = kb.get_ops()
    adam, sgd = optimizers.Adam(0.01), optimizers.SGD(0.1)
    opt = optimizers.MultiOptimizer(optimizers.OptimizerMap(sgd, {"w": adam}),
                                    loss_scale_factor=4.0)
    assert opt.optimizers == [adam, sgd]
    assert adam.loss_scale_factor == 4.0 and sgd.loss_scale_factor == 4.0
    with pytest.raises(AttributeError, match="sub-optimizers"):
        opt.learning_rate
    with pytest.raises(AttributeError, match="sub-optimizers"):
        opt.learning_rate = 0.5
    w = Variable(np.array([1.0, 2.0], "float32"), name="w")
    v = Variable(np.array([3.0], "float32"), name="v")
    # The loss is scaled once; each sub-optimizer unscales its gradients.
    assert float(ops.to_numpy(opt.scale_loss(ops.convert_to_tensor(np.float32(2.0))))) == 8.0
    opt.apply([ops.convert_to_tensor(np.array([4.0, 8.0], "float32")),
               ops.convert_to_tensor(np.array([4.0], "float32"))], [w, v])
    np.testing.assert_allclose(v.numpy(), [2.9], rtol=1e-6)  # SGD: 3 - 0.1 * 1
    np.testing.assert_allclose(w.numpy(), [0.99, 1.99], rtol=1e-6)  # Adam's first step
    assert int(opt.iterations.numpy()) == 1
    with pytest.raises(ValueError, match="one-to-one"):
        opt.apply([ops.convert_to_tensor(np.array([1.0], "float32"))])
    with pytest.raises(ValueError, match="not yet been built"):
        optimizers.MultiOptimizer(optimizers.OptimizerMap(optimizers.SGD())).set_weights([])
    opt.set_weights([np.asarray(x) * 0 for x in _state(opt)])
    assert all(float(np.sum(x)) == 0.0 for x in _state(opt))
    # A callable returning a wrapper is refused at build.
    bad = optimizers.MultiOptimizer(lambda var: optimizers.LossScaleOptimizer(
        optimizers.SGD()))
    with pytest.raises(ValueError, match="LossScaleOptimizer cannot be used inside an "
                                         "MultiOptimizer"):
        bad.build([w])
    with pytest.raises(ValueError, match="not an Optimizer"):
        optimizers.MultiOptimizer(lambda var: "sgd").build([w])


def test_callable_selector(backend):
    ops = kb.get_ops()
    fast, slow = optimizers.SGD(1.0), optimizers.SGD(0.1)
    opt = optimizers.MultiOptimizer(lambda var: fast if var.name == "a" else slow)
    a = Variable(np.array([1.0], "float32"), name="a")
    b = Variable(np.array([1.0], "float32"), name="b")
    opt.apply([ops.convert_to_tensor(np.array([1.0], "float32"))] * 2, [a, b])
    assert opt.optimizers == [fast, slow]
    np.testing.assert_allclose([a.numpy()[0], b.numpy()[0]], [0.0, 0.9], rtol=1e-6)


@pytest.mark.parametrize("jit_compile", [False, "auto"])
def test_fit_matches_keras(backend, jit_compile):
    import keras

    x, y = parity.data()
    models = [parity.dense_model(lib, make) for lib in (keras, kerasx)]
    models[1].compile(optimizer=make(optimizers), loss="mse", jit_compile=jit_compile)
    hists = [m.fit(x, y, batch_size=4, epochs=2, shuffle=False, verbose=0) for m in models]
    np.testing.assert_allclose(hists[1].history["loss"], hists[0].history["loss"],
                               rtol=1e-5)
    for want, have in zip(models[0].get_weights(), models[1].get_weights()):
        np.testing.assert_allclose(have, want, rtol=1e-5, atol=1e-6)
    k_state, x_state = _state(models[0].optimizer), _state(models[1].optimizer)
    assert len(x_state) == len(k_state) == 2 + 6 + 2 + 2
    for want, have in zip(k_state, x_state):
        assert want.dtype == have.dtype
        np.testing.assert_allclose(have, want, rtol=1e-5, atol=1e-6)
    assert int(models[1].optimizer.iterations.numpy()) == 8


def test_saved_state_matches_keras(backend, tmp_path):
    parity.fit_and_save(make, tmp_path)


def test_keras_file_loads_with_its_state(backend, tmp_path):
    import keras

    x, y = parity.data()
    model = parity.dense_model(keras, make)
    model.fit(x, y, batch_size=8, epochs=1, shuffle=False, verbose=0)
    path = str(tmp_path / "keras_multi.keras")
    model.save(path)
    loaded = kerasx.saving.load_model(path)
    assert type(loaded.optimizer) is optimizers.MultiOptimizer
    assert [type(o).__name__ for o in loaded.optimizer.optimizers] == ["Adam", "SGD"]
    want, have = _state(model.optimizer), _state(loaded.optimizer)
    assert len(have) == len(want) == 12
    for w, h in zip(want, have):
        np.testing.assert_array_equal(h, w)
    # Training continues as in Keras.
    k_hist = model.fit(x, y, batch_size=8, epochs=1, shuffle=False, verbose=0)
    x_hist = loaded.fit(x, y, batch_size=8, epochs=1, shuffle=False, verbose=0)
    np.testing.assert_allclose(x_hist.history["loss"], k_hist.history["loss"], rtol=1e-5)


def test_config_round_trip():
    import keras

    x_opt, k_opt = make(optimizers), make(keras.optimizers)
    x_config, k_config = x_opt.get_config(), k_opt.get_config()
    assert set(x_config) == set(k_config) == {"optimizer_map", "loss_scale_factor", "name"}
    x_map, k_map = x_config["optimizer_map"], k_config["optimizer_map"]
    assert x_map["class_name"] == k_map["class_name"] == "OptimizerMap"
    assert x_map["module"] == k_map["module"] == "keras.optimizers"
    assert list(x_map["config"]["optimizer_map"]) == [".*bias"]
    # Keras's config builds the kerasx optimizer, and the reverse.
    from_keras = optimizers.deserialize(keras.optimizers.serialize(k_opt))
    assert type(from_keras) is optimizers.MultiOptimizer
    assert [type(o).__name__ for o in from_keras.optimizers] == ["Adam", "SGD"]
    assert from_keras.optimizers[1].momentum == 0.5
    back = keras.optimizers.deserialize(optimizers.serialize(x_opt))
    assert type(back).__name__ == "MultiOptimizer"
    assert [type(o).__name__ for o in back.optimizers] == ["Adam", "SGD"]
    again = optimizers.MultiOptimizer.from_config(x_config)
    assert again.get_config() == x_config
    mapping = optimizers.OptimizerMap.from_config(x_map["config"])
    assert isinstance(mapping[".*bias"], optimizers.Adam)


def test_wrapped_in_loss_scale_optimizer_matches_keras(backend):
    """LossScaleOptimizer(MultiOptimizer(...)): the wrapper's dynamic scale
    replaces the loss_scale_factor (set to None on every sub-optimizer) and
    the weights, states and scale follow Keras's, an inf step included."""
    def make_lso(module):
        multi = module.MultiOptimizer(module.OptimizerMap(
            module.SGD(learning_rate=0.1), {".*bias": module.Adam(learning_rate=0.01)}),
            loss_scale_factor=5.0)
        return module.LossScaleOptimizer(multi, initial_scale=8.0, dynamic_growth_steps=2)

    grads = parity.gradients("float32", steps=5)
    grads[2][0][0, 1] = np.inf
    expected = parity.keras_run(make_lso, "float32", grads)
    got = parity.kerasx_run(make_lso, "float32", grads)
    for history in (expected, got):
        for step in history:
            step[:] = [(name.split("/")[-1], value) for name, value in step]
    parity.compare(expected, got, "float32")
    opt = make_lso(optimizers)
    assert opt.inner_optimizer.loss_scale_factor is None
    assert all(o.loss_scale_factor is None for o in opt.inner_optimizer.optimizers)
    scale = dict(got[-1])["dynamic_scale"]
    assert float(scale) == float(dict(expected[-1])["dynamic_scale"])


def _two_sgd(module, ema=False):
    """SGD(0.1) for the biases, SGD(0.01) (optionally with EMA) for the rest."""
    return module.MultiOptimizer(module.OptimizerMap(
        module.SGD(learning_rate=0.01, name="slow", use_ema=ema, ema_momentum=0.5),
        {".*bias": module.SGD(learning_rate=0.1, name="fast")}))


def _fit_with(lib, callback, ema=False, epochs=3):
    x, y = parity.data()
    model = parity.dense_model(lib, lambda m: _two_sgd(m, ema))
    history = model.fit(x, y, batch_size=8, epochs=epochs, shuffle=False, verbose=0,
                        validation_data=(x[:8], y[:8]), callbacks=[callback(lib)])
    return model, history.history


def test_learning_rate_callbacks_match_keras(backend):
    """LearningRateScheduler and ReduceLROnPlateau set and log each
    sub-optimizer's rate ("learning_rate_<name>"), as Keras."""
    import keras

    def scheduler(lib):
        return lib.callbacks.LearningRateScheduler(lambda epoch, lr: lr * 0.5)

    def plateau(lib):
        return lib.callbacks.ReduceLROnPlateau(monitor="loss", mode="max", factor=0.5,
                                               patience=1, min_lr=0.001)

    for callback in (scheduler, plateau):
        k_model, k_hist = _fit_with(keras, callback)
        x_model, x_hist = _fit_with(kerasx, callback)
        assert sorted(x_hist) == sorted(k_hist)
        assert "learning_rate_fast" in x_hist and "learning_rate_slow" in x_hist
        for key in k_hist:
            np.testing.assert_allclose(x_hist[key], k_hist[key], rtol=1e-5, err_msg=key)
        for want, have in zip(k_model.get_weights(), x_model.get_weights()):
            np.testing.assert_allclose(have, want, rtol=1e-5, atol=1e-6)


def test_swap_ema_weights_matches_keras(backend):
    """SwapEMAWeights swaps the averages of the sub-optimizers that keep
    them: validation runs on them, fit ends with them, as in Keras."""
    import keras

    def swap(lib):
        return lib.callbacks.SwapEMAWeights()

    k_model, k_hist = _fit_with(keras, swap, ema=True, epochs=2)
    x_model, x_hist = _fit_with(kerasx, swap, ema=True, epochs=2)
    for key in ("loss", "val_loss"):
        np.testing.assert_allclose(x_hist[key], k_hist[key], rtol=1e-5, err_msg=key)
    for want, have in zip(k_model.get_weights(), x_model.get_weights()):
        np.testing.assert_allclose(have, want, rtol=1e-5, atol=1e-6)
    with pytest.raises(ValueError, match="at least one inner optimizer"):
        _fit_with(kerasx, swap, ema=False, epochs=1)


def test_tensorboard_logs_each_learning_rate(backend, tmp_path):
    pytest.importorskip("tensorboard")
    from tests.callbacks.test_tensorboard import _read

    _fit_with(kerasx, lambda lib: lib.callbacks.TensorBoard(log_dir=str(tmp_path),
                                                            write_graph=False), epochs=2)
    train = _read(tmp_path / "train")
    assert [float(v) for _, v in train["epoch_learning_rate_fast"]] == \
        pytest.approx([0.1, 0.1])
    assert [float(v) for _, v in train["epoch_learning_rate_slow"]] == \
        pytest.approx([0.01, 0.01])
    assert "epoch_learning_rate" not in train
