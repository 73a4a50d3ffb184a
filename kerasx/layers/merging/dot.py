"""Dot: the per-sample dot product of two tensors."""
from kerasx import config
from kerasx.backend import get_ops
from kerasx.layers.merging.base_merge import Merge


def _l2_normalize(x, axis):
    """x / max(||x||, epsilon) along `axis`, as keras.ops.normalize (order 2):
    x * min(rsqrt(sum(x ** 2)), 1 / epsilon)."""
    ops = get_ops()
    inv_norm = ops.rsqrt(ops.sum(ops.square(x), axis=axis, keepdims=True))
    return ops.multiply(x, ops.minimum(inv_norm, 1.0 / config.epsilon()))


def batch_dot(x, y, axes):
    """Keras's batch_dot for ranks >= 2 and non-batch `axes` (a0, a1)
    (non-negative): contracts x's axis a0 with y's axis a1 for each sample.
    The result has x's other axes then y's other non-batch axes; a result of
    rank 1 becomes (batch, 1)."""
    ops = get_ops()
    x_shape, y_shape = ops.shape(x), ops.shape(y)
    a0, a1 = axes
    # Move the contracted axis of x last and that of y right after the batch.
    x_order = [i for i in range(len(x_shape)) if i != a0] + [a0]
    y_order = [0, a1] + [i for i in range(1, len(y_shape)) if i != a1]
    x = ops.transpose(x, tuple(x_order))
    y = ops.transpose(y, tuple(y_order))
    x_free = tuple(x_shape[i] for i in x_order[1:-1])
    y_free = tuple(y_shape[i] for i in y_order[2:])
    batch, depth = x_shape[0], x_shape[a0]
    x = ops.reshape(x, (batch, -1, depth))
    y = ops.reshape(y, (batch, depth, -1))
    out = ops.matmul(x, y)
    shape = (batch,) + x_free + y_free
    if len(shape) == 1:
        shape = (batch, 1)
    return ops.reshape(out, shape)


class Dot(Merge):
    """Dot product of two tensors along `axes`, sample by sample, as
    keras.layers.Dot.

    Args:
        axes: int (the same axis of both inputs) or a pair of ints (one per
            input); negative values count from the end; the batch axis 0
            cannot be used.
        normalize: L2-normalise both inputs along their axes first (the
            result is then the cosine similarity).

    Raises:
        TypeError/ValueError: for malformed `axes`; ValueError for other than
            two inputs, inputs of rank < 2, the batch axis, or contracted axes
            of different sizes.
    """

    min_inputs = max_inputs = 2

    def __init__(self, axes, normalize=False, **kwargs):
        super().__init__(**kwargs)
        if not isinstance(axes, int):
            if not isinstance(axes, (list, tuple)):
                raise TypeError("Invalid type for argument `axes`: it should be a list "
                                f"or an int. Received: axes={axes!r}")
            if len(axes) != 2:
                raise ValueError("Invalid format for argument `axes`: it should contain "
                                 f"two elements. Received: axes={axes!r}")
            if not all(isinstance(a, int) for a in axes):
                raise ValueError("Invalid format for argument `axes`: list elements "
                                 f"should be integers. Received: axes={axes!r}")
        self.axes = axes
        self.normalize = normalize
        self.supports_masking = True

    def _resolve_axes(self, shape1, shape2):
        if len(shape1) < 2 or len(shape2) < 2:
            raise ValueError("A `Dot` layer needs inputs of rank >= 2 (batch axis "
                             f"included). Received shapes {tuple(shape1)} and "
                             f"{tuple(shape2)}")
        pair = [self.axes, self.axes] if isinstance(self.axes, int) else list(self.axes)
        axes = []
        for a, shape in zip(pair, (shape1, shape2)):
            if not -len(shape) <= a < len(shape):
                raise ValueError(f"Dot axes={self.axes} out of bounds for input shapes "
                                 f"{tuple(shape1)} and {tuple(shape2)}")
            axes.append(a % len(shape))
        if 0 in axes:
            raise ValueError(f"A `Dot` layer cannot contract the batch axis 0. Received "
                             f"axes={self.axes} for shapes {tuple(shape1)} and "
                             f"{tuple(shape2)}")
        d1, d2 = shape1[axes[0]], shape2[axes[1]]
        if d1 is not None and d2 is not None and d1 != d2:
            raise ValueError(f"Incompatible input shapes: axis values {d1} (at axis "
                             f"{axes[0]}) != {d2} (at axis {axes[1]}). Full input "
                             f"shapes: {tuple(shape1)}, {tuple(shape2)}")
        return axes

    def build(self, input_shape):
        self._check_input_list(input_shape)
        self._resolve_axes(*input_shape)
        self.built = True

    def call(self, inputs):
        inputs = self._call_inputs(inputs)
        return self._merge_function(inputs)

    def _merge_function(self, inputs):
        ops = get_ops()
        x1, x2 = inputs
        axes = self._resolve_axes(ops.shape(x1), ops.shape(x2))
        if self.normalize:
            x1 = _l2_normalize(x1, axes[0])
            x2 = _l2_normalize(x2, axes[1])
        return batch_dot(x1, x2, axes)

    def compute_output_shape(self, input_shape):
        self._check_input_list(input_shape)
        shape1, shape2 = (list(s) for s in input_shape)
        axes = self._resolve_axes(shape1, shape2)
        shape1.pop(axes[0])
        shape2.pop(axes[1])
        shape2.pop(0)
        out = shape1 + shape2
        if len(out) == 1:
            out.append(1)
        return tuple(out)

    def get_config(self):
        return {**super().get_config(), "axes": self.axes, "normalize": self.normalize}


def dot(inputs, axes=-1, **kwargs):
    """Functional form of Dot, as keras.layers.dot."""
    return Dot(axes=axes, **kwargs)(inputs)
