"""kerasx.optimizers.LossScaleOptimizer against Keras 3's: the same
gradients (finite, then inf and NaN steps, with growth every two steps) give
the same weights, inner state, step counter and scale; a skipped step changes
nothing but the scale; compiled `fit` and `.keras` state match Keras."""
import numpy as np
import pytest

import kerasx
import kerasx.backend as kb
from kerasx import optimizers
from kerasx.variables import Variable
from tests.optimizers import optimizer_parity as parity


def make(module):
    return module.LossScaleOptimizer(module.Adam(learning_rate=0.01), initial_scale=8.0,
                                     dynamic_growth_steps=2)


def scaled_gradients(dtype):
    """Gradients as the scaled loss would give them (times the current
    scale), with an inf step and a NaN step in the middle."""
    grads = parity.gradients(dtype, steps=7)
    grads[2][0][1, 2] = np.inf
    grads[4][1][0] = np.nan
    return grads


@pytest.mark.parametrize("dtype", ["float32", "float64"])
def test_apply_matches_keras(backend, dtype):
    grads = scaled_gradients(dtype)
    expected = parity.keras_run(make, dtype, grads)
    got = parity.kerasx_run(make, dtype, grads)
    parity.compare(expected, got, dtype)
    # The scale went 8 -> 16 (growth) -> 8 (inf) -> ... as Keras's.
    scales = [dict(step)["opt/dynamic_scale"] for step in got]
    assert [float(s) for s in scales] == [8.0, 16.0, 8.0, 8.0, 4.0, 4.0, 8.0]
    iterations = [int(dict(step)["inner/iteration"]) for step in got]
    assert iterations == [1, 2, 2, 3, 3, 4, 5]


def test_skipped_step_leaves_weights_and_state(backend):
    ops = kb.get_ops()
    opt = optimizers.LossScaleOptimizer(optimizers.SGD(0.1, momentum=0.9))
    w = Variable(np.array([1.0, 2.0], "float32"), name="w")
    opt.apply([ops.convert_to_tensor(np.array([32768.0, 0.0], "float32"))], [w])
    np.testing.assert_allclose(w.numpy(), [0.9, 2.0], rtol=1e-6)
    before = [np.array(v.numpy()) for v in opt.inner_optimizer.variables]
    opt.apply([ops.convert_to_tensor(np.array([np.inf, 1.0], "float32"))], [w])
    np.testing.assert_allclose(w.numpy(), [0.9, 2.0], rtol=1e-6)
    for want, v in zip(before, opt.inner_optimizer.variables):
        np.testing.assert_array_equal(v.numpy(), want)
    assert float(opt.dynamic_scale.numpy()) == 2.0 ** 14
    assert int(opt.step_counter.numpy()) == 0
    assert int(opt.iterations.numpy()) == 1
    # scale_loss multiplies by the current scale; the learning rate is the inner one.
    loss = opt.scale_loss(ops.convert_to_tensor(np.float32(3.0)))
    assert float(ops.to_numpy(loss)) == 3.0 * 2.0 ** 14
    assert float(opt.learning_rate.numpy()) == pytest.approx(0.1)


def test_fit_and_saved_state_match_keras(backend, tmp_path):
    parity.fit_and_save(lambda m: m.LossScaleOptimizer(m.SGD(learning_rate=0.1,
                                                             momentum=0.5)), tmp_path)


def test_config_round_trip():
    import keras

    x_config, k_config = parity.config_round_trip(make)
    assert x_config["inner_optimizer"]["class_name"] == "Adam"
    assert x_config["inner_optimizer"]["config"]["learning_rate"] == \
        k_config["inner_optimizer"]["config"]["learning_rate"]
    # Keras's own config builds the kerasx optimizer (and the reverse).
    opt = optimizers.LossScaleOptimizer.from_config(
        keras.optimizers.LossScaleOptimizer(keras.optimizers.SGD()).get_config())
    assert type(opt.inner_optimizer) is optimizers.SGD
    back = keras.optimizers.LossScaleOptimizer.from_config(opt.get_config())
    assert type(back.inner_optimizer).__name__ == "SGD"
    assert back.initial_scale == 2.0 ** 15 and back.dynamic_growth_steps == 2000


def test_invalid_arguments():
    with pytest.raises(ValueError, match="dynamic=False"):
        optimizers.LossScaleOptimizer(optimizers.SGD(), dynamic=False)
    with pytest.raises(ValueError, match="clipnorm"):
        optimizers.LossScaleOptimizer(optimizers.SGD(), clipnorm=1.0)
    with pytest.raises(ValueError, match="Optimizer instance"):
        optimizers.LossScaleOptimizer("sgd")


def test_defaults_match_keras():
    parity.defaults_match("LossScaleOptimizer")


def test_keras_file_loads_with_its_state(backend, tmp_path):
    """A Keras 3 model compiled with LossScaleOptimizer(SGD), trained and
    saved, loads in kerasx with the same optimizer state."""
    import keras

    x, y = parity.data()
    model = parity.dense_model(keras, lambda m: m.LossScaleOptimizer(
        m.SGD(0.1, momentum=0.5), dynamic_growth_steps=1))
    model.fit(x, y, batch_size=8, epochs=1, shuffle=False, verbose=0)
    path = str(tmp_path / "keras_lso.keras")
    model.save(path)
    loaded = kerasx.saving.load_model(path)
    assert type(loaded.optimizer) is optimizers.LossScaleOptimizer
    want = [np.array(v.numpy()) for v in model.optimizer.variables]
    have = [np.array(v.numpy()) for v in loaded.optimizer.variables]
    assert len(have) == len(want)
    for w, h in zip(want, have):
        np.testing.assert_array_equal(h, w)
    assert float(loaded.optimizer.dynamic_scale.numpy()) == 2.0 ** 17  # grown twice
