"""Reshape: give the non-batch axes a new shape."""
import math

from kerasx.backend import get_ops
from kerasx.layers.layer import Layer


def _is_int(value):
    return not isinstance(value, bool) and hasattr(value, "__index__")


def resolve_target_shape(input_shape, target_shape):
    """`target_shape` with its -1 resolved against `input_shape` (both
    without the batch axis); the -1 stays None when the input has an unknown
    axis.

    Raises:
        ValueError: when the sizes cannot match.
    """
    input_shape, target_shape = tuple(input_shape), tuple(target_shape)
    if any(d is None for d in input_shape):
        return tuple(None if d == -1 else d for d in target_shape)
    size = math.prod(input_shape)
    known = math.prod(d for d in target_shape if d != -1)
    if -1 not in target_shape:
        if known != size:
            raise ValueError(
                "The total size of the tensor must be unchanged. Received: input "
                f"shape (without batch) {input_shape} ({size} values), "
                f"target_shape={target_shape} ({known} values).")
        return target_shape
    if known == 0 or size % known:
        raise ValueError(
            "The total size of the tensor must be unchanged, but the input size "
            f"{size} cannot be divided by the product of the known dimensions of "
            f"target_shape ({known}). Received: input shape (without batch) "
            f"{input_shape}, target_shape={target_shape}.")
    return tuple(size // known if d == -1 else d for d in target_shape)


class Reshape(Layer):
    """Reshape each sample to `target_shape`, as keras.layers.Reshape.

    Args:
        target_shape: tuple of ints, without the batch axis; at most one -1,
            inferred from the input size.

    Raises:
        ValueError: for a target shape with a non-integer, a value below -1 or
            more than one -1; at call time, for an input whose size does not
            match.
    """

    def __init__(self, target_shape, **kwargs):
        super().__init__(**kwargs)
        try:
            target_shape = tuple(target_shape)
        except TypeError:
            raise ValueError("`target_shape` must be a tuple of ints. Received: "
                             f"target_shape={target_shape!r}.") from None
        if not all(_is_int(d) and d >= -1 for d in target_shape):
            raise ValueError(
                "Each dimension of `target_shape` must be a non-negative integer, or "
                f"-1 for a single unknown dimension. Received: "
                f"target_shape={target_shape!r}.")
        target_shape = tuple(int(d) for d in target_shape)
        if target_shape.count(-1) > 1:
            raise ValueError("There must be at most one unknown dimension (-1) in "
                             f"`target_shape`. Received: target_shape={target_shape}.")
        self.target_shape = target_shape
        self.built = True

    def call(self, inputs):
        ops = get_ops()
        shape = ops.shape(inputs)
        target = resolve_target_shape(shape[1:], self.target_shape)
        return ops.reshape(inputs, (shape[0],) + target)

    def compute_output_shape(self, input_shape):
        input_shape = tuple(input_shape)
        return (input_shape[0],) + resolve_target_shape(input_shape[1:],
                                                        self.target_shape)

    def get_config(self):
        return {**super().get_config(), "target_shape": self.target_shape}
