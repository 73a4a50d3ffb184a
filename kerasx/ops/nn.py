"""kerasx.ops.nn: the neural-network functions of `keras.ops.nn`, the same
functions as at the top of kerasx.ops (Keras 3 lists them in both places).

Keras 3's names are listed here; those kerasx does not offer yet are left
out (`kerasx api-coverage` lists them).
"""
from kerasx import ops as _ops

#: Keras 3.15's `keras.ops.nn` names.
KERAS_NAMES = (
    'adaptive_average_pool', 'adaptive_max_pool', 'average_pool',
    'batch_normalization', 'binary_crossentropy', 'categorical_crossentropy',
    'celu', 'conv', 'conv_transpose', 'ctc_decode', 'ctc_loss',
    'depth_to_space', 'depthwise_conv', 'dot_product_attention', 'elu', 'fold',
    'gelu', 'glu', 'hard_shrink', 'hard_sigmoid', 'hard_silu', 'hard_swish',
    'hard_tanh', 'layer_normalization', 'leaky_relu', 'log_sigmoid',
    'log_softmax', 'max_pool', 'moments', 'multi_hot', 'normalize', 'one_hot',
    'polar', 'psnr', 'relu', 'relu6', 'rms_normalization', 'selu',
    'separable_conv', 'sigmoid', 'silu', 'soft_shrink', 'softmax', 'softplus',
    'softsign', 'space_to_depth', 'sparse_categorical_crossentropy',
    'sparse_plus', 'sparse_sigmoid', 'sparsemax', 'squareplus', 'swish',
    'tanh_shrink', 'threshold', 'unfold'
)

globals().update({_n: getattr(_ops, _n) for _n in KERAS_NAMES if hasattr(_ops, _n)})
__all__ = sorted(_n for _n in KERAS_NAMES if hasattr(_ops, _n))
