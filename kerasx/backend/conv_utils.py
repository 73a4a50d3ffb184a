"""Shape arithmetic for convolution and pooling, shared by every plugin.

TensorFlow's definition of padding is the reference: "same" gives
ceil(n / stride) outputs and puts the odd pixel of padding after the input.
"""


def normalize_tuple(value, rank, name):
    """Turn an int or a sequence into a tuple of `rank` positive ints."""
    if isinstance(value, int):
        value = (value,) * rank
    value = tuple(int(v) for v in value)
    if len(value) != rank or any(v < 1 for v in value):
        raise ValueError(
            f"`{name}` must be an int or a tuple of {rank} positive ints; "
            f"received {value!r}."
        )
    return value


def normalize_padding(padding):
    p = str(padding).lower()
    if p not in ("valid", "same"):
        raise ValueError(f"`padding` must be 'valid' or 'same'; received {padding!r}.")
    return p


def normalize_data_format(data_format):
    if data_format not in ("channels_last", "channels_first"):
        raise ValueError(
            "`data_format` must be 'channels_last' or 'channels_first'; "
            f"received {data_format!r}."
        )
    return data_format


def same_padding(length, window, stride, dilation=1):
    """(before, after) padding that TensorFlow's "same" applies to one axis."""
    effective = (window - 1) * dilation + 1
    out = -(-length // stride)
    total = max((out - 1) * stride + effective - length, 0)
    return total // 2, total - total // 2


def output_length(length, window, stride, padding, dilation=1):
    """Output length of a convolution or pooling along one axis."""
    effective = (window - 1) * dilation + 1
    if padding == "same":
        return -(-length // stride)
    return max((length - effective) // stride + 1, 0)


def transpose_output_length(length, window, stride, padding, output_padding=None,
                            dilation=1):
    """Output length of a transposed convolution along one axis (as Keras)."""
    effective = (window - 1) * dilation + 1
    if output_padding is None:
        if padding == "valid":
            return length * stride + max(effective - stride, 0)
        return length * stride
    pad = effective // 2 if padding == "same" else 0
    return (length - 1) * stride + effective - 2 * pad + output_padding


def transpose_crop(length, window, stride, padding, output_padding=None, dilation=1):
    """(out_length, crop_before) of a transposed convolution along one axis.

    The "full" transposed output has (length - 1) * stride + effective window
    elements; the result is `out_length` of them starting at `crop_before`
    (elements past the full output are zeros). "valid" never crops the
    front, as TensorFlow's VALID transposed convolution.
    """
    effective = (window - 1) * dilation + 1
    out = transpose_output_length(length, window, stride, padding, output_padding,
                                  dilation)
    if padding == "valid":
        return out, 0
    total = max((length - 1) * stride + effective - out, 0)
    return out, total // 2
