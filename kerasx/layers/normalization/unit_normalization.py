"""UnitNormalization, as keras.layers.UnitNormalization."""
from kerasx.backend import get_ops
from kerasx.layers.layer import Layer
from kerasx.layers.normalization._axes import positive_axes, standardize_axis

# Keras's bound on the inverse norm (1 / epsilon with epsilon 1e-12): an
# all-zero slice stays zero instead of becoming NaN.
_EPSILON = 1e-12


class UnitNormalization(Layer):
    """Scales each slice along `axis` to unit L2 norm, as
    keras.layers.UnitNormalization: `x * min(rsqrt(sum(x ** 2)), 1e12)`.

    Args:
        axis: int or list of ints to normalise over (default -1).

    Raises:
        TypeError: for an `axis` that is not an int or a list of ints.
        ValueError: for an axis outside the input.
    """

    def __init__(self, axis=-1, **kwargs):
        super().__init__(**kwargs)
        self.axis = standardize_axis(axis)
        self.supports_masking = True
        self.built = True

    def call(self, inputs):
        ops = get_ops()
        axes = positive_axes(self.axis, ops.shape(inputs))
        square_sum = ops.sum(ops.square(inputs), axis=axes, keepdims=True)
        inv_norm = ops.minimum(ops.rsqrt(square_sum), 1.0 / _EPSILON)
        return ops.multiply(inputs, inv_norm)

    def compute_output_shape(self, input_shape):
        positive_axes(self.axis, tuple(input_shape))
        return tuple(input_shape)

    def get_config(self):
        return {**super().get_config(), "axis": self.axis}
