"""Activation layers (ReLU, LeakyReLU, PReLU, ELU, Softmax), merging layers
(Add, Subtract, Multiply, Average, Maximum, Minimum, Concatenate, Dot) and
Lambda / SymbolicOp against Keras 3 (TensorFlow backend)."""
import numpy as np
import pytest

from tests.layer_parity import (check_config, check_output_shape, compare,
                                report)

keras = pytest.importorskip("keras")


@pytest.fixture(scope="module", autouse=True)
def _report():
    yield
    report("activation and merging layers")


def _x(shape, seed=1):
    x = np.random.default_rng(seed).standard_normal(shape).astype("float32") * 2
    # Keep away from the kinks (0, the thresholds, max_value), where the
    # frameworks' subgradients legitimately differ.
    for kink in (0.0, 0.5, 1.0, 1.5):
        near = np.abs(x - kink) < 0.02
        x[near] += 0.05
    return x


ACTIVATION_CASES = [
    ("ReLU", dict()),
    ("ReLU", dict(max_value=1.5)),
    ("ReLU", dict(negative_slope=0.1)),
    ("ReLU", dict(threshold=0.5)),
    ("ReLU", dict(max_value=1.5, negative_slope=0.2, threshold=0.5)),
    ("ReLU", dict(max_value=6.0)),
    ("LeakyReLU", dict()),
    ("LeakyReLU", dict(negative_slope=0.05)),
    ("ELU", dict()),
    ("ELU", dict(alpha=0.5)),
    ("Softmax", dict()),
    ("Softmax", dict(axis=1)),
    ("Softmax", dict(axis=[1, 2])),
    ("PReLU", dict()),
    ("PReLU", dict(shared_axes=[1, 2])),
    ("PReLU", dict(shared_axes=1, alpha_initializer="ones")),
]


@pytest.mark.parametrize("name,kwargs", ACTIVATION_CASES,
                         ids=[f"{n}-{k}" for n, k in ACTIVATION_CASES])
def test_activation_layers_match_keras(backend, name, kwargs):
    from kerasx import layers

    shape = (2, 3, 4)
    layer, ref = getattr(layers, name)(**kwargs), getattr(keras.layers, name)(**kwargs)
    compare(backend, layer, ref, _x(shape), trainings=(None,))
    check_output_shape(layer, ref, (None,) + shape[1:])
    # Keras's ELU drops alpha from its config; kerasx keeps it (a superset).
    clone = check_config(layer, ref, skip=()) if name != "ELU" else None
    if name == "ELU":
        config = layer.get_config()
        assert set(ref.get_config()) | {"alpha"} == set(config)
        assert type(layer).from_config(config).alpha == layer.alpha
    elif name == "PReLU":
        assert clone.shared_axes == layer.shared_axes


def test_leaky_relu_default_slope_is_keras_layer_default(backend):
    from kerasx import layers

    assert layers.LeakyReLU().negative_slope == 0.3 == \
        keras.layers.LeakyReLU().negative_slope


def test_softmax_mask_matches_keras(backend):
    from kerasx import layers

    x = _x((2, 3, 5))
    mask = np.array([[1, 1, 0, 0, 1], [1, 0, 1, 1, 1]], bool)[:, None, :]
    compare(backend, layers.Softmax(), keras.layers.Softmax(), x, trainings=(None,),
            call_kwargs={"mask": mask})


def test_activation_argument_errors(backend):
    from kerasx import layers

    with pytest.raises(ValueError, match="max_value=-1"):
        layers.ReLU(max_value=-1)
    with pytest.raises(ValueError, match="negative_slope=-0.1"):
        layers.ReLU(negative_slope=-0.1)
    with pytest.raises(ValueError, match="threshold=None"):
        layers.ReLU(threshold=None)
    with pytest.raises(ValueError, match="negative_slope=-1"):
        layers.LeakyReLU(negative_slope=-1)
    with pytest.raises(ValueError, match="shared_axes"):
        layers.PReLU(shared_axes=[0])
    with pytest.raises(ValueError, match="out of range"):
        layers.PReLU(shared_axes=[3])(np.zeros((2, 3), "float32"))
    with pytest.raises(ValueError, match="axis"):
        layers.Softmax(axis="x")


MERGE_CASES = [
    ("Add", dict(), [(2, 3, 4)] * 3),
    ("Add", dict(), [(2, 3, 4), (2, 1, 4)]),
    ("Add", dict(), [(2, 3, 4), (2, 4)]),
    ("Subtract", dict(), [(2, 5), (2, 5)]),
    ("Multiply", dict(), [(2, 3, 4)] * 3),
    ("Average", dict(), [(2, 4), (2, 4), (2, 4)]),
    ("Maximum", dict(), [(2, 3, 4)] * 3),
    ("Minimum", dict(), [(2, 3, 4), (2, 3, 4)]),
    ("Concatenate", dict(), [(2, 3, 4), (2, 3, 2)]),
    ("Concatenate", dict(axis=1), [(2, 3, 4), (2, 1, 4), (2, 2, 4)]),
    ("Dot", dict(axes=1), [(2, 5), (2, 5)]),
    ("Dot", dict(axes=-1), [(2, 3, 4), (2, 5, 4)]),
    ("Dot", dict(axes=(2, 1)), [(2, 3, 4), (2, 4, 5)]),
    ("Dot", dict(axes=1), [(2, 3, 4), (2, 3, 5)]),
    ("Dot", dict(axes=(1, 2), normalize=True), [(2, 4, 3), (2, 2, 4)]),
    ("Dot", dict(axes=(2, 1)), [(2, 3, 4, 2), (2, 4, 3)]),
    ("Dot", dict(axes=(1, 3)), [(2, 3, 5), (2, 2, 4, 3)]),
]


@pytest.mark.parametrize("name,kwargs,shapes", MERGE_CASES,
                         ids=[f"{n}-{k}-{s}" for n, k, s in MERGE_CASES])
def test_merging_layers_match_keras(backend, name, kwargs, shapes):
    from kerasx import layers

    inputs = [_x(s, seed=i) for i, s in enumerate(shapes)]
    layer, ref = getattr(layers, name)(**kwargs), getattr(keras.layers, name)(**kwargs)
    compare(backend, layer, ref, inputs, trainings=(None,))
    none_batch = [(None,) + s[1:] for s in shapes]
    check_output_shape(layer, ref, none_batch)
    check_config(layer, ref)


def test_merging_errors_name_what_was_received(backend):
    from kerasx import layers

    a, b = np.zeros((2, 3), "float32"), np.zeros((2, 4), "float32")
    with pytest.raises(ValueError, match="list of inputs"):
        layers.Add()(a)
    with pytest.raises(ValueError, match=r"incompatible shapes.*\(3,\) and \(4,\)"):
        layers.Add()([a, b])
    with pytest.raises(ValueError, match="exactly 2 inputs. Received 3"):
        layers.Subtract()([a, a, a])
    with pytest.raises(ValueError, match="exactly 2 inputs. Received 1"):
        layers.Dot(axes=1)([a])
    with pytest.raises(ValueError, match="different batch sizes"):
        layers.Multiply()([a, np.zeros((3, 3), "float32")])
    with pytest.raises(ValueError, match=r"matching shapes except.*axis 0"):
        layers.Concatenate()([a, np.zeros((3, 3), "float32")])
    joined = layers.Concatenate(axis=0)([a, np.zeros((3, 3), "float32")])
    assert tuple(joined.shape) == (5, 3)
    with pytest.raises(ValueError, match="different ranks"):
        layers.Concatenate()([a, np.zeros((2, 3, 1), "float32")])
    with pytest.raises(ValueError, match=r"axis values 3 \(at axis 1\) != 4"):
        layers.Dot(axes=1)([a, b])
    with pytest.raises(ValueError, match="batch axis"):
        layers.Dot(axes=0)([a, a])
    with pytest.raises(ValueError, match="two elements"):
        layers.Dot(axes=(1, 2, 3))
    with pytest.raises(TypeError, match="axes"):
        layers.Dot(axes="x")


def test_merging_in_a_functional_model(backend):
    import kerasx
    from kerasx.backend import get_ops

    a, b = kerasx.Input((3,)), kerasx.Input((3,))
    s = kerasx.layers.Add()([a, b])
    c = kerasx.layers.Concatenate()([s, a])
    assert c.shape == (None, 6)
    d = kerasx.layers.Dot(axes=1)([a, b])
    assert d.shape == (None, 1)
    model = kerasx.Model([a, b], [c, d])
    x1, x2 = _x((2, 3)), _x((2, 3), 2)
    out_c, out_d = model([x1, x2])
    np.testing.assert_allclose(get_ops().to_numpy(out_c),
                               np.concatenate([x1 + x2, x1], -1), rtol=1e-6)
    np.testing.assert_allclose(get_ops().to_numpy(out_d),
                               (x1 * x2).sum(-1, keepdims=True), rtol=1e-5, atol=1e-6)


# ---------------------------------------------------------------------------
# Lambda and SymbolicOp
# ---------------------------------------------------------------------------
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
