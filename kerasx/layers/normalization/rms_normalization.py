"""RMSNormalization, as keras.layers.RMSNormalization."""
from kerasx.backend import get_ops
from kerasx.layers.layer import Layer
from kerasx.layers.normalization._axes import positive_axes, standardize_axis


class RMSNormalization(Layer):
    """Root-mean-square normalization, as keras.layers.RMSNormalization:
    `x * rsqrt(mean(x ** 2 over axis) + epsilon) * scale`, computed in at
    least float32.

    Args:
        axis: int or list of ints to normalise over (default -1). Keras keeps
            it as a sorted list after building.
        epsilon: added to the mean square (default 1e-6).

    Weights: scale, of shape (sizes of `axis`), initialised to ones. It is
    broadcast along the normalised axes wherever they are.

    Raises:
        TypeError: for an `axis` that is not an int or a list of ints.
        ValueError: for an axis outside the input or of undefined size.
    """

    def __init__(self, axis=-1, epsilon=1e-6, **kwargs):
        super().__init__(**kwargs)
        self.axis = standardize_axis(axis)
        self.epsilon = epsilon
        self.scale = None

    def build(self, input_shape):
        axes = positive_axes(self.axis, tuple(input_shape))
        shape = tuple(input_shape[a] for a in axes)
        if None in shape:
            raise ValueError(f"RMSNormalization needs known sizes on axis={self.axis}; "
                             f"received input shape {tuple(input_shape)}.")
        self.axis = sorted(self.axis) if isinstance(self.axis, list) else [self.axis]
        self.scale = self.add_weight(name="scale", shape=shape, initializer="ones")
        self.built = True

    def call(self, inputs):
        ops = get_ops()
        out_dtype = ops.dtype(inputs)
        dtype = "float64" if out_dtype == "float64" else "float32"
        x = inputs if out_dtype == dtype else ops.cast(inputs, dtype)
        shape = ops.shape(x)
        axes = positive_axes(self.axis, shape)
        mean_square = ops.mean(ops.square(x), axis=axes, keepdims=True)
        out = ops.multiply(x, ops.rsqrt(ops.add(mean_square, self.epsilon)))
        scale = self.scale.value
        if ops.dtype(scale) != dtype:
            scale = ops.cast(scale, dtype)
        broadcast = tuple(shape[i] if i in axes else 1 for i in range(len(shape)))
        out = ops.multiply(out, ops.reshape(scale, broadcast))
        return out if ops.dtype(out) == out_dtype else ops.cast(out, out_dtype)

    def compute_output_shape(self, input_shape):
        positive_axes(self.axis, tuple(input_shape))
        return tuple(input_shape)

    def get_config(self):
        return {**super().get_config(), "axis": self.axis, "epsilon": self.epsilon}
