"""MXNet interop (issue 12 item 2), the Gluon way: `autograd.record()` and
`backward()` over a kerasx model's weights, updated by a `gluon.Trainer`
(over `model.collect_params()`) or by a kerasx optimizer. Keras 3 has no
MXNet backend: the reference is the same training written with
tf.GradientTape under Keras 3 on TensorFlow (in process)."""
import numpy as np
import pytest

from tests.interop_helpers import dense_data, dense_model, selected_backend

from kerasx.backend import registry

if not registry.discover()["mxnet"].is_available():
    pytest.skip("mxnet is not installed", allow_module_level=True)
registry.load("mxnet")  # the plugin patches numpy for MXNet 1.9 before importing it
tf = pytest.importorskip("tensorflow")
keras = pytest.importorskip("keras")

import mxnet as mx  # noqa: E402
from mxnet import autograd, gluon  # noqa: E402


@pytest.fixture
def mx_backend():
    with selected_backend("mxnet"):
        yield


def _keras_reference(optimizer, steps=5):
    weights, x, y = dense_data()
    m = dense_model(keras, weights)
    opt = optimizer(keras)
    losses = []
    for _ in range(steps):
        with tf.GradientTape() as tape:
            loss = tf.reduce_mean(tf.square(m(x) - y))
        grads = tape.gradient(loss, m.trainable_variables)
        opt.apply_gradients(zip(grads, m.trainable_variables))
        losses.append(float(loss))
    return losses, m.get_weights()


def _close(ours, ref):
    np.testing.assert_allclose(ours[0], ref[0], rtol=1e-5, atol=1e-6)
    for a, b in zip(ours[1], ref[1]):
        np.testing.assert_allclose(a, b, rtol=1e-5, atol=1e-6)
    assert ours[0][-1] < ours[0][0]


@pytest.mark.parametrize("optimizer", ["sgd", "adam"])
def test_gluon_trainer_over_collect_params(mx_backend, optimizer):
    import kerasx

    weights, x, y = dense_data()
    m = dense_model(kerasx, weights)
    params = m.collect_params()
    assert sorted(params) == sorted(v.path for v in m.weights)
    args = {"learning_rate": 0.1} if optimizer == "sgd" else {"learning_rate": 0.01}
    trainer = gluon.Trainer(params, optimizer, args)
    xs, ys = mx.np.array(x), mx.np.array(y)
    losses = []
    for _ in range(5):
        with autograd.record():
            loss = ((m(xs) - ys) ** 2).mean()
        loss.backward()
        trainer.step(1)
        losses.append(float(loss))
    keras_opt = {"sgd": lambda api: api.optimizers.SGD(0.1),
                 "adam": lambda api: api.optimizers.Adam(0.01, epsilon=1e-8)}[optimizer]
    # Gluon's Adam adds epsilon to sqrt(v_hat) as Keras does; its default
    # epsilon is 1e-8, Keras's 1e-7: the reference uses Gluon's.
    _close((losses, m.get_weights()), _keras_reference(keras_opt))


def test_autograd_backward_and_kerasx_optimizer(mx_backend):
    import kerasx

    weights, x, y = dense_data()
    m = dense_model(kerasx, weights)
    opt = kerasx.optimizers.SGD(0.1)
    xs, ys = mx.np.array(x), mx.np.array(y)
    losses = []
    for _ in range(5):
        with autograd.record():
            loss = ((m(xs) - ys) ** 2).mean()
        loss.backward()
        opt.apply([v.value.grad for v in m.trainable_variables], m.trainable_variables)
        losses.append(float(loss))
    _close((losses, m.get_weights()), _keras_reference(lambda api: api.optimizers.SGD(0.1)))


def test_gluon_loop_after_fit_still_reaches_the_weights(mx_backend):
    # fit() attaches fresh gradient buffers every step; a Gluon loop after it
    # must still see gradients in the buffers it reads.
    import kerasx

    weights, x, y = dense_data()
    m = dense_model(kerasx, weights)
    m.compile(optimizer="sgd", loss="mse", run_eagerly=True)
    m.fit(x, y, epochs=1, batch_size=8, verbose=0)
    trainer = gluon.Trainer(m.collect_params(), "sgd", {"learning_rate": 0.1})
    before = m.get_weights()
    with autograd.record():
        loss = ((m(mx.np.array(x)) - mx.np.array(y)) ** 2).mean()
    loss.backward()
    grads = [v.value.grad.asnumpy() for v in m.trainable_variables]
    assert all(np.abs(g).sum() > 0 for g in grads)
    trainer.step(1)
    for b, a, g in zip(before, m.get_weights(), grads):
        np.testing.assert_allclose(a, b - 0.1 * g, rtol=1e-5, atol=1e-6)


def test_variable_is_an_ndarray_sharing_the_native_array(mx_backend):
    import kerasx

    v = kerasx.Variable(np.ones((2, 3), "float32"), name="v")
    assert isinstance(v, mx.np.ndarray)
    x = mx.np.ones((4, 2))
    np.testing.assert_array_equal((x @ v).asnumpy(), np.full((4, 3), 2.0))
    v.assign(np.full((2, 3), 3.0, "float32"))
    np.testing.assert_array_equal((x @ v).asnumpy(), np.full((4, 3), 6.0))
    assert v == v and v != kerasx.Variable(np.ones(2, "float32")) and bool(v)
    assert len({v}) == 1  # hashable, as on the other backends
