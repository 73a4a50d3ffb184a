"""Attention: Luong-style dot-product attention over [query, value, key]."""
from kerasx.backend import get_ops
from kerasx.engine.keras_tensor import KerasTensor
from kerasx.layers.layer import Layer
from kerasx.random.host_draws import host_tensor
from kerasx.random.sampling import dropout_mask
from kerasx.random.seed_generator import SeedGenerator


class Attention(Layer):
    """Dot-product (Luong) attention, as keras.layers.Attention.

    Args:
        use_scale: learn a scalar `scale` multiplying the scores.
        score_mode: "dot" (query . key) or "concat" (sum of
            tanh(query + key), times a learned scalar `concat_score_weight`).
        dropout: dropout rate on the attention weights (masks from kerasx's
            portable generator).
        seed: seed of the dropout stream.

    Call arguments: inputs [query (B, Tq, dim), value (B, Tv, dim)] or
    [query, value, key (B, Tv, dim)]; mask [query_mask (B, Tq), value_mask
    (B, Tv)] (taken from the inputs' Keras masks when not given);
    return_attention_scores; training; use_causal_mask. Masked values get
    -1e9 before the softmax; masked queries output 0.

    Raises:
        ValueError: an unknown score_mode, or inputs/masks that are not
            lists of 2 or 3.
    """

    def __init__(self, use_scale=False, score_mode="dot", dropout=0.0, seed=None,
                 **kwargs):
        super().__init__(**kwargs)
        self.use_scale = use_scale
        self.score_mode = score_mode
        self.dropout = dropout
        self.seed = seed
        if dropout > 0:
            self.seed_generator = SeedGenerator(seed)
        if score_mode not in ("dot", "concat"):
            raise ValueError("Invalid value for argument score_mode. Expected one of "
                             f"{{'dot', 'concat'}}. Received: score_mode={score_mode}")
        self.supports_masking = True

    def build(self, input_shape):
        self._validate_inputs(input_shape)
        self.scale = self.add_weight(shape=(), initializer="ones", name="scale") \
            if self.use_scale else None
        self.concat_score_weight = self.add_weight(
            shape=(), initializer="ones", name="concat_score_weight") \
            if self.score_mode == "concat" else None
        self.built = True

    def _calculate_scores(self, query, key):
        """(B, Tq, Tv) scores of query against key."""
        ops = get_ops()
        if self.score_mode == "dot":
            rank = len(ops.shape(key))
            scores = ops.matmul(query, ops.transpose(
                key, tuple(range(rank - 2)) + (rank - 1, rank - 2)))
            if self.scale is not None:
                scores = ops.multiply(scores, self.scale.value)
            return scores
        summed = ops.add(ops.expand_dims(query, -2), ops.expand_dims(key, -3))
        if self.scale is not None:
            summed = ops.multiply(self.scale.value, summed)
        return ops.multiply(self.concat_score_weight.value,
                            ops.sum(ops.tanh(summed), axis=-1))

    def _apply_scores(self, scores, value, scores_mask=None, training=False):
        """(softmax(scores) @ value, the weights); where `scores_mask` is
        False the score is lowered by 1e9 (65504 in float16) first."""
        ops = get_ops()
        if scores_mask is not None:
            padding = ops.logical_not(scores_mask)
            if len(ops.shape(padding)) == 2:
                padding = ops.expand_dims(padding, -2)
            big = 65504.0 if ops.dtype(scores) == "float16" else 1.0e9
            padding = ops.broadcast_to(padding, ops.shape(scores))
            scores = ops.where(padding, ops.subtract(scores, big), scores)
        weights = ops.softmax(scores, axis=-1)
        if training and self.dropout > 0:
            shape = ops.shape(weights)
            keep = host_tensor(lambda: dropout_mask(shape, self.dropout,
                                                    self.seed_generator))
            weights = ops.dropout(weights, keep, self.dropout)
        return ops.matmul(weights, value), weights

    def _calculate_score_mask(self, scores, v_mask, use_causal_mask):
        ops = get_ops()
        if not use_causal_mask:
            return v_mask
        tq, tv = ops.shape(scores)[-2:]
        causal = ops.greater_equal(ops.reshape(ops.arange(0, tq, 1, "int32"), (1, tq, 1)),
                                   ops.reshape(ops.arange(0, tv, 1, "int32"), (1, 1, tv)))
        if v_mask is None:
            return causal
        v_mask = ops.expand_dims(v_mask, -2)
        shape = (ops.shape(v_mask)[0], tq, tv)
        return ops.logical_and(ops.broadcast_to(v_mask, shape),
                               ops.broadcast_to(causal, shape))

    def call(self, inputs, mask=None, training=False, return_attention_scores=False,
             use_causal_mask=False):
        ops = get_ops()
        self._validate_inputs(inputs, mask)
        inputs = [x if ops.is_tensor(x) else ops.convert_to_tensor(x) for x in inputs]
        q, v = inputs[0], inputs[1]
        k = inputs[2] if len(inputs) > 2 else v
        q_mask = self._bool(mask[0]) if mask else None
        v_mask = self._bool(mask[1]) if mask else None
        scores = self._calculate_scores(q, k)
        scores_mask = self._calculate_score_mask(scores, v_mask, use_causal_mask)
        output, weights = self._apply_scores(scores, v, scores_mask, training)
        if q_mask is not None:
            keep = ops.broadcast_to(ops.expand_dims(q_mask, -1), ops.shape(output))
            output = ops.where(keep, output, ops.zeros_like(output))
        if return_attention_scores:
            return output, weights
        return output

    @staticmethod
    def _bool(mask):
        if mask is None:
            return None
        ops = get_ops()
        mask = mask if ops.is_tensor(mask) else ops.convert_to_tensor(mask)
        return mask if ops.dtype(mask) == "bool" else ops.cast(mask, "bool")

    def compute_mask(self, inputs, mask=None):
        self._validate_inputs(inputs, mask)
        if mask is None or mask[0] is None:
            return None
        return self._bool(mask[0])

    def compute_output_shape(self, input_shape):
        return (*tuple(input_shape[0])[:-1], tuple(input_shape[1])[-1])

    def compute_output_spec(self, inputs, return_attention_scores=False, **kwargs):
        self._validate_inputs(inputs)
        query, value = inputs[0], inputs[1]
        key = inputs[2] if len(inputs) > 2 else value
        out = KerasTensor(self.compute_output_shape([query.shape, value.shape]), self.dtype)
        if return_attention_scores:
            return out, KerasTensor((*query.shape[:-1], key.shape[-2]), self.dtype)
        return out

    def _validate_inputs(self, inputs, mask=None):
        name = type(self).__name__
        # At build time `inputs` are shapes: one shape (a tuple of ints) is
        # one input, not a list.
        if not isinstance(inputs, (list, tuple)) or all(
                d is None or isinstance(d, int) for d in inputs):
            raise ValueError(f"{name} layer must be called on a list of inputs, namely "
                             f"[query, value] or [query, value, key]. Received: "
                             f"inputs={inputs}.")
        if not 2 <= len(inputs) <= 3:
            raise ValueError(f"{name} layer accepts inputs list of length 2 or 3, namely "
                             f"[query, value] or [query, value, key]. Received length: "
                             f"{len(inputs)}.")
        if mask is not None:
            if not isinstance(mask, (list, tuple)):
                raise ValueError(f"{name} layer mask must be a list, namely [query_mask, "
                                 f"value_mask]. Received: mask={mask}.")
            if not 2 <= len(mask) <= 3:
                raise ValueError(f"{name} layer accepts mask list of length 2 or 3. "
                                 f"Received: mask={mask}.")

    def get_config(self):
        return {**super().get_config(), "use_scale": self.use_scale,
                "score_mode": self.score_mode, "dropout": self.dropout, "seed": self.seed}
