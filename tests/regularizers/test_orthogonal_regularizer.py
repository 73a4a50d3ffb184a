"""OrthogonalRegularizer against Keras 3: the penalty, its gradient, the
config, the errors."""
import numpy as np
import pytest

keras = pytest.importorskip("keras")

import kerasx  # noqa: E402
from kerasx.ops.gradients import value_and_grad  # noqa: E402


@pytest.mark.parametrize("mode", ["rows", "columns"])
def test_penalty_and_gradient_match_keras(backend, mode):
    import tensorflow as tf

    w = np.random.default_rng(0).standard_normal((5, 3)).astype("float32")
    ref = keras.regularizers.OrthogonalRegularizer(factor=0.3, mode=mode)
    ours = kerasx.regularizers.OrthogonalRegularizer(factor=0.3, mode=mode)
    variable = tf.Variable(w)
    with tf.GradientTape() as tape:
        expected = ref(variable)
    expected_grad = tape.gradient(expected, variable).numpy()
    weight = kerasx.Variable(w)
    value, (grad,) = value_and_grad(lambda: ours(weight.value), [weight.native])
    np.testing.assert_allclose(kerasx.ops.convert_to_numpy(value), expected.numpy(),
                               rtol=1e-5)
    np.testing.assert_allclose(kerasx.ops.convert_to_numpy(grad), expected_grad,
                               rtol=1e-4, atol=1e-6)


def test_orthogonal_rows_cost_nothing(backend):
    q = np.linalg.qr(np.random.default_rng(1).standard_normal((4, 4)))[0].astype("float32")
    penalty = kerasx.regularizers.OrthogonalRegularizer(1.0)(kerasx.ops.convert_to_tensor(q))
    assert abs(float(kerasx.ops.convert_to_numpy(penalty))) < 1e-6


def test_config_names_and_errors():
    reg = kerasx.regularizers.get({"class_name": "OrthogonalRegularizer",
                                   "config": {"factor": 0.5, "mode": "columns"}})
    assert reg.get_config() == {"factor": 0.5, "mode": "columns"}
    assert kerasx.regularizers.orthogonal_regularizer is kerasx.regularizers.OrthogonalRegularizer
    with pytest.raises(ValueError, match="mode"):
        kerasx.regularizers.OrthogonalRegularizer(mode="diagonal")
    with pytest.raises(ValueError, match="non-negative"):
        kerasx.regularizers.OrthogonalRegularizer(factor=-1)
    with pytest.raises(ValueError, match="rank 2"):
        kerasx.regularizers.OrthogonalRegularizer()(kerasx.ops.ones((2, 2, 2)))
