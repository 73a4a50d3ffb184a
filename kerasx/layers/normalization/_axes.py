"""Axis checks shared by the normalization layers that take `axis` as an int
or a list of ints (UnitNormalization, RMSNormalization)."""


def standardize_axis(axis):
    """`axis` as an int or a list of ints (Keras stores lists).

    Raises:
        TypeError: for anything else, quoting the value received.
    """
    if isinstance(axis, (list, tuple)) and axis and all(
            isinstance(a, int) and not isinstance(a, bool) for a in axis):
        return list(axis)
    if isinstance(axis, int) and not isinstance(axis, bool):
        return axis
    raise TypeError("Invalid value for `axis` argument: expected an int or a non-empty "
                    f"list/tuple of ints. Received: axis={axis!r}")


def positive_axes(axis, input_shape):
    """The axes of `axis` as sorted non-negative ints for `input_shape`.

    Raises:
        ValueError: for an axis outside the input's rank, or a repeated axis.
    """
    rank = len(input_shape)
    axes = axis if isinstance(axis, list) else [axis]
    for a in axes:
        if not -rank <= a < rank:
            raise ValueError(f"Axis {a} is out of bounds for input shape "
                             f"{tuple(input_shape)}. Received: axis={axis}")
    positive = sorted({a % rank for a in axes})
    if len(positive) != len(axes):
        raise ValueError(f"Repeated axis in axis={axis} for input shape "
                         f"{tuple(input_shape)}.")
    return tuple(positive)
