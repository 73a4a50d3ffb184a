"""Categorical encodings of integer tensors with backend ops (so that
CategoryEncoding and Discretization also run inside compiled steps), with
the semantics of Keras's `encode_categorical_inputs`."""
from kerasx.backend import get_ops


def check_rank(rank, output_mode):
    """Raise ValueError for inputs of rank above 2 in a non-"int" mode."""
    if output_mode != "int" and rank > 2:
        raise ValueError("When output_mode is not `'int'`, maximum supported output rank "
                         f"is 2. Received output_mode {output_mode} and input rank "
                         f"{rank}.")


def encode_tensor(indices, output_mode, depth, dtype, count_weights=None):
    """`indices` (an integer tensor) as "int" (cast to `dtype`), "one_hot"
    (a new axis of size `depth`; a trailing axis of size 1 is replaced),
    "multi_hot" or "count" (the last axis reduced to `depth` bins; a rank-1
    input is one sample). Indices outside [0, depth) give no bin."""
    ops = get_ops()
    if output_mode == "int":
        return ops.cast(indices, dtype)
    rank = len(ops.shape(indices))
    if rank == 0:
        indices = ops.expand_dims(indices, -1)
        rank = 1
    check_rank(rank, output_mode)
    if output_mode == "one_hot":
        if rank == 2 and ops.shape(indices)[-1] == 1:
            indices = ops.squeeze(indices, -1)
        return ops.one_hot(indices, depth, dtype=dtype)
    hot = ops.one_hot(indices, depth, dtype=dtype)
    if output_mode == "multi_hot":
        return ops.max(hot, axis=-2)
    if output_mode == "count":
        if count_weights is not None:
            hot = ops.multiply(hot, ops.expand_dims(ops.cast(count_weights, dtype), -1))
        return ops.sum(hot, axis=-2)
    raise ValueError(f"Unknown output_mode {output_mode!r}.")


def encoded_shape(input_shape, output_mode, depth):
    """The shape `encode_tensor` gives for inputs of `input_shape`."""
    input_shape = tuple(input_shape)
    if output_mode == "int":
        return input_shape
    if not input_shape:
        return (depth,)
    if output_mode == "one_hot":
        if len(input_shape) > 1 and input_shape[-1] == 1:
            return input_shape[:-1] + (depth,)
        return input_shape + (depth,)
    return input_shape[:-1] + (depth,)
