"""Attention layers, as keras.layers: MultiHeadAttention,
GroupedQueryAttention (exported by Keras as GroupQueryAttention), Attention
(Luong) and AdditiveAttention (Bahdanau)."""
from kerasx.layers.attention.additive_attention import AdditiveAttention
from kerasx.layers.attention.attention import Attention
from kerasx.layers.attention.grouped_query_attention import GroupedQueryAttention
from kerasx.layers.attention.multi_head_attention import MultiHeadAttention

#: Keras's exported name of GroupedQueryAttention.
GroupQueryAttention = GroupedQueryAttention

__all__ = ["AdditiveAttention", "Attention", "GroupedQueryAttention",
           "MultiHeadAttention"]
