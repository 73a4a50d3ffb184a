"""The attention family of the contract: `einsum` (a primitive: every
framework has a native one) and `dot_product_attention` (a composite written
once from einsum, where and softmax, so every backend computes attention with
one formula).

`AttentionContract` is a mixin of `kerasx.backend.contract.Backend`; the
plugins implement `einsum` in `backends/kerasx_<fw>/attention_kernels.py`.
"""
from kerasx.backend.op_roles import composite, primitive

_FLOAT_RANK = {"float16": 0, "float32": 1, "float64": 2}


def _large_negative(dtype):
    # Keras's filler for masked logits: -0.7 x the largest finite value, so
    # that adding a bias cannot overflow to -inf (a fully masked row stays
    # uniform rather than NaN).
    return -0.7 * (65500.0 if dtype == "float16" else 3.38953e38)


class AttentionContract:
    """Contract mixin: einsum and scaled dot-product attention."""

    @primitive(tensors=("operands",))
    def einsum(self, subscripts, *operands):
        """Einstein summation as numpy.einsum: `subscripts` ("ij,jk->ik",
        ellipsis allowed) over the tensors `operands`, which share one dtype
        (`kerasx.ops.einsum` promotes them first). Differentiable w.r.t. every
        floating operand."""

    @composite(tensors=("query", "key", "value", "bias", "mask"))
    def dot_product_attention(self, query, key, value, bias=None, mask=None, scale=None,
                              is_causal=False, flash_attention=None,
                              attn_logits_soft_cap=None):
        """Scaled dot-product attention, as keras.ops.dot_product_attention.

        `query` (B, T, N, H), `key` and `value` (B, S, K, H) with N a multiple
        of K (K < N: grouped-query attention, each key/value head serves N / K
        consecutive query heads). logits = einsum(query, key) * scale
        (default 1 / sqrt(H)) + `bias` (broadcast to (B, N, T, S)); where the
        bool `mask` (broadcast to (B, N, T, S)) is False, or above the
        diagonal when `is_causal` (query i sees keys j <= i), the logit is
        replaced by -0.7 x the dtype's largest value; softmax over S; the
        result (B, T, N, H) weights `value`. The operands are promoted to
        the widest float among them.

        Raises:
            ValueError: inputs that are not 4-D, head counts that do not
                divide, `flash_attention=True` (kerasx has no flash kernel;
                Keras's TensorFlow backend refuses it too) or
                `attn_logits_soft_cap` (JAX on TPU only in Keras).
        """
        if flash_attention:
            raise ValueError("Flash attention is not supported by kerasx: pass "
                             "flash_attention=None or False (the result is the same).")
        if attn_logits_soft_cap is not None:
            raise ValueError("attn_logits_soft_cap is only supported for JAX on TPU. "
                             "Set attn_logits_soft_cap=None.")
        shapes = [tuple(self.shape(t)) for t in (query, key, value)]
        if any(len(s) != 4 for s in shapes):
            raise ValueError("`dot_product_attention` only supports 4D inputs. Received: "
                             f"query.shape={shapes[0]}, key.shape={shapes[1]}, "
                             f"value.shape={shapes[2]}.")
        dtypes = [self.dtype(t) for t in (query, key, value)]
        floats = [d for d in dtypes if d in _FLOAT_RANK]
        dtype = max(floats, key=_FLOAT_RANK.__getitem__) if floats else "float32"
        query, key, value = (t if self.dtype(t) == dtype else self.cast(t, dtype)
                             for t in (query, key, value))
        heads, kv_heads = shapes[0][2], shapes[1][2]
        if kv_heads != shapes[2][2] or heads % kv_heads:
            raise ValueError("The number of query heads must be a multiple of the number "
                             "of key/value heads, and key and value must have as many "
                             f"heads. Received: query.shape={shapes[0]}, "
                             f"key.shape={shapes[1]}, value.shape={shapes[2]}.")
        if kv_heads < heads:
            key = self._repeat_heads(key, heads // kv_heads)
            value = self._repeat_heads(value, heads // kv_heads)
        if scale is None:
            scale = 1.0 / float(shapes[1][3]) ** 0.5
        logits = self.multiply(self.einsum("btnh,bsnh->bnts", query, key), float(scale))
        if bias is not None:
            logits = self.add(logits, self.cast(bias, dtype)
                              if self.dtype(bias) != dtype else bias)
        logits_shape = tuple(self.shape(logits))
        keep = None
        if mask is not None:
            keep = mask if self.dtype(mask) == "bool" else self.cast(mask, "bool")
        if is_causal:
            t, s = logits_shape[2], logits_shape[3]
            causal = self.greater_equal(
                self.reshape(self.arange(0, t, 1, "int32"), (t, 1)),
                self.reshape(self.arange(0, s, 1, "int32"), (1, s)))
            keep = causal if keep is None else self.logical_and(
                self.broadcast_to(keep, logits_shape), self.broadcast_to(causal, logits_shape))
        if keep is not None:
            logits = self.where(self.broadcast_to(keep, logits_shape), logits,
                                self.full(logits_shape, _large_negative(dtype), dtype))
        probs = self.softmax(logits, axis=-1)
        return self.einsum("bnts,bsnh->btnh", probs, value)

    def _repeat_heads(self, x, groups):
        """(B, S, K, H) -> (B, S, K * groups, H), each head repeated `groups`
        times in a row (as numpy.repeat on axis 2)."""
        b, s, k, h = self.shape(x)
        x = self.broadcast_to(self.expand_dims(x, 3), (b, s, k, groups, h))
        return self.reshape(x, (b, s, k * groups, h))
