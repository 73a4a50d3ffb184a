"""Softmax layer, as keras.layers.Softmax."""
import numpy as np

from kerasx.backend import get_ops
from kerasx.layers.layer import Layer


class Softmax(Layer):
    """Softmax over `axis` (an int, or a list/tuple of ints: the softmax of
    the joint distribution over those axes).

    Call arguments:
        mask: optional bool (or 0/1) tensor broadcastable to the input; masked
            positions get probability 0, as Keras.

    Raises:
        ValueError: for a mask that does not broadcast to the input.
    """

    def __init__(self, axis=-1, **kwargs):
        super().__init__(**kwargs)
        if isinstance(axis, (list, tuple)):
            if not axis or not all(isinstance(a, int) for a in axis):
                raise ValueError("Softmax `axis` must be an int or a non-empty list of "
                                 f"ints. Received: axis={axis!r}")
        elif not isinstance(axis, int) or isinstance(axis, bool):
            raise ValueError(f"Softmax `axis` must be an int or a list of ints. "
                             f"Received: axis={axis!r}")
        self.axis = axis
        self.supports_masking = True
        self.built = True

    def call(self, inputs, mask=None):
        ops = get_ops()
        if mask is not None:
            if not ops.is_tensor(mask):
                mask = ops.convert_to_tensor(np.asarray(mask))
            m_shape, i_shape = ops.shape(mask), ops.shape(inputs)
            if len(m_shape) > len(i_shape) or any(
                    m not in (1, i) for m, i in zip(m_shape[::-1], i_shape[::-1])):
                raise ValueError("The `mask` must be broadcastable to `inputs`. Received: "
                                 f"inputs.shape={i_shape}, mask.shape={m_shape}")
            if ops.dtype(mask) != "bool":
                mask = ops.greater(mask, 0.5)
            mask = ops.broadcast_to(mask, i_shape)
            large_negative = -3e4 if ops.dtype(inputs) == "float16" else -1e9
            inputs = ops.where(mask, inputs, ops.full(i_shape, large_negative,
                                                      ops.dtype(inputs)))
        axis = self.axis
        if isinstance(axis, (list, tuple)) and len(axis) == 1:
            axis = axis[0]
        if isinstance(axis, (list, tuple)):
            axis = tuple(axis)
            outputs = ops.exp(ops.subtract(inputs, ops.logsumexp(inputs, axis=axis,
                                                                 keepdims=True)))
        else:
            outputs = ops.softmax(inputs, axis=axis)
        if mask is not None:
            outputs = ops.where(mask, outputs, ops.zeros_like(outputs))
        return outputs

    def compute_output_shape(self, input_shape):
        rank = len(input_shape)
        axes = self.axis if isinstance(self.axis, (list, tuple)) else [self.axis]
        for a in axes:
            if not -rank <= a < rank:
                raise ValueError(f"Softmax axis {a} is out of bounds for input shape "
                                 f"{tuple(input_shape)}.")
        return input_shape

    def get_config(self):
        return {**super().get_config(), "axis": self.axis}
