"""kerasx.tree: nested structures of tensors, as Keras 3's `keras.tree`.

Built on optree, the library Keras 3 and PyTorch use, with Keras's rules:
lists, tuples, namedtuples, dicts (and OrderedDict, defaultdict, deque) are
nodes; anything else, None included, is a leaf. Dicts are flattened in sorted
key order (OrderedDicts in their own order) and rebuilt with their original
key order and type; two namedtuple classes are different structures.

The front end and the plugins use this module for every walk over nested
inputs, outputs and arguments.
"""
import optree

#: optree namespace of kerasx's registered node types (none so far: the
#: default nodes above are optree's and need no registration).
_NAMESPACE = "kerasx"

__all__ = ["MAP_TO_NONE", "assert_same_paths", "assert_same_structure", "flatten",
           "flatten_with_path", "is_nested", "lists_to_tuples", "map_shape_structure",
           "map_structure", "map_structure_up_to", "pack_sequence_as", "traverse"]


class MAP_TO_NONE:
    """Special value for use with `traverse()`: a function returning it maps
    the sub-structure to None."""


def _is_leaf(structure, none_is_leaf=True):
    return optree.tree_is_leaf(structure, none_is_leaf=none_is_leaf, namespace=_NAMESPACE)


#: type -> whether its instances are leaves, as optree decides (by type).
_LEAF_TYPES = {}


def _leaf(structure):
    """Whether `structure` is a leaf (None included), asking optree once per
    type: the front end walks single tensors many times per step, and a
    dictionary lookup costs a fifth of a call into optree."""
    kind = type(structure)
    try:
        return _LEAF_TYPES[kind]
    except KeyError:
        leaf = _LEAF_TYPES[kind] = _is_leaf(structure)
        return leaf


def _flat_sequence(structure):
    """Whether `structure` is a plain list or tuple of leaves (the other
    common case on the hot path), which needs no call into optree."""
    kind = type(structure)
    return (kind is list or kind is tuple) and all(map(_leaf, structure))


def _sorted_flat_dict(structure):
    """The keys of a plain dict of leaves in sorted order (optree's), or None
    for anything else (including keys that do not sort)."""
    if type(structure) is not dict or not all(map(_leaf, structure.values())):
        return None
    try:
        return sorted(structure)
    except TypeError:
        return None


def is_nested(structure):
    """True when `structure` is a node (sequence, mapping, namedtuple), False
    for a leaf (None included)."""
    return not _leaf(structure)


def flatten(structure):
    """The leaves of `structure`, depth first, dicts in sorted key order. A
    leaf gives [leaf]; None is a leaf."""
    if _leaf(structure):
        return [structure]
    if _flat_sequence(structure):
        return list(structure)
    keys = _sorted_flat_dict(structure)
    if keys is not None:
        return [structure[k] for k in keys]
    return optree.tree_leaves(structure, none_is_leaf=True, namespace=_NAMESPACE)


def flatten_with_path(structure):
    """[(path, leaf), ...] in `flatten`'s order; a path is a tuple of the
    indices and keys leading to the leaf."""
    paths, leaves, _ = optree.tree_flatten_with_path(structure, none_is_leaf=True,
                                                     namespace=_NAMESPACE)
    return list(zip(paths, leaves))


def pack_sequence_as(structure, flat_sequence):
    """`flat_sequence` (as `flatten` orders leaves) packed into the layout of
    `structure`, with its container types and dict key order.

    Raises:
        ValueError: if `flat_sequence` has more or fewer items than
            `structure` has leaves.
    """
    spec = optree.tree_structure(structure, none_is_leaf=True, namespace=_NAMESPACE)
    return optree.tree_unflatten(spec, flat_sequence)


def map_structure(func, *structures, none_is_leaf=True):
    """`func` applied to the leaves of `structures` (one argument per
    structure), in the layout of the first. With none_is_leaf=False a None
    stays None without calling `func`.

    Raises:
        ValueError: if no structure is given, or the structures are not
            nested the same way.
    """
    if not structures:
        raise ValueError("Must provide at least one structure")
    if len(structures) == 1:
        structure = structures[0]
        if _leaf(structure):
            if structure is None and not none_is_leaf:
                return None
            return func(structure)
        if none_is_leaf and _flat_sequence(structure):
            return type(structure)([func(leaf) for leaf in structure])
        keys = _sorted_flat_dict(structure) if none_is_leaf else None
        if keys is not None:  # `func` runs in sorted key order, as optree's
            mapped = {k: func(structure[k]) for k in keys}
            return {k: mapped[k] for k in structure}
        return optree.tree_map(func, structure, none_is_leaf=none_is_leaf,
                               namespace=_NAMESPACE)

    def func_with_check(*leaves):
        # optree maps up to the first structure's leaves; Keras requires the
        # others to end there too.
        if not all(_is_leaf(leaf, none_is_leaf) for leaf in leaves):
            raise ValueError("Structures don't have the same nested structure.")
        return func(*leaves)

    return optree.tree_map(func_with_check, *structures, none_is_leaf=none_is_leaf,
                           namespace=_NAMESPACE)


def map_structure_up_to(shallow_structure, func, *structures):
    """`func` applied to the sub-structures of `structures` found at the
    leaves of `shallow_structure` (deeper parts are passed whole).

    Raises:
        ValueError: if no structure is given or one is shallower than
            `shallow_structure`.
    """
    if not structures:
        raise ValueError("Must provide at least one structure")

    def func_without_shallow(shallow, *args):
        # None leaves count as leaves, as everywhere in this module and in
        # Keras's documented examples (Keras 3.15's own code raises there).
        if not _is_leaf(shallow):
            raise ValueError("Structures don't have the same nested structure.")
        return func(*args)

    return optree.tree_map(func_without_shallow, shallow_structure, *structures,
                           none_is_leaf=True, namespace=_NAMESPACE)


def assert_same_structure(a, b, check_types=None):
    """Raise ValueError unless `a` and `b` are nested the same way (same node
    types at each level; dict, OrderedDict and defaultdict with the same keys
    match each other). `check_types` is accepted for Keras compatibility and
    has no effect, as in Keras 3."""
    def check(a_leaf, b_leaf):
        if not _is_leaf(a_leaf) or not _is_leaf(b_leaf):
            raise ValueError("Structures don't have the same nested structure.")

    optree.tree_map(check, a, b, none_is_leaf=True, namespace=_NAMESPACE)


def assert_same_paths(a, b):
    """Raise ValueError unless `a` and `b` have the same leaf paths (node
    types aside: a list matches a tuple); the message lists the differences."""
    a_paths = set(optree.tree_paths(a, none_is_leaf=True, namespace=_NAMESPACE))
    b_paths = set(optree.tree_paths(b, none_is_leaf=True, namespace=_NAMESPACE))
    if a_paths != b_paths:
        message = "`a` and `b` don't have the same paths."
        if a_paths - b_paths:
            message += f"\nPaths in `a` missing in `b`:\n{a_paths - b_paths}"
        if b_paths - a_paths:
            message += f"\nPaths in `b` missing in `a`:\n{b_paths - a_paths}"
        raise ValueError(message)


def traverse(func, structure, top_down=True):
    """Apply `func` to every sub-structure, depth first.

    Top down: `func(sub)` returning None descends into `sub` (keeping it),
    anything else replaces `sub` without descending. Bottom up: children are
    traversed first and `func` receives the rebuilt node; None keeps it.
    Returning `MAP_TO_NONE` puts None in place.
    """
    def traverse_children():
        children, spec = optree.tree_flatten(
            structure, is_leaf=lambda x: x is not structure, none_is_leaf=True,
            namespace=_NAMESPACE)
        if spec.num_nodes == 1 and spec.num_leaves == 1:
            return structure
        return optree.tree_unflatten(
            spec, [traverse(func, c, top_down=top_down) for c in children])

    if top_down:
        result = func(structure)
        if result is None:
            return traverse_children()
    else:
        rebuilt = traverse_children()
        result = func(rebuilt)
        if result is None:
            return rebuilt
    # Any class named MAP_TO_NONE, as Keras: keras.tree's own works here too.
    if isinstance(result, type) and result.__name__ == "MAP_TO_NONE":
        return None
    return result


def lists_to_tuples(structure):
    """`structure` with every list replaced by a tuple."""
    def list_to_tuple(instance):
        return tuple(instance) if isinstance(instance, list) else None

    return traverse(list_to_tuple, structure, top_down=False)


def map_shape_structure(func, structure):
    """`func` applied to every shape in `structure`: a list or tuple of ints
    and Nones (not descended into), and to any other leaf."""
    def is_shape(x):
        return isinstance(x, (list, tuple)) and all(
            isinstance(e, (int, type(None))) for e in x)

    return optree.tree_map(func, structure, is_leaf=is_shape, none_is_leaf=True,
                           namespace=_NAMESPACE)
