"""GroupedQueryAttention (keras.layers.GroupQueryAttention): attention with
fewer key/value heads than query heads, each serving a group of queries."""
import math

from kerasx import constraints, initializers, regularizers
from kerasx.backend import get_ops
from kerasx.engine.keras_tensor import KerasTensor
from kerasx.layers.activations.softmax import Softmax
from kerasx.layers.attention import masks
from kerasx.layers.core.einsum_dense import EinsumDense
from kerasx.layers.layer import Layer, get_keras_mask
from kerasx.layers.regularization.dropout import Dropout


class GroupedQueryAttention(Layer):
    """Grouped-query attention, as keras.layers.GroupQueryAttention.

    Args:
        head_dim: size of each head.
        num_query_heads: number of query heads.
        num_key_value_heads: number of key/value heads (divides
            num_query_heads; 1 is multi-query attention).
        dropout: dropout rate on the scores (portable generator).
        use_bias: whether the projections have biases.
        sliding_window: each query sees keys within this many positions.
        flash_attention: must be falsy (kerasx has no flash kernel).
        use_gate: a sigmoid gate on the attention output.
        kernel_initializer, bias_initializer: as in Keras.
        kernel_regularizer, bias_regularizer, activity_regularizer: as in Keras.
        kernel_constraint, bias_constraint: as in Keras.
        seed: seed of the dropout stream.

    Weights in Keras's layout and order: query (dim, Nq, head_dim), key and
    value (dim, Nkv, head_dim), attention_output (Nq, head_dim, dim), with
    biases. Call arguments as MultiHeadAttention; the query, value and key
    Keras masks are combined into the attention mask.

    Raises:
        ValueError: heads that do not divide, a bad sliding_window, flash
            attention.
    """

    #: Keras exports this class as GroupQueryAttention and writes that name
    #: in configs (the .keras weights key stays grouped_query_attention).
    _keras_class_name = "GroupQueryAttention"

    def __init__(self, head_dim, num_query_heads, num_key_value_heads, dropout=0.0,
                 use_bias=True, sliding_window=None, flash_attention=None,
                 kernel_initializer="glorot_uniform", bias_initializer="zeros",
                 kernel_regularizer=None, bias_regularizer=None, activity_regularizer=None,
                 kernel_constraint=None, bias_constraint=None, use_gate=False, seed=None,
                 **kwargs):
        # Keras sets the regularizer on the layer too, so it also applies to
        # the layer's output (besides each projection's).
        super().__init__(activity_regularizer=activity_regularizer, **kwargs)
        self.supports_masking = True
        self.head_dim = head_dim
        self.num_query_heads = num_query_heads
        self.num_key_value_heads = num_key_value_heads
        if num_query_heads % num_key_value_heads != 0:
            raise ValueError("`num_query_heads` must be divisible by "
                             "`num_key_value_heads`.")
        self.num_repeats = num_query_heads // num_key_value_heads
        self.dropout = dropout
        self.use_bias = use_bias
        self.use_gate = use_gate
        if sliding_window is not None and (not isinstance(sliding_window, int)
                                           or sliding_window <= 0):
            raise ValueError("`sliding_window` must be `None` or a positive integer. "
                             f"Received: sliding_window={sliding_window}")
        self.sliding_window = sliding_window
        if flash_attention:
            raise ValueError("kerasx has no flash attention kernel: pass "
                             "flash_attention=None (the result is the same).")
        self.kernel_initializer = initializers.get(kernel_initializer)
        self.bias_initializer = initializers.get(bias_initializer)
        self.kernel_regularizer = regularizers.get(kernel_regularizer)
        self.bias_regularizer = regularizers.get(bias_regularizer)
        self.kernel_constraint = constraints.get(kernel_constraint)
        self.bias_constraint = constraints.get(bias_constraint)
        self.seed = seed
        self._inverse_sqrt_head_dim = 1.0 / math.sqrt(float(head_dim))

    def _dense(self, equation, output_shape, bias_axes, name, **extra):
        layer = EinsumDense(
            equation, output_shape=output_shape,
            bias_axes=bias_axes if self.use_bias else None, name=name,
            kernel_initializer=initializers.deserialize(
                initializers.serialize(self.kernel_initializer)),
            bias_initializer=initializers.deserialize(
                initializers.serialize(self.bias_initializer)),
            kernel_regularizer=self.kernel_regularizer,
            bias_regularizer=self.bias_regularizer,
            activity_regularizer=self.activity_regularizer,
            kernel_constraint=self.kernel_constraint,
            bias_constraint=self.bias_constraint, dtype=self.dtype, **extra)
        # Private attributes, as in Keras (their .keras paths are "_query_dense"
        # ...): tracked by hand, in Keras's order.
        self._layers.append(layer)
        return layer

    def build(self, query_shape, value_shape=None, key_shape=None):
        """Create the projections for inputs of these shapes."""
        if value_shape is None:
            raise ValueError("GroupedQueryAttention needs the shapes of query and value "
                             "to build: call it on (query, value).")
        key_shape = value_shape if key_shape is None else key_shape
        self.feature_dim = query_shape[-1]
        nq, nkv, h = self.num_query_heads, self.num_key_value_heads, self.head_dim
        self._query_dense = self._dense("bqm,muh->bquh", (None, nq, h), "uh", "query")
        self._query_dense.build(query_shape)
        self._key_dense = self._dense("bkm,mvh->bkvh", (None, nkv, h), "vh", "key")
        self._key_dense.build(key_shape)
        if self.use_gate:
            self._gate_dense = self._dense("bqm,muh->bquh", (None, nq, h), "uh", "gate",
                                           activation="sigmoid")
            self._gate_dense.build(query_shape)
        self._value_dense = self._dense("bkm,mvh->bkvh", (None, nkv, h), "vh", "value")
        self._value_dense.build(value_shape)
        self._softmax = Softmax(axis=-1, dtype=self.dtype)
        self._dropout_layer = Dropout(rate=self.dropout, seed=self.seed, dtype=self.dtype)
        self._output_dense = self._dense("bquh,uhm->bqm", (None, self.feature_dim), "m",
                                         "attention_output")
        self._output_dense.build((None, None, nq, h))
        self.built = True

    def __call__(self, query, value=None, key=None, **kwargs):
        if value is None:
            raise ValueError("GroupedQueryAttention is called on (query, value[, key]); "
                             "`value` is missing.")
        if not self.built:
            self.build(tuple(query.shape), tuple(value.shape),
                       None if key is None else tuple(key.shape))
        return super().__call__(query, value, key, **kwargs)

    def call(self, query, value, key=None, query_mask=None, value_mask=None, key_mask=None,
             attention_mask=None, return_attention_scores=False, training=None,
             use_causal_mask=False):
        ops = get_ops()
        value = masks.as_tensor(value)
        # Keras fills the masks from the inputs' Keras masks (the key's only
        # when a key is given).
        query_mask = get_keras_mask(query) if query_mask is None else query_mask
        value_mask = get_keras_mask(value) if value_mask is None else value_mask
        if key is not None:
            key = masks.as_tensor(key)
            key_mask = get_keras_mask(key) if key_mask is None else key_mask
        else:
            key = value
        causal_only = (use_causal_mask and query_mask is None and value_mask is None
                       and key_mask is None and attention_mask is None
                       and self.sliding_window is None)
        if not causal_only:
            attention_mask = masks.combined_mask(query, value, query_mask, value_mask,
                                                 key_mask, attention_mask, use_causal_mask,
                                                 self.sliding_window)
        gate = self._gate_dense(query) if self.use_gate else None
        q = self._query_dense(query)
        k = self._repeat(self._key_dense(key))
        v = self._repeat(self._value_dense(value))
        output, scores = self._compute_attention(q, k, v, attention_mask, training,
                                                 return_attention_scores, causal_only)
        if gate is not None:
            output = ops.multiply(output, gate)
        output = self._output_dense(output)
        if return_attention_scores:
            return output, scores
        return output

    def _repeat(self, x):
        """(B, S, Nkv, H) -> (B, S, Nq, H), each head repeated in a row (as
        keras.ops.repeat on axis 2)."""
        if self.num_repeats == 1:
            return x
        ops = get_ops()
        b, s, n, h = ops.shape(x)
        x = ops.broadcast_to(ops.expand_dims(x, 3), (b, s, n, self.num_repeats, h))
        return ops.reshape(x, (b, s, n * self.num_repeats, h))

    def _compute_attention(self, query, key, value, attention_mask=None, training=None,
                           return_attention_scores=False, use_causal_mask=False):
        ops = get_ops()
        if not (self.dropout > 0.0 or return_attention_scores):
            mask = None
            if attention_mask is not None:
                mask = masks.expand_to(masks.to_bool(attention_mask), 4, -3)
            out = ops.dot_product_attention(query, key, value, mask=mask,
                                            scale=self._inverse_sqrt_head_dim,
                                            is_causal=use_causal_mask)
            return out, None
        if use_causal_mask:
            causal = masks.causal_mask(query, value)
            attention_mask = causal if attention_mask is None else ops.logical_and(
                masks.to_bool(attention_mask), causal)
        query = ops.multiply(query, self._inverse_sqrt_head_dim)
        scores = ops.einsum("bquh,bkuh->buqk", query, key)
        if attention_mask is not None:
            attention_mask = masks.expand_to(attention_mask, len(ops.shape(scores)), -3)
        scores = self._softmax(scores, mask=attention_mask)
        dropped = self._dropout_layer(scores, training=training) \
            if self.dropout > 0.0 else scores
        return ops.einsum("buqk,bkuh->bquh", dropped, value), scores

    def compute_output_shape(self, query_shape, value_shape=None, key_shape=None):
        query_shape = tuple(query_shape)
        if value_shape is not None:
            value_shape = tuple(value_shape)
            key_shape = value_shape if key_shape is None else tuple(key_shape)
            if query_shape[-1] != value_shape[-1]:
                raise ValueError("The last dimension of `query_shape` and `value_shape` "
                                 f"must be equal, but are {query_shape[-1]}, "
                                 f"{value_shape[-1]}. Received: query_shape="
                                 f"{query_shape}, value_shape={value_shape}")
            if value_shape[1:-1] != key_shape[1:-1]:
                raise ValueError("All dimensions of `value` and `key`, except the last "
                                 f"one, must be equal. Received: value_shape={value_shape}"
                                 f" and key_shape={key_shape}")
        return query_shape

    def compute_output_spec(self, query, value, key=None, return_attention_scores=False,
                            **kwargs):
        out = KerasTensor(self.compute_output_shape(query.shape, value.shape,
                                                    None if key is None else key.shape),
                          self.dtype)
        if return_attention_scores:
            kv_len = (value if key is None else key).shape[1]
            return out, KerasTensor((query.shape[0], self.num_query_heads,
                                     query.shape[1], kv_len), self.dtype)
        return out

    def get_config(self):
        return {**super().get_config(),
                "head_dim": self.head_dim,
                "num_query_heads": self.num_query_heads,
                "num_key_value_heads": self.num_key_value_heads,
                "use_bias": self.use_bias,
                "use_gate": self.use_gate,
                "sliding_window": self.sliding_window,
                "dropout": self.dropout,
                "kernel_initializer": initializers.serialize(self.kernel_initializer),
                "bias_initializer": initializers.serialize(self.bias_initializer),
                "kernel_regularizer": regularizers.serialize(self.kernel_regularizer),
                "bias_regularizer": regularizers.serialize(self.bias_regularizer),
                "activity_regularizer": regularizers.serialize(self.activity_regularizer),
                "kernel_constraint": constraints.serialize(self.kernel_constraint),
                "bias_constraint": constraints.serialize(self.bias_constraint),
                "seed": self.seed}
