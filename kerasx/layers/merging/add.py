"""Add: the element-wise sum of its inputs."""
from kerasx.backend import get_ops
from kerasx.layers.merging.base_merge import Merge


class Add(Merge):
    """Sum of a list of tensors of the same (broadcastable) shape."""

    def _merge_function(self, inputs):
        ops = get_ops()
        out = inputs[0]
        for x in inputs[1:]:
            out = ops.add(out, x)
        return out


def add(inputs, **kwargs):
    """Functional form of Add, as keras.layers.add."""
    return Add(**kwargs)(inputs)
