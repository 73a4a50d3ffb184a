"""ReversibleEmbedding: an Embedding that also maps vectors back to logits
over the vocabulary (tied or separate weights)."""
from kerasx.backend import get_ops
from kerasx.engine.keras_tensor import KerasTensor
from kerasx.layers.core.embedding import Embedding
from kerasx.layers.layer import set_keras_mask


class ReversibleEmbedding(Embedding):
    """An embedding usable in reverse, as keras.layers.ReversibleEmbedding:
    `layer(ids)` embeds; `layer(vectors, reverse=True)` returns logits
    `vectors @ embeddings.T` (or `@ reverse_embeddings` when untied).

    Args:
        input_dim, output_dim, mask_zero: as Embedding.
        embeddings_initializer, embeddings_regularizer: as Embedding.
        embeddings_constraint: as Embedding.
        tie_weights: reverse with the transposed embeddings (default);
            False adds a `reverse_embeddings` weight (output_dim, input_dim).
        reverse_dtype: dtype the reverse product is computed in (None: the
            layer's).
        logit_soft_cap: reverse logits become cap * tanh(logits / cap).
    """

    def __init__(self, input_dim, output_dim, tie_weights=True,
                 embeddings_initializer="uniform", embeddings_regularizer=None,
                 embeddings_constraint=None, mask_zero=False, reverse_dtype=None,
                 logit_soft_cap=None, **kwargs):
        super().__init__(input_dim, output_dim,
                         embeddings_initializer=embeddings_initializer,
                         embeddings_regularizer=embeddings_regularizer,
                         embeddings_constraint=embeddings_constraint,
                         mask_zero=mask_zero, **kwargs)
        self.tie_weights = tie_weights
        self.reverse_dtype = reverse_dtype
        self.logit_soft_cap = logit_soft_cap

    def build(self, input_shape=None):
        if self.built:
            return
        super().build(input_shape)
        if not self.tie_weights:
            self.reverse_embeddings = self.add_weight(
                shape=(self.output_dim, self.input_dim),
                initializer=self.embeddings_initializer, name="reverse_embeddings")
        self.built = True

    def call(self, inputs, reverse=False):
        ops = get_ops()
        if not reverse:
            result = super().call(inputs)
            mask = super().compute_mask(inputs)
            if mask is not None:
                set_keras_mask(result, mask)
            return result
        kernel = ops.transpose(self.embeddings.value, (1, 0)) if self.tie_weights \
            else self.reverse_embeddings.value
        if self.reverse_dtype is not None:
            inputs = ops.cast(inputs, self.reverse_dtype)
            kernel = ops.cast(kernel, self.reverse_dtype)
        logits = ops.matmul(inputs, kernel)
        if self.logit_soft_cap is not None:
            cap = self.logit_soft_cap
            logits = ops.multiply(ops.tanh(ops.divide(logits, cap)), cap)
        return logits

    def compute_mask(self, inputs, mask=None):
        # The forward call attaches the mask itself; a reverse call has none.
        return None

    def compute_output_shape(self, input_shape, reverse=False):
        shape = list(input_shape)
        if reverse:
            shape[-1] = self.input_dim
        else:
            shape.append(self.output_dim)
        return tuple(shape)

    def compute_output_spec(self, inputs, reverse=False):
        shape = self.compute_output_shape(inputs.shape, reverse)
        dtype = (self.reverse_dtype or self.dtype) if reverse else self.dtype
        return KerasTensor(shape, dtype)

    def get_config(self):
        return {**super().get_config(), "tie_weights": self.tie_weights,
                "reverse_dtype": self.reverse_dtype, "logit_soft_cap": self.logit_soft_cap}
