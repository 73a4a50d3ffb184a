"""kerasx.tree against Keras 3's keras.tree on the same structures:
namedtuples, dicts (unsorted keys, OrderedDict, defaultdict), nested lists
and tuples, deques, None leaves, empty containers and tensors as leaves."""
import collections

import numpy as np
import pytest

from kerasx import tree

keras = pytest.importorskip("keras")

Point = collections.namedtuple("Point", ["x", "y"])
OtherPoint = collections.namedtuple("Point", ["x", "y"])  # same name, other class


def _structures():
    ordered = collections.OrderedDict([("z", 1), ("a", [2, None])])
    default = collections.defaultdict(list, {"b": 3, "a": (4, 5)})
    return {
        "leaf": 7,
        "none": None,
        "namedtuple": Point(1, [2, Point(3, None)]),
        "dict": {"zeta": 1, "alpha": [2, 3], "mid": {"q": None, "b": (4,)}},
        "nested": [1, (2, [3, (4, None)]), [], (), {}],
        "ordered": ordered,
        "defaultdict": default,
        "deque": collections.deque([1, (2, 3)]),
        "arrays": {"y": np.ones(2), "x": [np.zeros(1), None]},
        # Flat ones (kerasx.tree's fast paths), and keys that do not sort.
        "flat_tuple": (1, None, "s"),
        "flat_list": [np.ones(1), 2],
        "flat_dict": {"b": 1, "a": None, "c": "s"},
        "unsortable": {2: "two", "a": 1},
    }


STRUCTURES = _structures()
IDS = list(STRUCTURES)


def _typed(structure):
    """A comparable description of a structure: its container types, dict key
    order and leaves (arrays by their values)."""
    if isinstance(structure, np.ndarray):
        return ("array", structure.tolist())
    if isinstance(structure, dict):
        return (type(structure).__name__, [(k, _typed(v)) for k, v in structure.items()])
    if isinstance(structure, (list, tuple, collections.deque)):
        return (type(structure), [_typed(v) for v in structure])
    return structure


@pytest.mark.parametrize("name", IDS)
def test_flatten_and_paths_as_keras(name):
    structure = STRUCTURES[name]
    assert _typed(tree.flatten(structure)) == _typed(keras.tree.flatten(structure))
    assert _typed(tree.flatten_with_path(structure)) == \
        _typed(keras.tree.flatten_with_path(structure))
    assert tree.is_nested(structure) == keras.tree.is_nested(structure)


def test_flatten_orders_dicts_by_key_and_keeps_none():
    assert tree.flatten(STRUCTURES["dict"]) == [2, 3, 4, None, 1]
    assert tree.flatten(STRUCTURES["namedtuple"]) == [1, 2, 3, None]
    assert tree.flatten(STRUCTURES["ordered"]) == [1, 2, None]  # its own order
    assert tree.flatten(None) == [None]


@pytest.mark.parametrize("name", IDS)
def test_pack_sequence_as_as_keras(name):
    structure = STRUCTURES[name]
    flat = list(range(len(tree.flatten(structure))))
    packed = tree.pack_sequence_as(structure, flat)
    assert _typed(packed) == _typed(keras.tree.pack_sequence_as(structure, flat))
    # Round trip: types (namedtuples included) and dict key order kept.
    assert tree.flatten(packed) == flat


def test_pack_sequence_as_keeps_namedtuple_and_key_order():
    packed = tree.pack_sequence_as({"b": Point(0, 0), "a": [0]}, ["a0", "bx", "by"])
    assert list(packed) == ["b", "a"]
    assert packed["b"] == Point("bx", "by") and type(packed["b"]) is Point
    assert packed["a"] == ["a0"]
    with pytest.raises(ValueError):
        tree.pack_sequence_as([0, 0], [1, 2, 3])


@pytest.mark.parametrize("name", IDS)
def test_map_structure_as_keras(name):
    structure = STRUCTURES[name]

    def describe(leaf):
        return ("leaf", _typed(leaf))

    assert _typed(tree.map_structure(describe, structure)) == \
        _typed(keras.tree.map_structure(describe, structure))
    assert _typed(tree.map_structure(describe, structure, none_is_leaf=False)) == \
        _typed(keras.tree.map_structure(describe, structure, none_is_leaf=False))


def test_map_structure_calls_in_flatten_order_as_keras():
    for structure in (STRUCTURES["flat_dict"], STRUCTURES["dict"], [3, (1, 2)]):
        ours, theirs = [], []
        tree.map_structure(ours.append, structure)
        keras.tree.map_structure(theirs.append, structure)
        assert ours == theirs == tree.flatten(structure)


def test_map_structure_on_namedtuples_and_several_structures():
    # The defect kerasx.engine.tree had: namedtuples could not be rebuilt.
    assert tree.map_structure(lambda v: v * 10, Point(1, 2)) == Point(10, 20)
    assert tree.map_structure(lambda a, b: a + b, [1, (2, 3)], [10, (20, 30)]) == \
        [11, (22, 33)]
    for a, b in (([1, 2], (1, 2)), (Point(1, 2), OtherPoint(1, 2)), ([1, [2]], [1, 2])):
        with pytest.raises(ValueError):
            tree.map_structure(lambda x, y: x, a, b)
        with pytest.raises(ValueError):
            keras.tree.map_structure(lambda x, y: x, a, b)
    with pytest.raises(ValueError):
        tree.map_structure(lambda x: x)


@pytest.mark.parametrize("top_down", [True, False])
@pytest.mark.parametrize("name", IDS)
def test_traverse_as_keras(name, top_down):
    structure = STRUCTURES[name]
    ours, theirs = [], []

    def record(into):
        def visit(sub):
            into.append(_typed(sub))
            if isinstance(sub, int) and sub == 2:
                return "two"  # replace (and, top down, do not descend)
            if isinstance(sub, tuple) and not sub:
                return (keras.tree.MAP_TO_NONE if into is theirs else tree.MAP_TO_NONE)
            return None
        return visit

    got = tree.traverse(record(ours), structure, top_down=top_down)
    want = keras.tree.traverse(record(theirs), structure, top_down=top_down)
    assert _typed(got) == _typed(want)
    assert ours == theirs


@pytest.mark.parametrize("name", IDS)
def test_lists_to_tuples_and_shapes_as_keras(name):
    structure = STRUCTURES[name]
    assert _typed(tree.lists_to_tuples(structure)) == \
        _typed(keras.tree.lists_to_tuples(structure))
    shapes = {"a": [(None, 3), [2, 4]], "b": Point((1,), ()), "c": None}
    assert _typed(tree.map_shape_structure(lambda s: ("shape", s), shapes)) == \
        _typed(keras.tree.map_shape_structure(lambda s: ("shape", s), shapes))


def test_map_structure_up_to_as_keras():
    structure = [[1, 1], [2, (2, 3)]]
    for shallow, fn in (([0, 0], len), ([0, [0, 0]], str), ({"a": 0}, repr)):
        args = (shallow, fn, structure if isinstance(shallow, list) else {"a": [1]})
        assert tree.map_structure_up_to(*args) == keras.tree.map_structure_up_to(*args)
    # Keras's docstring examples, with None as the shallow leaves (Keras
    # 3.15's code raises on these, contradicting its documentation).
    assert tree.map_structure_up_to([None, None], len, structure) == [2, 2]
    assert tree.map_structure_up_to([None, [None, None]], str, structure) == \
        ["[1, 1]", ["2", "(2, 3)"]]
    with pytest.raises(ValueError):
        tree.map_structure_up_to([None, [None, None]], str, [1, 2])


def test_assert_same_structure_and_paths_as_keras():
    same = [([(0, 1)], [(2, 3)]), (Point(0, 1), Point(2, 3)),
            ({"a": 1, "b": [2]}, collections.OrderedDict([("b", [0]), ("a", 5)])),
            ([None, 1], [2, 3])]
    different = [([0, 1], (0, 1)), (Point(0, 1), OtherPoint(0, 1)), ([0, [1]], [0, 1]),
                 ({"a": 1}, {"b": 1})]
    for a, b in same:
        tree.assert_same_structure(a, b)
        keras.tree.assert_same_structure(a, b)
    for a, b in different:
        with pytest.raises(ValueError):
            tree.assert_same_structure(a, b)
        with pytest.raises(ValueError):
            keras.tree.assert_same_structure(a, b)
    tree.assert_same_paths([0, 1], (2, 3))
    tree.assert_same_paths(Point(0, 1), OtherPoint(2, 3))
    with pytest.raises(ValueError, match="Paths in `a` missing in `b`"):
        tree.assert_same_paths({"a": 1, "b": 2}, {"a": 1})


def test_the_public_api_is_keras():
    public = sorted(n for n in dir(keras.tree) if not n.startswith("_"))
    assert sorted(tree.__all__) == public
    assert all(callable(getattr(tree, n)) for n in public)


def test_backend_tensors_are_leaves(backend):
    from kerasx.backend import get_ops

    ops = get_ops()
    t = ops.convert_to_tensor(np.arange(3.0))
    structure = {"b": Point(t, None), "a": [t]}
    assert [x is t for x in tree.flatten(structure)] == [True, True, False]
    doubled = tree.map_structure(lambda x: None if x is None else ops.multiply(x, 2.0),
                                 structure)
    assert type(doubled["b"]) is Point and doubled["b"].y is None
    np.testing.assert_array_equal(ops.to_numpy(doubled["a"][0]), [0.0, 2.0, 4.0])


def test_layer_and_model_with_namedtuple_outputs(backend):
    """The front end walks structures with kerasx.tree: a layer returning a
    namedtuple works eagerly, symbolically and in a model's predict (the old
    kerasx.engine.tree failed to rebuild namedtuples)."""
    import kerasx

    class Split(kerasx.layers.Layer):
        def call(self, x):
            return Point(kerasx.ops.sum(x, axis=-1), kerasx.ops.multiply(x, 2.0))

    x = np.arange(6, dtype="float32").reshape(2, 3)
    eager = Split()(x)
    assert type(eager) is Point
    np.testing.assert_array_equal(kerasx.ops.convert_to_numpy(eager.x), [3.0, 12.0])
    inputs = kerasx.Input((3,))
    symbolic = Split()(inputs)
    assert type(symbolic) is Point
    assert (symbolic.x.shape, symbolic.y.shape) == ((None,), (None, 3))
    predicted = kerasx.Model(inputs, symbolic).predict(x, verbose=0)
    assert type(predicted) is Point
    np.testing.assert_array_equal(predicted.y, 2 * x)
