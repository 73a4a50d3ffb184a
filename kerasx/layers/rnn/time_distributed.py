"""TimeDistributed: apply a layer to every time step of its input."""
import inspect

from kerasx.backend import get_ops
from kerasx.backend.recurrent import unstack_time
from kerasx.layers.core.wrapper import Wrapper
from kerasx.layers.layer import Layer


class TimeDistributed(Wrapper):
    """Apply `layer` to each slice `inputs[:, t]`, as keras.layers.TimeDistributed.

    Args:
        layer: the layer to apply (its weights are shared across time).

    Input (batch, time, ...); output (batch, time, *layer output shape[1:]).
    A (batch, time) mask is passed to the inner layer per step when its call
    takes `mask`, and passed on unchanged.

    Raises:
        ValueError: for a non-layer, inputs of rank < 3, or a mask whose
            batch and time sizes differ from the input's.
    """

    def __init__(self, layer, **kwargs):
        if not isinstance(layer, Layer):
            raise ValueError("Please initialize `TimeDistributed` layer with a "
                             f"`keras.layers.Layer` instance. Received: {layer}")
        super().__init__(layer, **kwargs)
        self.supports_masking = True

    @staticmethod
    def _child_shape(input_shape):
        if not isinstance(input_shape, (tuple, list)) or len(input_shape) < 3:
            raise ValueError("`TimeDistributed` Layer should be passed an `input_shape` "
                             f"with at least 3 dimensions, received: {input_shape}")
        return (input_shape[0], *input_shape[2:])

    def build(self, input_shape):
        self.layer._maybe_build(self._child_shape(tuple(input_shape)))
        self.built = True

    def compute_output_shape(self, input_shape):
        child = self.layer.compute_output_shape(self._child_shape(tuple(input_shape)))
        return (child[0], input_shape[1], *child[1:])

    def call(self, inputs, training=None, mask=None):
        ops = get_ops()
        shape = ops.shape(inputs)
        if len(shape) < 3:
            raise ValueError("`TimeDistributed` Layer should be passed an input with at "
                             f"least 3 dimensions, received shape {shape}")
        if mask is not None:
            mask_shape = ops.shape(mask)
            if len(mask_shape) < 2 or tuple(mask_shape[:2]) != tuple(shape[:2]):
                raise ValueError(
                    f"The `mask` passed to the `TimeDistributed` layer has a shape "
                    f"{mask_shape} that is incompatible with the input shape {shape}. "
                    "The first two dimensions of the mask (batch size and timesteps) "
                    "must match the input's first two dimensions.")
        params = inspect.signature(self.layer.call).parameters
        steps = unstack_time(ops, inputs)
        step_masks = unstack_time(ops, mask) if mask is not None and "mask" in params \
            else None
        outputs = []
        for t, x in enumerate(steps):
            kwargs = {}
            if step_masks is not None:
                kwargs["mask"] = step_masks[t]
            if "training" in params:
                kwargs["training"] = training
            outputs.append(self.layer.call(x, **kwargs))
        return ops.stack(outputs, axis=1)
