"""Subtract: inputs[0] - inputs[1]."""
from kerasx.backend import get_ops
from kerasx.layers.merging.base_merge import Merge


class Subtract(Merge):
    """Difference of exactly two tensors of the same (broadcastable) shape.

    Raises:
        ValueError: when called on other than two inputs.
    """

    min_inputs = max_inputs = 2

    def _merge_function(self, inputs):
        return get_ops().subtract(inputs[0], inputs[1])


def subtract(inputs, **kwargs):
    """Functional form of Subtract, as keras.layers.subtract."""
    return Subtract(**kwargs)(inputs)
