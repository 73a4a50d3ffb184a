"""Average: the element-wise mean of its inputs."""
from kerasx.backend import get_ops
from kerasx.layers.merging.base_merge import Merge


class Average(Merge):
    """Mean of a list of tensors: their sum divided by their number (as Keras)."""

    def _merge_function(self, inputs):
        ops = get_ops()
        out = inputs[0]
        for x in inputs[1:]:
            out = ops.add(out, x)
        return ops.divide(out, float(len(inputs)))


def average(inputs, **kwargs):
    """Functional form of Average, as keras.layers.average."""
    return Average(**kwargs)(inputs)
