"""Merging layers (Add, Subtract, Multiply, Average, Maximum, Minimum,
Concatenate, Dot) against Keras 3 (TensorFlow backend)."""
import numpy as np
import pytest

from tests.layer_parity import (check_config, check_output_shape, compare,
                                inputs_off_kinks, report_at_teardown)

keras = pytest.importorskip("keras")


_report = report_at_teardown("merging layers")
_x = inputs_off_kinks


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
