"""MultiHeadAttention, as keras.layers.MultiHeadAttention: EinsumDense
projections named query/key/value/attention_output (Keras's weight layout),
scaled dot-product attention per head, Keras's masks."""
import math
import string

from kerasx import constraints, initializers, regularizers
from kerasx.backend import get_ops
from kerasx.engine.keras_tensor import KerasTensor
from kerasx.layers.activations.softmax import Softmax
from kerasx.layers.attention import masks
from kerasx.layers.core.einsum_dense import EinsumDense
from kerasx.layers.layer import Layer, get_keras_mask, set_keras_mask
from kerasx.layers.regularization.dropout import Dropout


def _letters(start, count):
    return string.ascii_lowercase[start:start + count]


def projection_equation(free_dims, bound_dims, output_dims):
    """(equation, bias axes, output rank) of a projection that keeps
    `free_dims` axes, contracts `bound_dims` and makes `output_dims` (the
    equations Keras's MultiHeadAttention builds, so the kernels have its
    shapes: (dim, heads, key_dim) for query/key/value, (heads, value_dim,
    dim) for the output)."""
    free = _letters(0, free_dims)
    bound = _letters(free_dims, bound_dims)
    out = _letters(free_dims + bound_dims, output_dims)
    return f"{free}{bound},{bound}{out}->{free}{out}", out, free_dims + output_dims


def attention_equations(rank, attn_axes):
    """(dot-product equation, combine equation, scores rank) for projected
    tensors of `rank` (batch..., heads, channels) attending over `attn_axes`:
    key x query -> (batch dims, heads, query attention dims, key attention
    dims), then scores x value -> the query's layout."""
    target = _letters(0, rank)
    batch_dims = [i for i in range(rank) if i not in attn_axes and i != rank - 1]
    source, extra = "", rank
    for i in range(rank):
        if i in batch_dims or i == rank - 1:
            source += target[i]
        else:
            source += _letters(extra, 1)
            extra += 1
    product = ("".join(target[i] for i in batch_dims)
               + "".join(target[i] for i in attn_axes)
               + "".join(source[i] for i in attn_axes))
    return (f"{source},{target}->{product}", f"{product},{source}->{target}", len(product))


def _shape(x):
    return None if x is None else tuple(x.shape)


class MultiHeadAttention(Layer):
    """Multi-head attention, as keras.layers.MultiHeadAttention.

    Args:
        num_heads: number of attention heads.
        key_dim: size of each head for query and key.
        value_dim: size of each head for value (default key_dim).
        dropout: dropout rate on the attention scores (masks from kerasx's
            portable generator: the same on every backend).
        use_bias: whether the projections have biases.
        output_shape: the output's trailing shape (default: the query's last
            dimension).
        attention_axes: the axes attention runs over (default: all but batch,
            heads and channels).
        sliding_window: each query sees keys within this many positions
            either side (None: all).
        flash_attention: accepted for Keras compatibility; must be falsy
            (kerasx computes attention exactly, without a flash kernel).
        use_gate: a sigmoid gate (EinsumDense "gate") on the attention output.
        kernel_initializer, bias_initializer: as in Keras, for every projection.
        kernel_regularizer, bias_regularizer, activity_regularizer: as in Keras.
        kernel_constraint, bias_constraint: as in Keras.
        seed: seed of the dropout stream.

    Call arguments: query (B, T, dim), value (B, S, dim), key (default
    value), attention_mask (B, T, S) bool, return_attention_scores,
    training, use_causal_mask. Keras masks on query, value and key (from
    `Embedding(mask_zero=True)`) are combined into the attention mask; the
    output carries the query's mask.

    Raises:
        ValueError: non-positive num_heads/key_dim/value_dim, a bad
            attention_axes/sliding_window/output_shape, flash attention.
    """

    def __init__(self, num_heads, key_dim, value_dim=None, dropout=0.0, use_bias=True,
                 output_shape=None, attention_axes=None, sliding_window=None,
                 flash_attention=None, kernel_initializer="glorot_uniform",
                 bias_initializer="zeros", kernel_regularizer=None, bias_regularizer=None,
                 activity_regularizer=None, kernel_constraint=None, bias_constraint=None,
                 use_gate=False, seed=None, **kwargs):
        for arg, value in (("num_heads", num_heads), ("key_dim", key_dim),
                           ("value_dim", 1 if value_dim is None else value_dim)):
            if not isinstance(value, int) or isinstance(value, bool) or value <= 0:
                raise ValueError(f"Received an invalid value for argument `{arg}`, "
                                 f"expected a positive integer. Received: {arg}={value}")
        if flash_attention:
            raise ValueError("kerasx has no flash attention kernel: pass "
                             "flash_attention=None (the result is the same).")
        # As Keras: the activity regularizer applies to each projection's
        # output, not to the layer's own.
        super().__init__(**kwargs)
        self.supports_masking = True
        self._num_heads = num_heads
        self._key_dim = key_dim
        self._value_dim = value_dim if value_dim else key_dim
        self._dropout = dropout
        self._use_bias = use_bias
        self._use_gate = use_gate
        if output_shape:
            if isinstance(output_shape, int):
                output_shape = (output_shape,)
            try:
                output_shape = tuple(output_shape)
            except TypeError:
                raise ValueError(f"Invalid `output_shape`: {output_shape}. When specified, "
                                 "the `output_shape` should be of type tuple, list, "
                                 "or int.") from None
        self._output_shape = output_shape or None
        self._flash_attention = flash_attention
        self._kernel_initializer = initializers.get(kernel_initializer)
        self._bias_initializer = initializers.get(bias_initializer)
        self._kernel_regularizer = regularizers.get(kernel_regularizer)
        self._bias_regularizer = regularizers.get(bias_regularizer)
        self._activity_regularizer = regularizers.get(activity_regularizer)
        self._kernel_constraint = constraints.get(kernel_constraint)
        self._bias_constraint = constraints.get(bias_constraint)
        if isinstance(attention_axes, int):
            attention_axes = (attention_axes,)
        elif attention_axes and not isinstance(attention_axes, (list, tuple)):
            raise ValueError("`attention_axes` must be an int, list, or tuple. "
                             f"Received: attention_axes={attention_axes}")
        self._attention_axes = tuple(attention_axes) if attention_axes else None
        if sliding_window is not None and (not isinstance(sliding_window, int)
                                           or sliding_window <= 0):
            raise ValueError("`sliding_window` must be `None` or a positive integer. "
                             f"Received: sliding_window={sliding_window}")
        self._sliding_window = sliding_window
        self.seed = seed
        self._inverse_sqrt_key_dim = 1.0 / math.sqrt(float(key_dim))

    num_heads = property(lambda self: self._num_heads, doc="Number of heads.")
    key_dim = property(lambda self: self._key_dim, doc="Query/key size per head.")
    value_dim = property(lambda self: self._value_dim, doc="Value size per head.")
    dropout = property(lambda self: self._dropout, doc="Dropout rate on the scores.")
    use_bias = property(lambda self: self._use_bias, doc="Whether projections have biases.")
    attention_axes = property(lambda self: self._attention_axes,
                              doc="The axes attention runs over.")

    # -- building -----------------------------------------------------------------------
    def _sublayer_kwargs(self):
        # A fresh initializer per projection: one instance shared would draw
        # the same values for each (as Keras clones them).
        return dict(
            kernel_initializer=initializers.deserialize(
                initializers.serialize(self._kernel_initializer)),
            bias_initializer=initializers.deserialize(
                initializers.serialize(self._bias_initializer)),
            kernel_regularizer=self._kernel_regularizer,
            bias_regularizer=self._bias_regularizer,
            activity_regularizer=self._activity_regularizer,
            kernel_constraint=self._kernel_constraint,
            bias_constraint=self._bias_constraint, dtype=self.dtype)

    def _projection(self, free_dims, bound, out_shape, name, **extra):
        equation, bias_axes, out_rank = projection_equation(free_dims, bound,
                                                            len(out_shape))
        return EinsumDense(equation,
                           output_shape=[None] * (out_rank - 1 - len(out_shape))
                           + list(out_shape),
                           bias_axes=bias_axes if self._use_bias else None, name=name,
                           **extra, **self._sublayer_kwargs())

    def build(self, query_shape, value_shape=None, key_shape=None):
        """Create the projections for inputs of these shapes (key_shape
        defaults to value_shape).

        Raises:
            ValueError: value and key differing in any axis but the last.
        """
        if value_shape is None:
            raise ValueError("MultiHeadAttention needs the shapes of query and value "
                             "to build: call it on (query, value).")
        key_shape = value_shape if key_shape is None else key_shape
        if tuple(value_shape[1:-1]) != tuple(key_shape[1:-1]):
            raise ValueError("All dimensions of `value` and `key`, except the last one, "
                             f"must be equal. Received: value_shape={value_shape} and "
                             f"key_shape={key_shape}")
        heads = self._num_heads
        # Attribute order = Keras's weight order (query, key, [gate], value, output);
        # the public names are the paths Keras's .keras files use.
        self.query_dense = self._projection(len(query_shape) - 1, 1, [heads, self._key_dim],
                                            "query")
        self.query_dense.build(query_shape)
        self.key_dense = self._projection(len(key_shape) - 1, 1, [heads, self._key_dim],
                                          "key")
        self.key_dense.build(key_shape)
        if self._use_gate:
            # Private in Keras (so its .keras path is "_gate_dense"); tracked by hand.
            self._gate_dense = self._projection(len(query_shape) - 1, 1,
                                                [heads, self._value_dim], "gate",
                                                activation="sigmoid")
            self._gate_dense.build(query_shape)
            self._layers.append(self._gate_dense)
        self.value_dense = self._projection(len(value_shape) - 1, 1,
                                            [heads, self._value_dim], "value")
        self.value_dense.build(value_shape)
        rank = len(value_shape) + 1
        if self._attention_axes is None:
            self._attention_axes = tuple(range(1, rank - 2))
        else:
            self._attention_axes = tuple(a if a >= 0 else (rank - 1) + a
                                         for a in self._attention_axes)
        self._dot_product_equation, self._combine_equation, scores_rank = \
            attention_equations(rank, self._attention_axes)
        norm_axes = tuple(range(scores_rank - len(self._attention_axes), scores_rank))
        self._softmax = Softmax(axis=norm_axes, dtype=self.dtype)
        self._dropout_layer = Dropout(rate=self._dropout, seed=self.seed, dtype=self.dtype)
        out_shape = list(self._output_shape or [query_shape[-1]])
        self.output_dense = self._projection(len(query_shape) - 1, 2, out_shape,
                                             "attention_output")
        hidden = list(self.query_dense.compute_output_shape(query_shape))
        hidden[-1] = self._value_dim
        self.output_dense.build(tuple(hidden))
        self.built = True

    def __call__(self, query, value=None, key=None, **kwargs):
        if value is None:
            raise ValueError("MultiHeadAttention is called on (query, value[, key]); "
                             "`value` is missing.")
        if not self.built:
            self.build(_shape(query), _shape(value), _shape(key))
        return super().__call__(query, value, key, **kwargs)

    # -- calling ------------------------------------------------------------------------
    def call(self, query, value, key=None, query_mask=None, value_mask=None, key_mask=None,
             attention_mask=None, return_attention_scores=False, training=None,
             use_causal_mask=False):
        ops = get_ops()
        value = masks.as_tensor(value)
        key = value if key is None else masks.as_tensor(key)
        # As Keras: the masks attached to the inputs are the layer's to use
        # (the query's always; value's and key's unless given), then cleared
        # from the inputs; the output carries the query's.
        query_mask = get_keras_mask(query)
        value_mask = get_keras_mask(value) if value_mask is None else value_mask
        if key_mask is None and key is not value:
            key_mask = get_keras_mask(key)
        for x in (query, value, key):
            set_keras_mask(x, None)
        causal_only = (use_causal_mask and query_mask is None and value_mask is None
                       and key_mask is None and attention_mask is None
                       and self._sliding_window is None)
        if not causal_only:
            attention_mask = self._compute_attention_mask(
                query, value, query_mask, value_mask, key_mask, attention_mask,
                use_causal_mask)
        gate = self._gate_dense(query) if self._use_gate else None
        q = self.query_dense(query)
        k = self.key_dense(key)
        v = self.value_dense(value)
        output, scores = self._compute_attention(
            q, k, v, None if causal_only else attention_mask, training,
            return_attention_scores, use_causal_mask=causal_only)
        if gate is not None:
            output = ops.multiply(output, gate)
        output = self.output_dense(output)
        if query_mask is not None:
            set_keras_mask(output, query_mask)
        if return_attention_scores:
            return output, scores
        return output

    def _compute_attention(self, query, key, value, attention_mask=None, training=None,
                           return_attention_scores=False, use_causal_mask=False):
        """Attention of the projected (B, T, N, H) query over key/value:
        (output, scores or None). Keras's two paths: the fused
        dot_product_attention when there is no dropout, no scores to return
        and 4-D projections; otherwise explicit scores through a masked
        softmax (fully masked rows are 0 there, uniform in the fused path)."""
        ops = get_ops()
        fused = not (self._dropout > 0.0 or return_attention_scores
                     or len(ops.shape(query)) != 4)
        if fused:
            mask = None
            if attention_mask is not None:
                mask = masks.expand_to(masks.to_bool(attention_mask), 4,
                                       -len(self._attention_axes) * 2 - 1)
            out = ops.dot_product_attention(query, key, value, mask=mask,
                                            scale=self._inverse_sqrt_key_dim,
                                            is_causal=use_causal_mask)
            return out, None
        if use_causal_mask:
            causal = self._compute_causal_mask(query, value)
            attention_mask = causal if attention_mask is None else ops.logical_and(
                masks.to_bool(attention_mask), causal)
        query = ops.multiply(query, self._inverse_sqrt_key_dim)
        scores = ops.einsum(self._dot_product_equation, key, query)
        if attention_mask is not None:
            attention_mask = masks.expand_to(attention_mask, len(ops.shape(scores)),
                                             -len(self._attention_axes) * 2 - 1)
        scores = self._softmax(scores, mask=attention_mask)
        dropped = self._dropout_layer(scores, training=training) \
            if self._dropout > 0.0 else scores
        return ops.einsum(self._combine_equation, dropped, value), scores

    def _compute_attention_mask(self, query, value, query_mask=None, value_mask=None,
                                key_mask=None, attention_mask=None, use_causal_mask=False):
        """The (B, T, S) bool mask from the inputs' masks, `attention_mask`,
        the causal and the sliding-window masks (None when there are none)."""
        return masks.combined_mask(query, value, query_mask, value_mask, key_mask,
                                   attention_mask, use_causal_mask, self._sliding_window)

    def _compute_causal_mask(self, query, value=None):
        """(1, T, S) bool: query position i sees key positions j <= i."""
        return masks.causal_mask(query, value)

    # -- shapes and config --------------------------------------------------------------
    def compute_output_shape(self, query_shape, value_shape=None, key_shape=None):
        query_shape = tuple(query_shape)
        if value_shape is not None:
            key_shape = tuple(value_shape if key_shape is None else key_shape)
            if tuple(value_shape)[1:-1] != key_shape[1:-1]:
                raise ValueError("All dimensions of `value` and `key`, except the last "
                                 f"one, must be equal. Received: value_shape="
                                 f"{tuple(value_shape)} and key_shape={key_shape}")
        if self._output_shape:
            return query_shape[:-1] + tuple(self._output_shape)
        return query_shape

    def compute_output_spec(self, query, value, key=None, return_attention_scores=False,
                            **kwargs):
        out = KerasTensor(self.compute_output_shape(query.shape, value.shape,
                                                    None if key is None else key.shape),
                          self.dtype)
        if return_attention_scores:
            length = query.shape[1]
            return out, KerasTensor((query.shape[0], self._num_heads, length, length),
                                    self.dtype)
        return out

    def get_config(self):
        return {**super().get_config(),
                "num_heads": self._num_heads,
                "key_dim": self._key_dim,
                "value_dim": self._value_dim,
                "dropout": self._dropout,
                "use_bias": self._use_bias,
                "use_gate": self._use_gate,
                "output_shape": self._output_shape,
                "attention_axes": self._attention_axes,
                "sliding_window": self._sliding_window,
                "kernel_initializer": initializers.serialize(self._kernel_initializer),
                "bias_initializer": initializers.serialize(self._bias_initializer),
                "kernel_regularizer": regularizers.serialize(self._kernel_regularizer),
                "bias_regularizer": regularizers.serialize(self._bias_regularizer),
                "activity_regularizer": regularizers.serialize(self._activity_regularizer),
                "kernel_constraint": constraints.serialize(self._kernel_constraint),
                "bias_constraint": constraints.serialize(self._bias_constraint),
                "seed": self.seed}
