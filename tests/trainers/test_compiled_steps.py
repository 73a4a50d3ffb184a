"""Compiled execution: compile(run_eagerly=..., jit_compile=...) gives the
numbers of eager execution, random draws included, on every backend."""
import numpy as np
import pytest

import kerasx as keras
from kerasx.backend import get_ops
from kerasx.random import SeedGenerator, host_draws
from kerasx.random.seed_generator import states_restored
from kerasx.variables import Variable, writes_discarded


def _data():
    rng = np.random.default_rng(0)
    return rng.random((40, 8, 8, 1)).astype("float32"), rng.integers(0, 3, 40)


def _fit(run_eagerly, jit_compile, epochs=2):
    keras.utils.set_random_seed(5)
    model = keras.Sequential([
        keras.Input((8, 8, 1)), keras.layers.Conv2D(4, 3, activation="relu"),
        keras.layers.BatchNormalization(), keras.layers.MaxPooling2D(2),
        keras.layers.Flatten(), keras.layers.Dropout(0.5),
        keras.layers.GaussianNoise(0.1), keras.layers.Dense(3, activation="softmax")])
    model.compile(optimizer=keras.optimizers.Adam(1e-2),
                  loss="sparse_categorical_crossentropy", metrics=["accuracy"],
                  run_eagerly=run_eagerly, jit_compile=jit_compile)
    x, y = _data()
    # batch 16: two full batches and a last one of 8, so two signatures.
    history = model.fit(x, y, batch_size=16, epochs=epochs, verbose=0).history
    return model, history


# torch.compile is left to the conformance suites: it compiles for minutes here.
@pytest.mark.parametrize("jit_compile", [False, "auto", True])
def test_compiled_fit_matches_eager(backend, jit_compile):
    if backend == "torch" and jit_compile is True:
        pytest.skip("torch.compile: covered by conformance (op check, training suite)")
    eager, h_eager = _fit(True, False)
    compiled, h_compiled = _fit(False, jit_compile)
    for key in ("loss", "accuracy"):
        np.testing.assert_allclose(h_compiled[key], h_eager[key], rtol=2e-6, err_msg=key)
    for a, b in zip(compiled.get_weights(), eager.get_weights()):
        np.testing.assert_allclose(a, b, rtol=1e-5, atol=1e-5)
    x, y = _data()
    np.testing.assert_allclose(compiled.predict(x, verbose=0), eager.predict(x, verbose=0),
                               rtol=1e-5, atol=1e-6)
    np.testing.assert_allclose(compiled.evaluate(x, y, verbose=0),
                               eager.evaluate(x, y, verbose=0), rtol=1e-5)


def _recurrent_and_branching(lib):
    """An LSTM (fused kernels) beside a two-branch convolution block whose
    layers call ops on variables directly; RMSprop with a schedule."""
    image = lib.Input((6, 6, 2))
    rows = lib.layers.LSTM(5)(lib.layers.Reshape((6, 12))(image))
    x = lib.layers.Conv2D(3, 3, padding="same", activation="tanh")(image)
    y = lib.layers.Conv2D(3, 1, use_bias=False)(image)
    x = lib.layers.AveragePooling2D(2, padding="same")(lib.layers.Add()([x, y]))
    x = lib.layers.Concatenate()([lib.layers.Flatten()(x), rows])
    model = lib.Model(image, lib.layers.Dense(3, activation="softmax")(x))
    schedule = lib.optimizers.schedules.ExponentialDecay(1e-2, decay_steps=2, decay_rate=0.9)
    return model, lib.optimizers.RMSprop(schedule)


@pytest.mark.parametrize("jit_compile", [False, "auto"])
def test_compiled_recurrent_and_branching_model_trains_as_eager(backend, jit_compile):
    rng = np.random.default_rng(2)
    x, y = rng.random((24, 6, 6, 2)).astype("float32"), rng.integers(0, 3, 24)
    runs = []
    for run_eagerly in (True, False):
        keras.utils.set_random_seed(4)
        model, optimizer = _recurrent_and_branching(keras)
        model.compile(optimizer=optimizer, loss="sparse_categorical_crossentropy",
                      run_eagerly=run_eagerly, jit_compile=jit_compile)
        history = model.fit(x, y, batch_size=8, epochs=2, shuffle=False, verbose=0).history
        runs.append((history["loss"], model.get_weights()))
    (eager_loss, eager_w), (loss, weights) = runs
    np.testing.assert_allclose(loss, eager_loss, rtol=1e-5)
    assert eager_loss[-1] < eager_loss[0]  # it trains: the weights matter
    for a, b in zip(weights, eager_w):
        np.testing.assert_allclose(a, b, rtol=1e-4, atol=1e-5)


def test_compiled_steps_draw_fresh_masks_every_step(backend):
    """A mask frozen into a traced graph would repeat; the fed draws do not."""
    keras.utils.set_random_seed(1)
    model = keras.Sequential([keras.Input((64,)), keras.layers.Dropout(0.5)])
    model.compile(loss="mse", run_eagerly=False)
    x, zeros = np.ones((4, 64), "float32"), np.zeros((4, 64), "float32")
    # loss = 4 * (fraction of units kept): it changes with the mask.
    outs = [model._run_step("train", (x, zeros, None)) for _ in range(3)]
    assert len({round(o["loss"], 6) for o in outs}) == 3  # a new mask each step
    # ... and the same masks as an eager model from the same seed.
    keras.utils.set_random_seed(1)
    eager = keras.Sequential([keras.Input((64,)), keras.layers.Dropout(0.5)])
    eager.compile(loss="mse", run_eagerly=True)
    want = [eager._run_step("train", (x, zeros, None)) for _ in range(3)]
    assert [o["loss"] for o in outs] == pytest.approx([w["loss"] for w in want], rel=1e-6)


def test_jit_compile_and_run_eagerly_are_validated_and_switchable():
    model = keras.Sequential([keras.Input((2,)), keras.layers.Dense(1)])
    with pytest.raises(ValueError, match="jit_compile"):
        model.compile(loss="mse", jit_compile="xla")
    model.compile(loss="mse", jit_compile=False)
    assert model.jit_compile is False and model.run_eagerly is False
    model.run_eagerly = True
    x = np.ones((3, 2), "float32")
    assert np.isfinite(model.train_on_batch(x, x[:, :1]))


def test_dry_run_discards_writes_and_restores_generators(backend):
    ops = get_ops()
    v = Variable(np.array([1.0, 2.0], "float32"))
    gen = SeedGenerator(3)
    before = gen.generator.random(1)
    gen = SeedGenerator(3)
    with host_draws.recording() as draws, writes_discarded(), states_restored():
        v.assign_add(np.array([5.0, 5.0], "float32"))
        v.assign(np.array([9.0, 9.0], "float32"))
        first = host_draws.host_tensor(lambda: gen.generator.random(1))
    np.testing.assert_array_equal(v.numpy(), [1.0, 2.0])
    assert len(draws) == 1
    # The generator was restored: the replayed draw is the one the dry run made.
    replayed = host_draws.replay(draws)[0]
    np.testing.assert_array_equal(ops.to_numpy(replayed), before)
    np.testing.assert_array_equal(ops.to_numpy(first), before)
    with pytest.raises(ValueError, match="shape"):  # checks still run
        with writes_discarded():
            v.assign(np.zeros((3,), "float32"))


def test_gradients_are_skipped_in_a_dry_run_only(backend):
    from kerasx.ops.gradients import gradients_skipped, value_and_grad

    ops = get_ops()
    w = Variable(np.array([[1.0, 2.0], [3.0, 4.0]], "float32"))
    x = ops.convert_to_tensor(np.array([[1.0, -1.0]], "float32"))

    def loss():
        return ops.sum(ops.square(ops.matmul(x, w.value)))

    value, (grad,) = value_and_grad(loss, [w.native])
    np.testing.assert_allclose(ops.to_numpy(value), 8.0)
    np.testing.assert_allclose(ops.to_numpy(grad), [[-4.0, -4.0], [4.0, 4.0]])
    with gradients_skipped():
        value, (grad,) = value_and_grad(loss, [w.native])
    np.testing.assert_allclose(ops.to_numpy(value), 8.0)  # the value is computed
    np.testing.assert_array_equal(ops.to_numpy(grad), np.zeros((2, 2)))


def test_a_step_drawing_more_than_recorded_fails_clearly(backend):
    with host_draws.feeding([]):
        with pytest.raises(RuntimeError, match="run_eagerly=True"):
            host_draws.host_tensor(lambda: np.zeros(2))
