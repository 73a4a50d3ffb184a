"""keras.ops.jvp (and keras.ops.linalg.jvp) against Keras 3 (TF backend) on
every kerasx backend: outputs and Jacobian-vector products of functions of
one and several arguments, tree outputs, `has_aux`, float64, and the errors.
MXNet runs the contract's composite (one backward pass per output element);
TensorFlow and torch their native forward mode."""
import numpy as np
import pytest

import kerasx as keras

RNG = np.random.default_rng(11)
X = RNG.standard_normal((2, 3)).astype("float32")
T = RNG.standard_normal((2, 3)).astype("float32")
W = RNG.standard_normal((3, 4)).astype("float32")
V = RNG.standard_normal((4,)).astype("float32")
U = RNG.standard_normal((4,)).astype("float32")


def _np(x):
    return keras.ops.convert_to_numpy(x)


def _layer(ops):
    return lambda x, w: ops.tanh(ops.matmul(x, w)) * 0.5 + ops.sum(x ** 2)


def _tree(ops):
    return lambda x: {"a": ops.sin(x), "b": (ops.exp(x) * 0.1, ops.sum(x * x, axis=-1))}


CASES = {
    "one_argument": (lambda ops: (lambda x: ops.softmax(x * 2.0)), (X,), (T,)),
    "two_arguments": (_layer, (X, W), (T, np.ones_like(W) * 0.1)),
    "tree_output": (_tree, (V,), (U,)),
}


@pytest.mark.parametrize("case", sorted(CASES))
def test_jvp_matches_keras(backend, case):
    import keras as ref

    make, primals, tangents = CASES[case]
    out, tan = keras.ops.jvp(make(keras.ops), primals, tangents)
    want_out, want_tan = ref.ops.jvp(make(ref.ops), tuple(ref.ops.convert_to_tensor(p)
                                                          for p in primals),
                                     tuple(ref.ops.convert_to_tensor(t) for t in tangents))
    flat = keras.tree.flatten
    for got, want in zip(flat(out) + flat(tan), ref.tree.flatten(want_out)
                         + ref.tree.flatten(want_tan)):
        np.testing.assert_allclose(_np(got), ref.ops.convert_to_numpy(want),
                                   rtol=1e-5, atol=1e-6)


def test_jvp_is_the_directional_derivative_in_float64(backend):
    # J t of x -> x0 * exp(x1), sin(x0 * x1) in closed form.
    x = np.array([0.3, -1.2], "float64")
    t = np.array([0.7, 0.4], "float64")
    fun = lambda v: keras.ops.stack([v[0] * keras.ops.exp(v[1]),  # noqa: E731
                                     keras.ops.sin(v[0] * v[1])])
    out, tan = keras.ops.linalg.jvp(fun, [x], [t])
    assert keras.ops.dtype(tan) == "float64"
    want = [t[0] * np.exp(x[1]) + x[0] * np.exp(x[1]) * t[1],
            np.cos(x[0] * x[1]) * (t[0] * x[1] + x[0] * t[1])]
    np.testing.assert_allclose(_np(tan), want, rtol=1e-14, atol=1e-15)
    np.testing.assert_allclose(_np(out), [x[0] * np.exp(x[1]), np.sin(x[0] * x[1])],
                               rtol=1e-15)


def test_jvp_has_aux_returns_the_auxiliary_data(backend):
    fun = lambda x: (keras.ops.square(x), {"norm": keras.ops.sum(x)})  # noqa: E731
    out, tan, aux = keras.ops.jvp(fun, (V,), (U,), has_aux=True)
    np.testing.assert_allclose(_np(tan), 2 * V * U, rtol=1e-6)
    np.testing.assert_allclose(_np(aux["norm"]), V.sum(), rtol=1e-6)
    np.testing.assert_allclose(_np(out), V ** 2, rtol=1e-6)


def test_jvp_casts_tangents_and_gives_zero_for_unused_arguments(backend):
    out, tan = keras.ops.jvp(lambda x, y: keras.ops.sin(x), (V, U), (U.astype("float64"), U))
    np.testing.assert_allclose(_np(tan), np.cos(V) * U, rtol=1e-6)
    assert keras.ops.dtype(tan) == "float32"


def test_jvp_errors(backend):
    with pytest.raises(ValueError, match="structure"):
        keras.ops.jvp(lambda x, y: x + y, (V, U), (U,))
    with pytest.raises(ValueError, match="shape"):
        keras.ops.jvp(lambda x: x, (V,), (X,))
    with pytest.raises(TypeError, match="tuples or lists"):
        keras.ops.jvp(lambda x: x, V, U)


def test_the_contract_composite_agrees_with_each_plugin(backend):
    # The composite (reverse mode, row by row) is what MXNet runs; on
    # TensorFlow and torch it is checked against their forward mode here.
    from kerasx.backend import get_ops
    from kerasx.backend.contract import Backend

    ops = get_ops()
    make, primals, tangents = CASES["two_arguments"]
    out, tan = Backend.jvp(ops, make(keras.ops), primals, tangents)
    want_out, want_tan = ops.jvp(make(keras.ops), primals, tangents)
    np.testing.assert_allclose(_np(tan), _np(want_tan), rtol=1e-5, atol=1e-6)
    np.testing.assert_allclose(_np(out), _np(want_out), rtol=1e-6)
