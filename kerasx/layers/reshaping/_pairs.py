"""Argument handling shared by ZeroPadding2D and Cropping2D."""


def _is_int(value):
    return not isinstance(value, bool) and hasattr(value, "__index__")


def standardize_pairs(value, name):
    """An int, a pair of ints (symmetric per axis) or a pair of pairs, as
    ((top, bottom), (left, right)) of non-negative ints.

    Raises:
        ValueError: for anything else, quoting the value received.
    """
    message = (f"`{name}` must be a non-negative int, a tuple of 2 non-negative ints "
               "(symmetric height, symmetric width), or a tuple of 2 tuples of 2 "
               f"non-negative ints ((top, bottom), (left, right)). Received: "
               f"{name}={value!r}.")
    if _is_int(value):
        pairs = ((value, value), (value, value))
    else:
        try:
            items = tuple(value)
        except TypeError:
            raise ValueError(message) from None
        if len(items) != 2:
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


def spatial_axes_2d(data_format):
    return (1, 2) if data_format == "channels_last" else (2, 3)


def check_rank_4(layer, input_shape):
    input_shape = tuple(input_shape)
    if len(input_shape) != 4:
        raise ValueError(f"Layer {layer.name!r} expects inputs of rank 4, but received "
                         f"input shape {input_shape}.")
    return input_shape
