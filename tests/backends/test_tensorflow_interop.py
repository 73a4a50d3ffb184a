"""TensorFlow interop (issue 12 item 2): kerasx variables work with
tf.GradientTape, tf.function, optimizer.apply_gradients and
tf.train.Checkpoint as Keras 3's do on TensorFlow (compared in process:
the tests' Keras runs on TensorFlow)."""
import numpy as np
import pytest

from tests.interop_helpers import dense_data, dense_model, selected_backend

tf = pytest.importorskip("tensorflow")
keras = pytest.importorskip("keras")


@pytest.fixture
def tf_backend():
    with selected_backend("tensorflow"):
        yield


def _train(api, optimizer, compiled, steps=5):
    weights, x, y = dense_data()
    m = dense_model(api, weights)
    opt = optimizer(api)

    def step(x, y):
        with tf.GradientTape() as tape:
            loss = tf.reduce_mean(tf.square(m(x) - y))
        grads = tape.gradient(loss, m.trainable_variables)
        opt.apply_gradients(zip(grads, m.trainable_variables))
        return loss

    if compiled:
        step = tf.function(step)
    losses = [float(step(tf.constant(x), tf.constant(y))) for _ in range(steps)]
    return losses, m.get_weights()


OPTIMIZERS = {"sgd": lambda api: api.optimizers.SGD(0.1),
              "adam": lambda api: api.optimizers.Adam(0.01)}


@pytest.mark.parametrize("compiled", [False, True], ids=["eager", "tf_function"])
@pytest.mark.parametrize("optimizer", sorted(OPTIMIZERS))
def test_gradient_tape_and_apply_gradients_as_keras3(tf_backend, optimizer, compiled):
    import kerasx

    ours = _train(kerasx, OPTIMIZERS[optimizer], compiled)
    ref = _train(keras, OPTIMIZERS[optimizer], compiled)
    np.testing.assert_allclose(ours[0], ref[0], rtol=1e-5, atol=1e-6)
    for a, b in zip(ours[1], ref[1]):
        np.testing.assert_allclose(a, b, rtol=1e-5, atol=1e-6)
    assert ours[0][-1] < ours[0][0]


def test_tape_gradients_equal_keras3(tf_backend):
    import kerasx

    weights, x, _ = dense_data()
    grads = []
    for api in (kerasx, keras):
        m = dense_model(api, weights)
        with tf.GradientTape() as tape:
            loss = tf.reduce_sum(m(x) ** 2)
        grads.append(tape.gradient(loss, m.trainable_variables))
    assert [g.shape for g in grads[0]] == [g.shape for g in grads[1]]
    for a, b in zip(*grads):
        np.testing.assert_allclose(a.numpy(), b.numpy(), rtol=1e-5, atol=1e-6)


def test_checkpoint_save_and_restore_into_a_newdense_model(tf_backend, tmp_path):
    import kerasx

    weights, x, _ = dense_data()
    m = dense_model(kerasx, weights)
    path = tf.train.Checkpoint(model=m).save(str(tmp_path / "ckpt"))
    stored = {name: shape for name, shape in tf.train.list_variables(path)}
    assert sorted(shape for name, shape in stored.items() if name.startswith("model/")) \
        == sorted([[4, 8], [8], [8, 2], [2]])
    fresh = dense_model(kerasx, [np.zeros_like(w) for w in weights])
    tf.train.Checkpoint(model=fresh).restore(path).assert_consumed()
    for a, b in zip(fresh.get_weights(), weights):
        np.testing.assert_array_equal(a, b)
    np.testing.assert_array_equal(fresh.predict(x, verbose=0), m.predict(x, verbose=0))


def test_tf_module_tracking_as_keras3(tf_backend):
    # Keras 3's layers are trackable but not tf.Modules: a tf.Module holding
    # a model lists only its own variables. kerasx does the same.
    import kerasx

    weights, _, _ = dense_data()
    counts = []
    for api in (kerasx, keras):
        holder = tf.Module()
        holder.model = dense_model(api, weights)
        holder.scale = tf.Variable(1.0)
        counts.append(len(holder.trainable_variables))
    assert counts[0] == counts[1] == 1


def test_variable_is_seen_as_a_tensor(tf_backend):
    import kerasx

    v = kerasx.Variable(np.arange(6, dtype="float32").reshape(2, 3), name="v")
    assert tf.is_tensor(v)
    np.testing.assert_array_equal(tf.convert_to_tensor(v).numpy(), v.numpy())
    with tf.GradientTape() as tape:
        loss = tf.reduce_sum(v * v)
    np.testing.assert_array_equal(tape.gradient(loss, v).numpy(), 2 * v.numpy())
