"""keras.ops scatters, slice updates, segment reductions, ranks, frames,
counts, bins and control flow (cond, switch, map, associative_scan) against
keras.ops on every backend: values, dtypes, gradients where differentiable,
and compiled steps."""
import warnings

import numpy as np
import pytest

import kerasx
from kerasx.backend import get_ops
from tests.ops.array_parity import compare

RNG = np.random.default_rng(11)


def normal(*shape):
    return RNG.normal(size=shape).astype("float32")


# No gap in the ids: Keras's TensorFlow backend counts the distinct ids where
# Keras documents max(ids) + 1 (the same without gaps).
WITH_MASK = np.array([[True, False, True, False], [False, False, True, True],
                      [True, True, False, False]])
_A = RNG.normal(size=(2, 4, 4)).astype("float32")
SPD = (_A @ np.swapaxes(_A, -1, -2) + 4 * np.eye(4, dtype="float32")).astype("float32")
SEGMENTS = np.array([0, 2, 0, 1, 2], "int32")
GAPS = np.array([0, 3, 0, 3, 1], "int32")
I2 = np.array([[0, 1], [2, 3], [0, 1], [1, 0]], "int32")

CASES = [
    ("scatter", [I2, normal(4), (3, 4)], {}, (1,)),
    ("scatter", [np.array([[1], [0], [1]], "int32"), normal(3, 4), (2, 4)], {}, (1,)),
    ("scatter", [I2, np.array([1, 2, 3, 4], "int32"), (3, 4)], {}, ()),
    ("scatter_update", [normal(3, 4), np.array([[0, 1], [2, 3]], "int32"), normal(2)],
     {}, (0, 2)),
    ("scatter_update", [normal(3, 4), np.array([[2], [0]], "int32"), normal(2, 4)],
     {}, (0, 2)),
    ("scatter_update", [normal(3, 4), I2, normal(4)], {"reduction": "add"}, (0, 2)),
    ("scatter_update", [normal(3, 4), I2, normal(4)], {"reduction": "max"}, ()),
    ("scatter_update", [normal(3, 4), I2, normal(4)], {"reduction": "min"}, ()),
    ("scatter_update", [normal(3, 4), I2, normal(4)], {"reduction": "mul"}, (0, 2)),
    # Keras's TensorFlow slice_update has no gradient (XlaDynamicUpdateSlice):
    # see test_slice_update_gradient.
    ("slice_update", [normal(4, 5), (1, 2), normal(2, 3)], {}, ()),
    ("slice_update", [np.zeros((3, 3), "int32"), (0, 0), np.ones((1, 3), "int32")], {}, ()),
    ("unstack", [normal(3, 4)], {}, (0,)),
    ("unstack", [normal(3, 4)], {"axis": 1, "num": 4}, (0,)),
    ("segment_sum", [normal(5, 3), SEGMENTS], {}, (0,)),
    ("segment_sum", [normal(5), GAPS], {"num_segments": 5}, (0,)),
    ("segment_sum", [np.arange(5, dtype="int32"), SEGMENTS], {}, ()),
    ("segment_max", [normal(5, 3), SEGMENTS], {}, (0,)),
    ("segment_min", [normal(5, 3), GAPS], {"num_segments": 4}, (0,)),
    ("segment_prod", [normal(5, 2), SEGMENTS], {}, (0,)),
    ("in_top_k", [np.array([0, 2, 1], "int32"),
                  np.array([[0.1, 0.5, 0.4], [0.3, 0.3, 0.3], [0.9, 0.05, 0.05]],
                           "float32"), 1], {}, ()),
    ("in_top_k", [np.array([0, 2, 1], "int32"), normal(3, 5), 2], {}, ()),
    ("extract_sequences", [normal(2, 10)], {"sequence_length": 4, "sequence_stride": 3},
     (0,)),
    ("extract_sequences", [normal(7)], {"sequence_length": 2, "sequence_stride": 2}, (0,)),
    ("unravel_index", [np.array([0, 5, 11, 7], "int32"), (3, 4)], {}, ()),
    ("unravel_index", [np.array([0, 23, 13, 6], "int64"), (2, 3, 4)], {}, ()),
    ("bincount", [np.array([0, 1, 1, 4, 1], "int32")], {}, ()),
    ("bincount", [np.array([0, 1, 1, 2], "int32")], {"minlength": 6}, ()),
    ("bincount", [np.array([0, 1, 1, 2], "int32")],
     {"weights": np.array([0.5, 1.0, 2.0, -1.0], "float32")}, ()),
    ("histogram", [normal(20)], {}, ()),
    ("histogram", [normal(20)], {"bins": 4, "range": (-1.0, 1.0)}, ()),
    ("unique", [np.array([[3, 1, 2], [1, 3, 5]], "int32")],
     {"return_index": True, "return_inverse": True, "return_counts": True}, ()),
    ("unique", [np.array([2.5, -1.0, 2.5, 0.0], "float32")], {}, ()),
    ("unique", [np.array([[3, 1, 2], [1, 3, 5]], "int32")],
     {"sorted": False, "return_index": True, "return_inverse": True,
      "return_counts": True, "size": 6, "fill_value": -1}, ()),
    ("unique", [np.array([4, 1, 4, 2, 1], "int32")],
     {"return_index": True, "return_counts": True, "size": 2}, ()),
    ("get_item", [normal(3, 4, 5), 1], {}, (0,)),
    ("get_item", [normal(3, 4, 5), (slice(None), -1)], {}, (0,)),
    ("get_item", [normal(3, 4, 5), (Ellipsis, slice(1, None, 2))], {}, (0,)),
    ("get_item", [normal(3, 4, 5), (None, slice(None, None, -1), 2, None)], {}, (0,)),
    ("get_item", [normal(3, 4), WITH_MASK], {}, (0,)),
    ("slogdet", [normal(4, 4)], {}, (0,)),
    ("slogdet", [normal(2, 3, 3)], {}, (0,)),
    ("logdet", [SPD], {}, (0,)),
    ("rearrange", [normal(2, 6, 4, 3), "b h w c -> b c h w"], {}, (0,)),
    ("rearrange", [normal(2, 6, 4, 3), "b h w c -> h (b w) c"], {}, (0,)),
    ("rearrange", [normal(2, 6, 4, 3), "b (h1 h) (w1 w) c -> (b h1 w1) h w c"],
     {"h1": 2, "w1": 2}, (0,)),
    ("rearrange", [normal(2, 6, 4, 3), "b (h h1) (w w1) c -> b h w (c h1 w1)"],
     {"h1": 3, "w1": 2}, (0,)),
    ("vander", [normal(4)], {}, (0,)),
    ("vander", [normal(3)], {"N": 5, "increasing": True}, (0,)),
    ("vander", [np.array([1, 2, -3], "int32")], {}, ()),
    ("trapezoid", [normal(3, 5)], {}, (0,)),
    ("trapezoid", [normal(5, 3)], {"dx": 0.5, "axis": 0}, (0,)),
    ("trapezoid", [normal(2, 5), np.sort(normal(5))], {}, (0, 1)),
    ("trapezoid", [np.arange(6, dtype="int32")], {}, ()),
    ("correlate", [normal(7), normal(3)], {}, (0, 1)),
    ("correlate", [normal(7), normal(4)], {"mode": "same"}, (0, 1)),
    ("correlate", [normal(6), normal(3)], {"mode": "full"}, (0, 1)),
    ("correlate", [np.arange(5, dtype="int32"), np.array([1, 2], "int32")], {}, ()),
    ("corrcoef", [normal(3, 6)], {}, (0,)),
    ("cdist", [normal(4, 3), normal(5, 3)], {}, (0, 1)),
    ("cdist", [normal(2, 4, 3), normal(2, 5, 3)], {}, (0, 1)),
]


def _id(case):
    name, _, kwargs, _ = case
    return name + ("[" + ",".join(f"{k}={v}" for k, v in kwargs.items()
                                  if k != "weights") + "]" if kwargs else "")


@pytest.mark.parametrize("case", CASES, ids=[_id(c) for c in CASES])
def test_matches_keras(backend, case):
    name, args, kwargs, grad = case
    compare(name, args, kwargs, grad)


@pytest.mark.parametrize("mode", ["valid", "same", "full"])
@pytest.mark.parametrize("n,m", [(7, 3), (6, 4), (3, 5), (4, 6)])
def test_correlate_is_numpys(backend, mode, n, m):
    # Keras's TensorFlow backend refuses a second input longer than the first.
    a, v = normal(n), normal(m)
    got = kerasx.ops.convert_to_numpy(kerasx.ops.correlate(a, v, mode=mode))
    np.testing.assert_allclose(got, np.correlate(a, v, mode), rtol=1e-5, atol=1e-6)


def test_get_item_with_an_array_index_is_numpys(backend):
    # Keras's TensorFlow backend takes no array index.
    x = normal(3, 4, 5)
    for key in ((slice(0, 2), np.array([3, 0, 3])), (np.array([[2, 0], [1, 1]]), 1),
                (Ellipsis, [4, -1])):
        got = kerasx.ops.get_item(x, key)
        np.testing.assert_array_equal(kerasx.ops.convert_to_numpy(got), x[key])
    index = kerasx.ops.convert_to_tensor(np.array([2, 0], "int32"))
    np.testing.assert_array_equal(
        kerasx.ops.convert_to_numpy(kerasx.ops.get_item(x, (1, index))), x[1, [2, 0]])
    with pytest.raises(IndexError, match="out of range"):
        kerasx.ops.get_item(x, (0, 4))


def _log1pexp(ops):
    """Keras's custom_gradient example, with a gradient scaled by 10 so that
    the test sees that the custom one is used."""
    @ops.custom_gradient
    def log1pexp(x):
        e = ops.exp(x)

        def grad(*args, upstream=None):
            if upstream is None:
                (upstream,) = args
            return ops.multiply(upstream, 10.0 * (1.0 - 1.0 / ops.add(1.0, e)))

        return ops.log(1.0 + e), grad

    return log1pexp


def test_custom_gradient_matches_keras(backend):
    import keras
    import tensorflow as tf

    x, w = normal(5), normal(5)
    ref = tf.constant(x)
    with tf.GradientTape() as tape:
        tape.watch(ref)
        loss = tf.reduce_sum(_log1pexp(keras.ops)(ref) * w)
    want = tape.gradient(loss, ref).numpy()
    np.testing.assert_allclose(want, 10 * w / (1 + np.exp(-x)), rtol=1e-5)

    ops = get_ops()
    v = ops.variable(x)
    h = _log1pexp(kerasx.ops)
    value, (got,) = kerasx.ops.gradients.value_and_grad(
        lambda: kerasx.ops.sum(kerasx.ops.multiply(h(ops.variable_value(v)), w)), [v])
    np.testing.assert_allclose(kerasx.ops.convert_to_numpy(got), want, rtol=1e-5, atol=1e-6)
    np.testing.assert_allclose(kerasx.ops.convert_to_numpy(value), loss.numpy(), rtol=1e-5)
    # Outside a gradient computation: the forward value only.
    np.testing.assert_allclose(kerasx.ops.convert_to_numpy(h(x)), np.log1p(np.exp(x)),
                               rtol=1e-5)


def test_custom_gradient_of_two_arguments(backend):
    k = kerasx.ops

    @k.custom_gradient
    def product(a, b):
        def grad(*args, upstream=None):
            if upstream is None:
                (upstream,) = args
            return k.multiply(upstream, 2.0), k.multiply(upstream, 3.0)
        return k.multiply(a, b), grad

    ops = get_ops()
    a, b, w = ops.variable(normal(3)), ops.variable(normal(3)), normal(3)
    _, (ga, gb) = k.gradients.value_and_grad(lambda: k.sum(k.multiply(
        product(ops.variable_value(a), ops.variable_value(b)), w)), [a, b])
    np.testing.assert_allclose(k.convert_to_numpy(ga), 2 * w, rtol=1e-6)
    np.testing.assert_allclose(k.convert_to_numpy(gb), 3 * w, rtol=1e-6)


def test_vectorize_is_numpys(backend):
    # Keras's TensorFlow backend refuses these (its vmap takes in_axes=0
    # only); the semantics are numpy.vectorize's.
    a, b = normal(3, 1), normal(4)
    got = kerasx.ops.vectorize(lambda u, v: kerasx.ops.add(kerasx.ops.multiply(u, u), v))(a, b)
    want = np.vectorize(lambda u, v: u * u + v)(a, b)
    np.testing.assert_allclose(kerasx.ops.convert_to_numpy(got), want, rtol=1e-5, atol=1e-6)
    x, y = normal(2, 3, 4), normal(3, 4)
    got = kerasx.ops.vectorize(lambda u, v: kerasx.ops.sum(kerasx.ops.multiply(u, v)),
                               signature="(n),(n)->()")(x, y)
    want = np.vectorize(lambda u, v: np.sum(u * v), signature="(n),(n)->()")(x, y)
    np.testing.assert_allclose(kerasx.ops.convert_to_numpy(got), want, rtol=1e-5, atol=1e-6)
    got = kerasx.ops.vectorize(lambda m: kerasx.ops.matmul(m, m), signature="(n,n)->(n,n)")(
        normal(2, 3, 3))
    assert kerasx.ops.shape(got) == (2, 3, 3)
    scale = kerasx.ops.vectorize(lambda u, k: kerasx.ops.multiply(u, k), excluded={1})
    np.testing.assert_allclose(kerasx.ops.convert_to_numpy(scale(x, 3.0)), x * 3.0, rtol=1e-6)


def test_slogdet_of_singular_and_permuted_matrices(backend):
    x = np.array([[[0.0, 2.0], [3.0, 1.0]], [[1.0, 2.0], [2.0, 4.0]]], "float32")
    sign, logabs = kerasx.ops.slogdet(x)
    np.testing.assert_array_equal(kerasx.ops.convert_to_numpy(sign), [-1.0, 0.0])
    got = kerasx.ops.convert_to_numpy(logabs)
    np.testing.assert_allclose(got[0], np.log(6.0), rtol=1e-6)
    assert got[1] == -np.inf


def test_slice_update_gradient(backend):
    ops = get_ops()
    w = normal(4, 5)
    inputs, updates = ops.variable(normal(4, 5)), ops.variable(normal(2, 3))
    _, (g_in, g_up) = kerasx.ops.gradients.value_and_grad(lambda: kerasx.ops.sum(
        kerasx.ops.multiply(kerasx.ops.slice_update(ops.variable_value(inputs), (1, 2),
                                                    ops.variable_value(updates)), w)),
        [inputs, updates])
    inside = np.zeros((4, 5), bool)
    inside[1:3, 2:5] = True
    np.testing.assert_array_equal(kerasx.ops.convert_to_numpy(g_in), np.where(inside, 0, w))
    np.testing.assert_array_equal(kerasx.ops.convert_to_numpy(g_up), w[1:3, 2:5])


def test_unravel_index_of_nd_indices_is_numpys(backend):
    # Keras's TensorFlow backend mixes up the axes for indices of rank > 1.
    indices = np.array([[0, 23], [13, 6]], "int64")
    got = kerasx.ops.unravel_index(indices, (2, 3, 4))
    for g, w in zip(got, np.unravel_index(indices, (2, 3, 4))):
        assert kerasx.ops.dtype(g) == "int64"
        np.testing.assert_array_equal(kerasx.ops.convert_to_numpy(g), w)


def test_segment_ids_with_gaps_count_to_the_largest(backend):
    got = kerasx.ops.segment_sum(np.ones((5,), "float32"), GAPS)
    np.testing.assert_array_equal(kerasx.ops.convert_to_numpy(got), [2.0, 1.0, 0.0, 2.0])


def test_scatter_update_last_write_wins(backend):
    out = kerasx.ops.scatter_update(np.zeros((3,), "float32"),
                                    np.array([[1], [2], [1]], "int32"),
                                    np.array([5.0, 6.0, 7.0], "float32"))
    np.testing.assert_array_equal(kerasx.ops.convert_to_numpy(out), [0.0, 7.0, 6.0])


def test_argpartition_partitions(backend):
    import keras

    # Any valid partition is right; Keras's TensorFlow backend fails on 2-D.
    assert np.asarray(keras.ops.argpartition(np.array([3.0, 1.0, 2.0]), 1)).dtype == np.int32
    x = RNG.permutation(12).reshape(2, 6).astype("float32")
    for kth in (0, 2, 5):
        got = kerasx.ops.convert_to_numpy(kerasx.ops.argpartition(x, kth))
        assert got.dtype == np.int32
        part = np.take_along_axis(x, got, axis=-1)
        np.testing.assert_array_equal(part[:, kth], np.sort(x, axis=-1)[:, kth])
        assert (part[:, :kth] <= part[:, kth:kth + 1]).all()
        assert (part[:, kth + 1:] >= part[:, kth:kth + 1]).all()


def test_cond_and_switch_match_keras(backend):
    import keras

    x = normal(3)
    for pred in (np.array(True), np.array(False)):  # Keras refuses arrays
        got = kerasx.ops.cond(pred, lambda: kerasx.ops.multiply(x, 2.0),
                              lambda: kerasx.ops.negative(x))
        np.testing.assert_array_equal(kerasx.ops.convert_to_numpy(got),
                                      x * 2.0 if pred else -x)
    for pred in (True, False):
        got = kerasx.ops.cond(pred, lambda: kerasx.ops.multiply(x, 2.0),
                              lambda: kerasx.ops.negative(x))
        want = keras.ops.cond(pred, lambda: x * 2.0, lambda: -x)
        np.testing.assert_array_equal(kerasx.ops.convert_to_numpy(got), np.asarray(want))
    branches = [lambda a: kerasx.ops.add(a, 1.0), lambda a: kerasx.ops.multiply(a, 3.0)]
    for index in (-1, 0, 1, 5, np.array(1, "int32")):
        got = kerasx.ops.switch(index, branches, x)
        want = keras.ops.switch(index, [lambda a: a + 1.0, lambda a: a * 3.0], x)
        np.testing.assert_allclose(kerasx.ops.convert_to_numpy(got), np.asarray(want))


def test_map_and_vectorized_map_match_keras(backend):
    import keras

    xs = {"a": normal(4, 3), "b": normal(4)}
    got = kerasx.ops.map(lambda d: kerasx.ops.add(kerasx.ops.sum(d["a"]), d["b"]), xs)
    want = keras.ops.map(lambda d: keras.ops.sum(d["a"]) + d["b"], xs)
    np.testing.assert_allclose(kerasx.ops.convert_to_numpy(got), np.asarray(want),
                               rtol=1e-6)
    got = kerasx.ops.vectorized_map(lambda r: kerasx.ops.cumsum(r), xs["a"])
    want = keras.ops.vectorized_map(lambda r: keras.ops.cumsum(r), xs["a"])
    np.testing.assert_allclose(kerasx.ops.convert_to_numpy(got), np.asarray(want),
                               rtol=1e-6)


@pytest.mark.parametrize("reverse", [False, True])
def test_associative_scan_matches_keras(backend, reverse):
    import keras

    x = normal(7, 3)
    got = kerasx.ops.associative_scan(kerasx.ops.add, x, reverse=reverse)
    want = keras.ops.associative_scan(keras.ops.add, x, reverse=reverse)
    np.testing.assert_allclose(kerasx.ops.convert_to_numpy(got), np.asarray(want),
                               rtol=1e-5, atol=1e-6)
    # A structure, a non-commutative operator (2x2 matrix products, rows
    # of a (5, 2, 2) stack), along axis 1.
    m = normal(2, 5, 2, 2) * 0.5
    got = kerasx.ops.associative_scan(lambda a, b: kerasx.ops.matmul(a[0], b[0]), [m],
                                      reverse=reverse, axis=1)
    want = keras.ops.associative_scan(lambda a, b: keras.ops.matmul(a[0], b[0]), [m],
                                      reverse=reverse, axis=1)
    np.testing.assert_allclose(kerasx.ops.convert_to_numpy(got[0]),
                               np.asarray(want[0]), rtol=1e-5, atol=1e-6)


def test_compiled_step_matches_eager(backend):
    ops = get_ops()
    x = normal(4, 5)
    idx = np.array([[0, 1], [3, 4], [0, 1]], "int32")

    def step(x, idx):
        k = kerasx.ops
        return [k.scatter(idx, k.ravel(x)[:3], (4, 5)),
                k.scatter_update(x, idx, k.ones((3,))),
                k.slice_update(x, (1, 1), k.zeros((2, 2))),
                k.segment_sum(x, k.convert_to_tensor([0, 1, 0, 2]), num_segments=3),
                k.in_top_k(k.convert_to_tensor([0, 1, 2, 3]), x, 2),
                k.extract_sequences(x, 2, 1),
                k.map(lambda r: k.sort(r), x),
                *k.unique(k.round(x), sorted=False, return_inverse=True, size=6),
                k.associative_scan(k.add, x, axis=1)]

    eager = step(ops.convert_to_tensor(x), ops.convert_to_tensor(idx))
    compiled = ops.compile_function(step)
    if compiled is None:
        pytest.skip(f"{backend} runs this mode eagerly")
    with warnings.catch_warnings():
        warnings.simplefilter("error", RuntimeWarning)  # MXNet: no eager fallback
        result = compiled(ops.convert_to_tensor(x), ops.convert_to_tensor(idx))
    for e, c in zip(eager, result):
        np.testing.assert_allclose(ops.to_numpy(c), ops.to_numpy(e), rtol=1e-6, atol=1e-6)


def test_compiled_cond_and_switch(backend):
    """Inside a compiled step the predicate is a traced value: TensorFlow
    holds both branches (tf.cond, tf.switch_case); MXNet, which cannot
    branch on a traced value, runs such a step eagerly (with a warning)."""
    ops = get_ops()
    k = kerasx.ops

    def step(x):
        return [k.cond(k.greater(k.sum(x), 0.0), lambda: k.exp(x), lambda: k.negative(x)),
                k.switch(k.cast(k.sum(x) > 0.0, "int32"), [k.exp, k.sin], x)]

    compiled = ops.compile_function(step)
    if compiled is None:
        pytest.skip(f"{backend} runs this mode eagerly")
    for x in (np.abs(normal(3)), -np.abs(normal(3))):
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", RuntimeWarning)
            got = compiled(ops.convert_to_tensor(x))
        want = [np.exp(x) if x.sum() > 0 else -x, np.sin(x) if x.sum() > 0 else np.exp(x)]
        for g, w in zip(got, want):
            np.testing.assert_allclose(ops.to_numpy(g), w, rtol=1e-6)


def test_bad_arguments_raise_clear_errors(backend):
    with pytest.raises(ValueError, match="reduction"):
        kerasx.ops.scatter_update(normal(3), np.array([[0]], "int32"), normal(1),
                                  reduction="mean")
    with pytest.raises(ValueError, match="do not fit"):
        kerasx.ops.slice_update(normal(3, 3), (2, 2), normal(2, 2))
    with pytest.raises(ValueError, match="once on each side"):
        kerasx.ops.rearrange(normal(2, 3), "a b -> a c")
    with pytest.raises(ValueError, match="cannot split"):
        kerasx.ops.rearrange(normal(6, 3), "(a b) c -> a b c", a=4)
    with pytest.raises(ValueError, match="sparse"):
        kerasx.ops.bincount(np.array([1, 2], "int32"), sparse=True)


@pytest.mark.parametrize("value, dtype, want", [(3, "float32", 3.0), (2.7, "int32", 2),
                                                (-2.7, "int32", -2), (0.0, "bool", False),
                                                (True, "float64", 1.0)])
def test_cast_takes_python_scalars(backend, value, dtype, want):
    # As keras.ops.cast: a Python number becomes a 0-d tensor of `dtype`
    # (float to int truncates toward zero).
    got = kerasx.ops.cast(value, dtype)
    assert kerasx.ops.dtype(got) == dtype and kerasx.ops.shape(got) == ()
    assert kerasx.ops.convert_to_numpy(got).item() == want


def test_clip_takes_tensor_bounds(backend):
    # As keras.ops.clip: bounds may be tensors, broadcast against x.
    import kerasx

    x = np.arange(5.0, dtype="float32")
    high = np.array([2.0, 2.0, 2.0, 3.0, 3.0], "float32")
    got = kerasx.ops.clip(x, kerasx.ops.convert_to_tensor(1.0), kerasx.ops.convert_to_tensor(high))
    np.testing.assert_array_equal(kerasx.ops.convert_to_numpy(got), [1.0, 1.0, 2.0, 3.0, 3.0])
    assert kerasx.ops.dtype(got) == "float32"
