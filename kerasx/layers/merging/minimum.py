"""Minimum: the element-wise minimum of its inputs."""
from kerasx.backend import get_ops
from kerasx.layers.merging.base_merge import Merge


class Minimum(Merge):
    """Element-wise minimum of a list of tensors."""

    def _merge_function(self, inputs):
        ops = get_ops()
        out = inputs[0]
        for x in inputs[1:]:
            out = ops.minimum(out, x)
        return out


def minimum(inputs, **kwargs):
    """Functional form of Minimum, as keras.layers.minimum."""
    return Minimum(**kwargs)(inputs)
