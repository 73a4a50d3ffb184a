"""Small helpers over nested structures (lists, tuples, dicts) of tensors."""


def flatten(structure):
    """Leaves of a nested structure, in order (dicts by sorted key, as Keras)."""
    if isinstance(structure, dict):
        return [leaf for key in sorted(structure) for leaf in flatten(structure[key])]
    if isinstance(structure, (list, tuple)):
        return [leaf for item in structure for leaf in flatten(item)]
    return [structure]


def map_structure(fn, structure):
    """Apply `fn` to every leaf, keeping the structure."""
    if isinstance(structure, dict):
        return {k: map_structure(fn, v) for k, v in structure.items()}
    if isinstance(structure, (list, tuple)):
        return type(structure)(map_structure(fn, v) for v in structure)
    return fn(structure)


def pack_like(structure, leaves):
    """Rebuild `structure` with `leaves` (as produced by flatten) in place."""
    leaves = iter(leaves)

    def rebuild(s):
        if isinstance(s, dict):
            built = {k: rebuild(s[k]) for k in sorted(s)}  # leaves come in key order
            return {k: built[k] for k in s}
        if isinstance(s, (list, tuple)):
            return type(s)(rebuild(v) for v in s)
        return next(leaves)

    return rebuild(structure)


def is_shape(value):
    """True for a shape: a tuple of ints and Nones."""
    return isinstance(value, tuple) and all(
        d is None or (isinstance(d, int) and not isinstance(d, bool)) for d in value)


def map_shapes(fn, structure):
    """Apply `fn` to every shape (tuple of ints/None) in a nested structure."""
    if is_shape(structure):
        return fn(structure)
    if isinstance(structure, dict):
        return {k: map_shapes(fn, v) for k, v in structure.items()}
    if isinstance(structure, list) and structure and all(
            d is None or isinstance(d, int) for d in structure):
        return fn(tuple(structure))
    if isinstance(structure, (list, tuple)):
        return type(structure)(map_shapes(fn, v) for v in structure)
    raise TypeError(f"Not a shape or a structure of shapes: {structure!r}")
