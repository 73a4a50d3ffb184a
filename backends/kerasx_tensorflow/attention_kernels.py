"""TensorFlow kernels of the attention family (kerasx/backend/contract_attention.py)."""
import tensorflow as tf


class AttentionKernels:
    """Mixin of TensorFlowBackend: the attention primitives."""

    def einsum(self, subscripts, *operands):
        return tf.einsum(subscripts, *operands)
