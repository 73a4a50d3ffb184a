"""Embedding: integer indices to dense vectors (mask_zero masks index 0)."""
from kerasx import constraints, initializers, regularizers
from kerasx.backend import get_ops
from kerasx.layers.layer import Layer
from kerasx.layers.quantization import layer_api as quantization


class Embedding(Layer):
    """Turn non-negative integers into dense vectors, as keras.layers.Embedding.

    Args:
        input_dim: vocabulary size (largest index + 1).
        output_dim: size of each vector.
        embeddings_initializer: default "uniform" (RandomUniform(-0.05, 0.05)).
        embeddings_regularizer, embeddings_constraint, activity_regularizer: as in
            Keras.
        mask_zero: index 0 is padding: the output carries a (batch, ...) mask,
            False where the index is 0, that recurrent layers, pooling and
            losses respect.
        weights: optional initial embeddings matrix.
        quantization_config: a `kerasx.quantizers.QuantizationConfig` used
            when the dtype policy is quantized (`quantize("int8" | "int4")`
            converts the layer; kerasx/layers/quantization/).

    Weight: embeddings (input_dim, output_dim). Input (batch, ...) of ints
    (floats are cast to int32); output (batch, ..., output_dim).

    Raises:
        ValueError: if input_dim or output_dim is not a positive int.
    """

    def __init__(self, input_dim, output_dim, embeddings_initializer="uniform",
                 embeddings_regularizer=None, embeddings_constraint=None, mask_zero=False,
                 weights=None, quantization_config=None, **kwargs):
        for arg, value in (("input_dim", input_dim), ("output_dim", output_dim)):
            if not isinstance(value, int) or isinstance(value, bool) or value <= 0:
                raise ValueError(f"`{arg}` must be a positive integer. Received: "
                                 f"{arg}={value} (of type {type(value).__name__}).")
        kwargs.pop("input_length", None)  # deprecated in Keras 3
        super().__init__(**kwargs)
        self.input_dim = input_dim
        self.output_dim = output_dim
        self.embeddings_initializer = initializers.get(embeddings_initializer)
        self.embeddings_regularizer = regularizers.get(embeddings_regularizer)
        self.embeddings_constraint = constraints.get(embeddings_constraint)
        self.mask_zero = mask_zero
        self.supports_masking = mask_zero
        self.autocast = False
        self.quantization_config = quantization_config
        if weights is not None:
            self.build()
            if not (isinstance(weights, list) and len(weights) == 1):
                weights = [weights]
            self.set_weights(weights)

    def build(self, input_shape=None):
        if self.built:
            return
        if self._build_quantized_if_needed((self.input_dim, self.output_dim)):
            self.embeddings = self.add_weight(
                shape=(self.input_dim, self.output_dim),
                initializer=self.embeddings_initializer, name="embeddings",
                regularizer=self.embeddings_regularizer,
                constraint=self.embeddings_constraint)
        self.built = True

    quantization_kind = "embedding"
    quantization_modes_supported = ("int8", "int4")

    def call(self, inputs):
        if self._quantization is not None:
            return self._quantization.call(self, inputs)
        ops = get_ops()
        if ops.dtype(inputs) not in ("int32", "int64"):
            inputs = ops.cast(inputs, "int32")
        return ops.take(self.embeddings.value, inputs, axis=0)

    def compute_mask(self, inputs, mask=None):
        if not self.mask_zero:
            return None
        return get_ops().not_equal(inputs, 0)

    def compute_output_shape(self, input_shape):
        return tuple(input_shape) + (self.output_dim,)

    def get_config(self):
        return {**super().get_config(),
                "input_dim": self.input_dim,
                "output_dim": self.output_dim,
                "embeddings_initializer": initializers.serialize(
                    self.embeddings_initializer),
                "embeddings_regularizer": regularizers.serialize(
                    self.embeddings_regularizer),
                "activity_regularizer": regularizers.serialize(self.activity_regularizer),
                "embeddings_constraint": constraints.serialize(self.embeddings_constraint),
                "mask_zero": self.mask_zero,
                "quantization_config": quantization.serialize_quantization_config(
                    self.quantization_config)}

    @classmethod
    def from_config(cls, config):
        """A layer from `get_config()` output (its quantization config included)."""
        return quantization.from_config_with_quantization(
            config, lambda c: super(Embedding, cls).from_config(c))
