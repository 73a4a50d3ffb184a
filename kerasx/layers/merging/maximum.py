"""Maximum: the element-wise maximum of its inputs."""
from kerasx.backend import get_ops
from kerasx.layers.merging.base_merge import Merge


class Maximum(Merge):
    """Element-wise maximum of a list of tensors (ties: the gradient goes to
    the earlier input, as the contract's `maximum`)."""

    def _merge_function(self, inputs):
        ops = get_ops()
        out = inputs[0]
        for x in inputs[1:]:
            out = ops.maximum(out, x)
        return out


def maximum(inputs, **kwargs):
    """Functional form of Maximum, as keras.layers.maximum."""
    return Maximum(**kwargs)(inputs)
