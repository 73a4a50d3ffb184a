"""Argument handling shared by the ZeroPadding, Cropping and UpSampling
layers of every rank."""
from kerasx.layers.convolutional.base_conv import spatial_axes, standardize_tuple

_ORDINALS = ("1st", "2nd", "3rd")


def _is_int(value):
    return not isinstance(value, bool) and hasattr(value, "__index__")


def standardize_pairs(value, name, rank):
    """An int, a tuple of `rank` ints (symmetric per axis) or a tuple of
    `rank` pairs, as `rank` (before, after) pairs of non-negative ints.

    For rank 1 (ZeroPadding1D, Cropping1D) Keras takes an int or one pair
    and stores the pair: that is what is returned then.

    Raises:
        ValueError: for anything else, quoting the value received.
    """
    if rank == 1:
        return standardize_tuple(value, 2, name, allow_zero=True)
    if rank == 2:
        form = ("(symmetric height, symmetric width), or a tuple of 2 tuples of 2 "
                "non-negative ints ((top, bottom), (left, right))")
    else:
        form = (f"(one symmetric value per spatial axis), or a tuple of {rank} tuples "
                "of 2 non-negative ints ((before, after) per spatial axis)")
    message = (f"`{name}` must be a non-negative int, a tuple of {rank} non-negative "
               f"ints {form}. Received: {name}={value!r}.")
    if _is_int(value):
        pairs = ((value, value),) * rank
    else:
        try:
            items = tuple(value)
        except TypeError:
            raise ValueError(message) from None
        if len(items) != rank:
            raise ValueError(message)
        pairs = []
        for item in items:
            if _is_int(item):
                pairs.append((item, item))
            else:
                try:
                    pair = tuple(item)
                except TypeError:
                    raise ValueError(message) from None
                if len(pair) != 2 or not all(_is_int(v) for v in pair):
                    raise ValueError(message)
                pairs.append(pair)
    pairs = tuple(tuple(int(v) for v in pair) for pair in pairs)
    if any(v < 0 for pair in pairs for v in pair):
        raise ValueError(message)
    return pairs


def as_pairs(value, rank):
    """The per-axis (before, after) pairs of a standardized value (rank 1
    stores a single pair)."""
    return (value,) if rank == 1 else value


def checked_shape(layer, input_shape, rank):
    """`input_shape` as a tuple, checked to have rank `rank` + 2.

    Raises:
        ValueError: naming the layer and the shape received.
    """
    input_shape = tuple(input_shape)
    if len(input_shape) != rank + 2:
        raise ValueError(f"Layer {layer.name!r} expects inputs of rank {rank + 2}, but "
                         f"received input shape {input_shape}.")
    return input_shape


__all__ = ["as_pairs", "checked_shape", "spatial_axes", "standardize_pairs"]
