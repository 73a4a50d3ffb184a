"""Multiply: the element-wise product of its inputs."""
from kerasx.backend import get_ops
from kerasx.layers.merging.base_merge import Merge


class Multiply(Merge):
    """Product of a list of tensors of the same (broadcastable) shape."""

    def _merge_function(self, inputs):
        ops = get_ops()
        out = inputs[0]
        for x in inputs[1:]:
            out = ops.multiply(out, x)
        return out


def multiply(inputs, **kwargs):
    """Functional form of Multiply, as keras.layers.multiply."""
    return Multiply(**kwargs)(inputs)
