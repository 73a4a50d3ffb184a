"""Lambda and the symbolic ops of KerasTensor arithmetic against Keras 3
(TensorFlow backend)."""
import numpy as np
import pytest

from tests.layer_parity import (compare, inputs_off_kinks, report_at_teardown)

keras = pytest.importorskip("keras")


_report = report_at_teardown("lambda layers")
_x = inputs_off_kinks


def test_lambda_matches_keras(backend):
    import kerasx

    layer = kerasx.layers.Lambda(lambda x, k: kerasx.ops.multiply(x, k) + 1.0,
                                 arguments={"k": 3.0})
    ref = keras.layers.Lambda(lambda x, k: x * k + 1.0, arguments={"k": 3.0})
    compare(backend, layer, ref, _x((2, 3)), trainings=(None,))
    assert layer.compute_output_shape((None, 3)) == (None, 3)
    config = layer.get_config()
    assert set(config) == set(ref.get_config())
    assert config["function"]["class_name"] == "__lambda__"


def test_lambda_output_shape_and_symbolic_use(backend):
    import kerasx
    from kerasx.backend import get_ops

    inp = kerasx.Input((4,))
    out = kerasx.layers.Lambda(lambda x: kerasx.ops.sum(x, axis=-1, keepdims=True),
                               output_shape=(1,))(inp)
    assert out.shape == (None, 1)
    inferred = kerasx.layers.Lambda(lambda x: kerasx.ops.concatenate([x, x], axis=-1))(inp)
    assert inferred.shape == (None, 8)
    fn_shape = kerasx.layers.Lambda(lambda x: x, output_shape=lambda s: s)
    assert fn_shape.compute_output_shape((None, 4)) == (None, 4)
    model = kerasx.Model(inp, out)
    x = _x((2, 4))
    np.testing.assert_allclose(get_ops().to_numpy(model(x)), x.sum(-1, keepdims=True),
                               rtol=1e-5, atol=1e-6)


def test_lambda_from_config_is_safe_by_default(backend):
    import kerasx
    from kerasx.backend import get_ops

    layer = kerasx.layers.Lambda(lambda x: x * 2.0, output_shape=(3,))
    config = layer.get_config()
    assert config["output_shape"] == [3]
    with pytest.raises(ValueError, match="safe_mode=False"):
        kerasx.layers.Lambda.from_config(config)
    clone = kerasx.layers.Lambda.from_config(config, safe_mode=False)
    x = _x((2, 3))
    np.testing.assert_allclose(get_ops().to_numpy(clone(x)), x * 2.0)
    assert clone.compute_output_shape((None, 3)) == (None, 3)
    # Keras's own config of a lambda is refused the same way.
    ref_config = keras.layers.Lambda(lambda x: x * 2.0).get_config()
    ref_config.pop("dtype")
    with pytest.raises(ValueError, match="safe_mode"):
        kerasx.layers.Lambda.from_config(ref_config)


def test_lambda_named_functions_resolve_without_imports(backend):
    import kerasx

    layer = kerasx.layers.Lambda(kerasx.activations.relu)
    clone = kerasx.layers.Lambda.from_config(layer.get_config())
    assert clone.function is kerasx.activations.relu

    def double(x):
        return x * 2.0

    config = kerasx.layers.Lambda(double).get_config()
    with pytest.raises(ValueError, match="custom_objects"):
        kerasx.layers.Lambda.from_config(config)
    clone = kerasx.layers.Lambda.from_config(config, custom_objects={"double": double})
    assert clone.function is double
    with pytest.raises(ValueError, match="callable"):
        kerasx.layers.Lambda(3)


def test_lambda_passes_training_and_mask(backend):
    import kerasx

    seen = {}

    def fn(x, training=None, mask=None):
        seen.update(training=training, mask=mask)
        return x

    kerasx.layers.Lambda(fn)(_x((2, 2)), training=True)
    assert seen == {"training": True, "mask": None}


def test_keras_tensor_arithmetic_builds_symbolic_ops(backend):
    import kerasx
    from kerasx.backend import get_ops
    from kerasx.layers.core.lambda_layer import SymbolicOp

    a, b = kerasx.Input((3,)), kerasx.Input((3,))
    y = (a + 1.0) * 2.0 - b
    z = 1.0 - a / 4.0
    w = a * np.array([1.0, 2.0, 3.0])
    assert y.shape == z.shape == w.shape == (None, 3)
    model = kerasx.Model([a, b], [y, z, w])
    x1, x2 = _x((2, 3)), _x((2, 3), 2)
    got = [get_ops().to_numpy(t) for t in model([x1, x2])]
    np.testing.assert_allclose(got[0], (x1 + 1) * 2 - x2, rtol=1e-6)
    np.testing.assert_allclose(got[1], 1 - x1 / 4, rtol=1e-6)
    np.testing.assert_allclose(got[2], x1 * np.array([1, 2, 3], "float32"), rtol=1e-6)
    assert got[2].dtype == np.float32
    op = SymbolicOp("subtract", 2.0, True)
    clone = SymbolicOp.from_config(op.get_config())
    np.testing.assert_allclose(get_ops().to_numpy(clone(x1)), 2.0 - x1, rtol=1e-6)
    with pytest.raises(ValueError, match="op='frobnicate'"):
        SymbolicOp("frobnicate", 1.0)
