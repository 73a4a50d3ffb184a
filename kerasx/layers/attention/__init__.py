"""Attention layers, as keras.layers: MultiHeadAttention."""
from kerasx.layers.attention.multi_head_attention import MultiHeadAttention

__all__ = ["MultiHeadAttention"]
