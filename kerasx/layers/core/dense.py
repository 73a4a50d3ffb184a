"""Dense: y = activation(x @ kernel + bias)."""
from kerasx import activations, constraints, initializers, regularizers
from kerasx.backend import get_ops
from kerasx.layers.input_spec import InputSpec
from kerasx.layers.layer import Layer
from kerasx.layers.quantization import layer_api as quantization


class Dense(Layer):
    """Densely connected layer, as keras.layers.Dense.

    Args:
        units: output size.
        activation: activation name or function (default linear).
        use_bias: whether to add a bias.
        kernel_initializer, bias_initializer: as in Keras.
        kernel_regularizer, bias_regularizer, activity_regularizer: as in Keras.
        kernel_constraint, bias_constraint: as in Keras.
        quantization_config: a `kerasx.quantizers.QuantizationConfig` used
            when the dtype policy is quantized (`dtype="int8_from_float32"`).

    Kernel shape (input_dim, units), Keras layout. `quantize("int8" | "int4"
    | "float8")` converts the layer (kerasx/layers/quantization/).

    Raises:
        ValueError: if `units` is not a positive int.
    """

    def __init__(self, units, activation=None, use_bias=True,
                 kernel_initializer="glorot_uniform", bias_initializer="zeros",
                 kernel_regularizer=None, bias_regularizer=None, activity_regularizer=None,
                 kernel_constraint=None, bias_constraint=None, quantization_config=None,
                 **kwargs):
        super().__init__(activity_regularizer=activity_regularizer, **kwargs)
        if not isinstance(units, int) or units <= 0:
            raise ValueError(f"Received an invalid value for `units`, expected a positive "
                             f"integer. Received: units={units!r}")
        self.units = units
        self.activation = activations.get(activation)
        self.use_bias = use_bias
        self.kernel_initializer = initializers.get(kernel_initializer)
        self.bias_initializer = initializers.get(bias_initializer)
        self.kernel_regularizer = regularizers.get(kernel_regularizer)
        self.bias_regularizer = regularizers.get(bias_regularizer)
        self.kernel_constraint = constraints.get(kernel_constraint)
        self.bias_constraint = constraints.get(bias_constraint)
        self.quantization_config = quantization_config
        self.input_spec = InputSpec(min_ndim=2)
        self.supports_masking = True  # as Keras 3: a mask passes through

    quantization_kind = "dense"

    def build(self, input_shape):
        input_dim = input_shape[-1]
        if self._build_quantized_if_needed((input_dim, self.units)):
            self.kernel = self.add_weight(
                shape=(input_dim, self.units), initializer=self.kernel_initializer,
                regularizer=self.kernel_regularizer, constraint=self.kernel_constraint,
                name="kernel")
        self.bias = self.add_weight(
            shape=(self.units,), initializer=self.bias_initializer,
            regularizer=self.bias_regularizer, constraint=self.bias_constraint,
            name="bias") if self.use_bias else None
        self.input_spec = InputSpec(min_ndim=2, axes={-1: input_dim})
        self.built = True

    def call(self, inputs, training=None):
        if self._quantization is not None:
            return self._quantization.call(self, inputs, training)
        ops = get_ops()
        if "float" not in ops.dtype(inputs):
            # Integer or bool inputs (a lookup layer's multi_hot counts): as
            # keras.ops.matmul promotes them, to the kernel's float dtype.
            inputs = ops.cast(inputs, ops.dtype(self.kernel.value))
        x = ops.matmul(inputs, self.kernel.value)
        if self.bias is not None:
            x = ops.add(x, self.bias.value)
        return self.activation(x)

    def compute_output_shape(self, input_shape):
        return tuple(input_shape[:-1]) + (self.units,)

    def get_config(self):
        return {
            **super().get_config(),
            "units": self.units,
            "activation": activations.serialize(self.activation),
            "use_bias": self.use_bias,
            "kernel_initializer": initializers.serialize(self.kernel_initializer),
            "bias_initializer": initializers.serialize(self.bias_initializer),
            "kernel_regularizer": regularizers.serialize(self.kernel_regularizer),
            "bias_regularizer": regularizers.serialize(self.bias_regularizer),
            "activity_regularizer": regularizers.serialize(self.activity_regularizer),
            "kernel_constraint": constraints.serialize(self.kernel_constraint),
            "bias_constraint": constraints.serialize(self.bias_constraint),
            "quantization_config": quantization.serialize_quantization_config(
                self.quantization_config),
        }

    @classmethod
    def from_config(cls, config):
        """A layer from `get_config()` output (its quantization config included)."""
        return quantization.from_config_with_quantization(
            config, lambda c: super(Dense, cls).from_config(c))
