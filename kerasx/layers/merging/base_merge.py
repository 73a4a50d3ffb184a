"""The shared base of the merging layers: a list of tensors in, one out."""
from kerasx.backend import get_ops
from kerasx.layers.layer import Layer


def _is_shape_list(input_shape):
    return isinstance(input_shape, (list, tuple)) and len(input_shape) > 0 and all(
        isinstance(s, (list, tuple)) for s in input_shape)


class Merge(Layer):
    """Base of the element-wise merging layers (Add, Subtract, Multiply,
    Average, Maximum, Minimum) and of Concatenate and Dot.

    Element-wise merges broadcast the non-batch axes as NumPy does; an input
    of lower rank gets size-1 axes inserted after the batch axis (as Keras).
    Subclasses implement `_merge_function(inputs)`; `min_inputs` and
    `max_inputs` bound the number of inputs.
    """

    min_inputs = 1
    max_inputs = None
    #: Whether all inputs must share the batch size (not so for Concatenate
    #: along axis 0, which checks its own shapes).
    same_batch = True

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self.supports_masking = True

    # -- checks ---------------------------------------------------------------
    def _check_input_list(self, input_shape):
        name = type(self).__name__
        if not _is_shape_list(input_shape):
            raise ValueError(f"A `{name}` layer should be called on a list of inputs. "
                             f"Received: input_shape={input_shape} (not a list of "
                             "shapes)")
        count = len(input_shape)
        if count < self.min_inputs or (self.max_inputs is not None
                                       and count > self.max_inputs):
            if self.min_inputs == self.max_inputs:
                expected = f"exactly {self.min_inputs}"
            elif self.max_inputs is None:
                expected = f"at least {self.min_inputs}"
            else:
                expected = f"between {self.min_inputs} and {self.max_inputs}"
            raise ValueError(f"A `{name}` layer should be called on {expected} inputs. "
                             f"Received {count} inputs with shapes {list(input_shape)}")
        batch_sizes = {s[0] for s in input_shape if len(s)} - {None}
        if self.same_batch and len(batch_sizes) > 1:
            raise ValueError("Cannot merge tensors with different batch sizes. Received "
                             f"tensors with shapes {list(input_shape)}")

    @staticmethod
    def _broadcast_shapes(shape1, shape2):
        """NumPy broadcasting of two non-batch shapes (None: unknown)."""
        if len(shape1) < len(shape2):
            shape1, shape2 = shape2, shape1
        if not shape2:
            return tuple(shape1)
        out = list(shape1[:len(shape1) - len(shape2)])
        for i, j in zip(shape1[len(shape1) - len(shape2):], shape2):
            if i is None or j is None:
                known = j if i is None else i
                out.append(known if known is not None and known != 1 else None)
            elif i == 1:
                out.append(j)
            elif j == 1 or i == j:
                out.append(i)
            else:
                raise ValueError("Inputs have incompatible shapes. Received shapes "
                                 f"{tuple(shape1)} and {tuple(shape2)}")
        return tuple(out)

    def build(self, input_shape):
        self._check_input_list(input_shape)
        self.compute_output_shape(input_shape)
        self.built = True

    # -- computation ----------------------------------------------------------
    def _merge_function(self, inputs):
        raise NotImplementedError

    def _call_inputs(self, inputs):
        if not isinstance(inputs, (list, tuple)):
            raise ValueError(f"A `{type(self).__name__}` layer should be called on a list "
                             f"of inputs. Received: inputs={inputs!r} (not a list of "
                             "tensors)")
        ops = get_ops()
        self._check_input_list([ops.shape(x) for x in inputs])
        return list(inputs)

    def call(self, inputs):
        inputs = self._call_inputs(inputs)
        ops = get_ops()
        ranks = [ops.ndim(x) for x in inputs]
        if len(set(ranks)) > 1:
            target = max(ranks)
            reshaped = []
            for x, rank in zip(inputs, ranks):
                for _ in range(target - rank):
                    x = ops.expand_dims(x, 1)
                reshaped.append(x)
            inputs = reshaped
        return self._merge_function(inputs)

    def compute_output_shape(self, input_shape):
        self._check_input_list(input_shape)
        out = tuple(input_shape[0][1:])
        for shape in input_shape[1:]:
            out = self._broadcast_shapes(out, tuple(shape[1:]))
        batch_sizes = {s[0] for s in input_shape if len(s)} - {None}
        batch = batch_sizes.pop() if len(batch_sizes) == 1 else None
        return (batch,) + out

    def get_config(self):
        return super().get_config()
