"""The array family of kerasx.ops (sorting, scans, moves, diagonals, joins,
splits, products, grids, bins) against keras.ops on every backend: values,
dtypes, and gradients where differentiable."""
import warnings

import numpy as np
import pytest

import kerasx
from kerasx.backend import get_ops
from tests.ops.array_parity import compare

RNG = np.random.default_rng(7)


def normal(*shape, dtype="float32"):
    return RNG.normal(size=shape).astype(dtype)


def distinct(*shape):
    """Values without ties (sorting gradients are then unambiguous)."""
    n = int(np.prod(shape))
    return (RNG.permutation(n).reshape(shape) * 0.37 - 3.0).astype("float32")


def ints(*shape, low=-5, high=5, dtype="int32"):
    return RNG.integers(low, high, size=shape).astype(dtype)


TIES = np.array([[2.0, 1.0, 2.0, 0.0, 1.0], [3.0, 3.0, 3.0, -1.0, 3.0]], "float32")
WITH_NANS = np.array([[1.5, np.nan, -2.0, 0.5], [np.nan, 0.7, 3.0, -1.0]], "float32")
WITH_ZEROS = np.array([[1.5, 0.0, -2.0, 0.5], [0.0, 0.0, 3.0, -1.0]], "float32")

# (name, args, kwargs, differentiated positions)
CASES = [
    ("sort", [distinct(3, 5)], {}, (0,)),
    ("sort", [distinct(3, 4, 2)], {"axis": 1}, (0,)),
    ("sort", [distinct(3, 4)], {"axis": None}, (0,)),
    ("sort", [ints(4, 6)], {"axis": 0}, ()),
    ("sort", [np.array([True, False, True, False])], {}, ()),
    ("argsort", [TIES], {}, ()),
    ("argsort", [TIES], {"axis": 0}, ()),
    ("argsort", [ints(3, 7, low=0, high=3)], {"axis": None}, ()),
    ("argsort", [np.array([True, False, True])], {}, ()),
    ("cumsum", [normal(3, 4)], {}, (0,)),
    ("cumsum", [normal(3, 4)], {"axis": 1}, (0,)),
    ("cumsum", [normal(2, 3, 4)], {"axis": -2}, (0,)),
    ("cumsum", [ints(3, 4)], {"axis": 0}, ()),
    ("cumsum", [np.array([True, False, True])], {}, ()),
    ("cumsum", [ints(2, 3)], {"axis": 1, "dtype": "float32"}, ()),
    ("cumprod", [normal(3, 5)], {"axis": 1}, (0,)),
    # Keras's TensorFlow gradient is wrong at zeros (see the exact test below).
    ("cumprod", [WITH_ZEROS], {"axis": 1}, ()),
    ("cumprod", [normal(2, 3)], {}, (0,)),
    ("cumprod", [ints(3, 4, low=-3, high=3)], {"axis": 0}, ()),
    ("nancumsum", [WITH_NANS], {"axis": 1}, (0,)),
    ("nancumsum", [ints(3, 4)], {}, ()),
    ("nancumprod", [WITH_NANS], {"axis": 0}, (0,)),
    ("nancumprod", [WITH_NANS], {}, (0,)),
    ("searchsorted", [np.array([-1.0, 0.0, 0.5, 2.0], "float32"),
                      np.array([-2.0, 0.0, 0.7, 2.0, 3.0, 0.5], "float32")], {}, ()),
    ("searchsorted", [np.array([-1.0, 0.0, 0.5, 2.0], "float32"),
                      np.array([-2.0, 0.0, 0.7, 2.0, 3.0, 0.5], "float32")],
     {"side": "right"}, ()),
    ("searchsorted", [np.array([1, 3, 3, 7], "int32"), np.array([0, 3, 5, 9], "int32")],
     {"side": "left"}, ()),
    ("nonzero", [WITH_ZEROS], {}, ()),
    ("nonzero", [np.array([0, 2, 0, 1], "int32")], {}, ()),
    # moves
    ("flip", [normal(2, 3, 4)], {}, (0,)),
    ("flip", [normal(2, 3, 4)], {"axis": 1}, (0,)),
    ("flip", [normal(2, 3, 4)], {"axis": (0, -1)}, (0,)),
    ("flip", [ints(3, 2)], {"axis": 0}, ()),
    ("fliplr", [normal(3, 4)], {}, (0,)),
    ("flipud", [normal(3, 4)], {}, (0,)),
    ("roll", [normal(3, 4)], {"shift": 2}, (0,)),
    ("roll", [normal(3, 4)], {"shift": -1, "axis": 1}, (0,)),
    ("roll", [normal(3, 4, 2)], {"shift": (1, 5), "axis": (0, 1)}, (0,)),
    ("rot90", [normal(3, 4)], {}, (0,)),
    ("rot90", [normal(3, 4, 2)], {"k": 3, "axes": (2, 0)}, (0,)),
    ("rot90", [normal(3, 4)], {"k": -1}, (0,)),
    ("repeat", [normal(2, 3)], {"repeats": 2}, (0,)),
    ("repeat", [normal(2, 3)], {"repeats": 3, "axis": 1}, (0,)),
    ("repeat", [normal(3, 2)], {"repeats": [1, 0, 2], "axis": 0}, (0,)),
    ("swapaxes", [normal(2, 3, 4)], {"axis1": 0, "axis2": 2}, (0,)),
    ("moveaxis", [normal(2, 3, 4)], {"source": 0, "destination": -1}, (0,)),
    ("moveaxis", [normal(2, 3, 4, 5)], {"source": (0, 1), "destination": (3, 0)}, (0,)),
    ("ravel", [normal(2, 3)], {}, (0,)),
    ("copy", [normal(2, 3)], {}, (0,)),
    ("copy", [np.array(1.5, "float32")], {}, ()),
    ("array", [[[1.0, 2.0], [3.0, 4.0]]], {}, ()),
    ("array", [np.arange(4)], {"dtype": "float32"}, ()),
    ("size", [normal(2, 3, 4)], {}, ()),
    ("view", [normal(2, 3)], {"dtype": "int32"}, ()),
    ("view", [np.array([[1, 2], [3, -4]], "int64")], {"dtype": "float64"}, ()),
    ("view", [normal(2, 4)], {"dtype": "float64"}, ()),
    ("view", [normal(2, 3, dtype="float64")], {"dtype": "int32"}, ()),
    ("view", [normal(3, 2)], {"dtype": "float16"}, ()),

    # triangles and diagonals
    ("tril", [normal(4, 5)], {}, (0,)),
    ("tril", [normal(2, 4, 3)], {"k": -1}, (0,)),
    ("triu", [normal(4, 5)], {"k": 1}, (0,)),
    ("triu", [ints(2, 3, 3)], {}, ()),
    ("diagonal", [normal(4, 5)], {}, (0,)),
    ("diagonal", [normal(4, 5)], {"offset": 2}, (0,)),
    ("diagonal", [normal(2, 4, 3)], {"offset": -1, "axis1": 1, "axis2": 2}, (0,)),
    ("diagonal", [normal(3, 2, 4)], {"axis1": 2, "axis2": 0}, (0,)),
    ("diag", [normal(3)], {}, (0,)),
    ("diag", [normal(3)], {"k": 2}, (0,)),
    ("diag", [normal(3)], {"k": -1}, (0,)),
    ("diag", [normal(4, 3)], {"k": 1}, (0,)),
    ("diagflat", [normal(2, 2)], {"k": -1}, (0,)),
    ("trace", [normal(4, 5)], {}, (0,)),
    ("trace", [normal(2, 3, 4)], {"offset": 1, "axis1": 1, "axis2": 2}, (0,)),
    ("trace", [ints(3, 3)], {}, ()),
    # differences, joins, splits
    ("diff", [normal(3, 5)], {}, (0,)),
    ("diff", [normal(4, 3)], {"n": 2, "axis": 0}, (0,)),
    ("append", [normal(2, 3), normal(1, 3)], {}, (0, 1)),
    ("append", [normal(2, 3), normal(1, 3)], {"axis": 0}, (0, 1)),
    ("hstack", [[normal(3), normal(2)]], {}, ()),
    ("hstack", [[normal(2, 3), normal(2, 1)]], {}, ()),
    ("vstack", [[normal(1, 3), normal(2, 3)]], {}, ()),
    ("dstack", [[normal(3), normal(3)]], {}, ()),
    ("dstack", [[normal(2, 3), normal(2, 3, 2)]], {}, ()),
    ("array_split", [normal(7, 2)], {"indices_or_sections": 3}, (0,)),
    ("array_split", [normal(2, 7)], {"indices_or_sections": 3, "axis": 1}, (0,)),
    ("hsplit", [normal(2, 6)], {"indices_or_sections": 3}, (0,)),
    ("vsplit", [normal(4, 3)], {"indices_or_sections": [1]}, (0,)),
    ("dsplit", [normal(2, 2, 4)], {"indices_or_sections": 2}, (0,)),
    ("count_nonzero", [WITH_ZEROS], {}, ()),
    ("count_nonzero", [WITH_ZEROS], {"axis": 1}, ()),
    # products
    ("outer", [normal(3), normal(2, 2)], {}, (0, 1)),
    ("inner", [normal(2, 3), normal(4, 3)], {}, (0, 1)),
    ("vdot", [normal(2, 3), normal(6)], {}, (0, 1)),
    ("dot", [normal(3, 4), normal(4, 2)], {}, (0, 1)),
    ("dot", [normal(4), normal(4)], {}, (0, 1)),
    ("dot", [normal(2, 3, 4), normal(4)], {}, (0, 1)),
    ("dot", [normal(2, 3, 4), normal(5, 4, 2)], {}, (0, 1)),
    ("dot", [normal(2, 3), np.float32(2.0)], {}, (0,)),
    ("tensordot", [normal(2, 3, 4), normal(3, 4, 5)], {}, (0, 1)),
    ("tensordot", [normal(2, 3, 4), normal(4, 2)], {"axes": ([0, 2], [1, 0])}, (0, 1)),
    ("tensordot", [normal(2, 3), normal(4)], {"axes": 0}, (0, 1)),
    ("kron", [normal(2, 3), normal(2, 2)], {}, (0, 1)),
    ("kron", [normal(3), normal(2, 2)], {}, (0, 1)),
    ("cross", [normal(4, 3), normal(4, 3)], {}, (0, 1)),
    ("cross", [normal(3, 2), normal(3, 3)], {}, (0, 1)),
    ("cross", [normal(3, 2), normal(3, 2)], {}, (0, 1)),
    ("cross", [normal(3, 4), normal(4, 3)], {"axisa": 0, "axisb": 1, "axisc": 0}, (0, 1)),
    # grids, bins, membership, selection
    ("meshgrid", [normal(3), normal(2)], {}, ()),
    ("meshgrid", [normal(3), normal(2), normal(4)], {"indexing": "ij"}, ()),
    ("meshgrid", [normal(3), normal(2), normal(4)], {}, ()),
    ("digitize", [normal(3, 4)], {"bins": [-1.0, 0.0, 0.5]}, ()),
    ("digitize", [ints(5)], {"bins": [-2, 0, 3]}, ()),
    ("isin", [ints(3, 4), np.array([0, 2, -3], "int32")], {}, ()),
    ("isin", [ints(3, 4), np.array([0, 2, -3], "int32")], {"invert": True}, ()),
    ("select", [[np.array([True, False, False]), np.array([True, True, False])],
                [normal(3), normal(3)]], {"default": -1.0}, ()),
]


def _id(case):
    name, _, kwargs, _ = case
    return name + ("[" + ",".join(f"{k}={v}" for k, v in kwargs.items()) + "]"
                   if kwargs else "")


@pytest.mark.parametrize("case", CASES, ids=[_id(c) for c in CASES])
def test_matches_keras(backend, case):
    name, args, kwargs, grad = case
    compare(name, args, kwargs, grad)


def test_numpy_semantics_where_keras_tensorflow_differs(backend):
    # Keras's TensorFlow backend rotates a 3-D tensor by 180 degrees in the
    # wrong plane and stacks 1-D tensors into one long vector; NumPy (and
    # Keras's JAX backend) rotate in `axes` and stack rows.
    x = normal(3, 4, 2)
    np.testing.assert_array_equal(
        kerasx.ops.convert_to_numpy(kerasx.ops.rot90(x, k=2)), np.rot90(x, 2))
    a, b = normal(3), normal(3)
    np.testing.assert_array_equal(
        kerasx.ops.convert_to_numpy(kerasx.ops.vstack([a, b])), np.vstack([a, b]))
    # Keras's TensorFlow array_split takes only an int; split points are NumPy's.
    y = normal(2, 7)
    for got, want in zip(kerasx.ops.array_split(y, [2, 5], axis=1),
                         np.array_split(y, [2, 5], axis=1)):
        np.testing.assert_array_equal(kerasx.ops.convert_to_numpy(got), want)


def test_view_of_bool_is_numpys(backend):
    # Keras's TensorFlow backend cannot bitcast bool.
    x = np.array([[True, False, False, False, False, True, False, False]])
    got = kerasx.ops.view(x, "int32")
    np.testing.assert_array_equal(kerasx.ops.convert_to_numpy(got), x.view("int32"))
    back = kerasx.ops.view(got, "bool")
    np.testing.assert_array_equal(kerasx.ops.convert_to_numpy(back), x)


def test_cumprod_gradient_through_zeros_is_exact(backend):
    # d/dx of sum(cumprod(x)) at x = [2, 0, 3]: [1, 2 + 6, 0] (no NaN).
    ops = get_ops()
    v = ops.variable(np.array([2.0, 0.0, 3.0], "float32"))
    _, (g,) = kerasx.ops.gradients.value_and_grad(
        lambda: kerasx.ops.sum(kerasx.ops.cumprod(ops.variable_value(v))), [v])
    np.testing.assert_array_equal(kerasx.ops.convert_to_numpy(g), [1.0, 8.0, 0.0])


def test_argsort_is_stable_on_long_rows(backend):
    x = RNG.integers(0, 3, size=(3, 300)).astype("float32")
    got = kerasx.ops.convert_to_numpy(kerasx.ops.argsort(x))
    np.testing.assert_array_equal(got, np.argsort(x, axis=-1, kind="stable"))


def test_compiled_step_matches_eager(backend):
    """The composites and kernels inside the backend's compiled function
    (tf.function, an MXNet trace; torch compiles only with jit_compile)."""
    ops = get_ops()
    x = normal(4, 5)

    def step(x):
        return [kerasx.ops.sort(x), kerasx.ops.cumsum(x, axis=1),
                kerasx.ops.cumprod(x, axis=0), kerasx.ops.flip(x, axis=1),
                kerasx.ops.roll(x, 2, axis=1), kerasx.ops.tril(x),
                kerasx.ops.diagonal(x), kerasx.ops.repeat(x, 2, axis=0),
                kerasx.ops.tensordot(x, x, ([1], [1])), kerasx.ops.argsort(x),
                kerasx.ops.searchsorted(kerasx.ops.sort(x[0]), x)]

    eager = step(ops.convert_to_tensor(x))
    compiled = ops.compile_function(step)
    if compiled is None:
        pytest.skip(f"{backend} runs this mode eagerly")
    with warnings.catch_warnings():
        warnings.simplefilter("error", RuntimeWarning)  # MXNet: no eager fallback
        result = compiled(ops.convert_to_tensor(x))
    for e, c in zip(eager, result):
        np.testing.assert_allclose(ops.to_numpy(c), ops.to_numpy(e), rtol=1e-6, atol=1e-6)


def test_bad_arguments_raise_clear_errors(backend):
    with pytest.raises(ValueError, match="1-D"):
        kerasx.ops.searchsorted(normal(2, 2), normal(3))
    with pytest.raises(ValueError, match="2-D"):
        kerasx.ops.tril(normal(3))
    with pytest.raises(ValueError, match="out of bounds"):
        kerasx.ops.flip(normal(3), axis=2)
    with pytest.raises(ValueError, match="cannot be read"):
        kerasx.ops.view(normal(3), "float64")
    with pytest.raises(ValueError, match="repeats"):
        kerasx.ops.repeat(normal(3), [1, 2])
