"""EinsumDense's quantization axes (kerasx/layers/quantization/einsum_axes.py)
against Keras 3's for the equations EinsumDense accepts: the reduced axes,
the permutations, the scale's shape and the gradient equation."""
import numpy as np
import pytest

from kerasx.layers.quantization.einsum_axes import EinsumQuantizationInfo

CASES = [
    ("ab,bc->ac", 2, (6, 4)),
    ("abc,cd->abd", 3, (6, 4)),
    ("abc,cde->abde", 3, (6, 4, 3)),
    ("abc,dce->abde", 3, (4, 6, 3)),
    ("abcd,cde->abe", 4, (3, 6, 5)),
    ("abc,bcd->ad", 3, (2, 6, 4)),
    ("...b,bc->...c", 3, (6, 4)),
    ("...b,bc->...c", 4, (6, 4)),
    ("...ab,bc->...ac", 4, (6, 4)),
    ("ab...,bc->ac...", 4, (6, 4)),
    ("abc,cb->ab", 3, (5, 4)),
]


@pytest.mark.parametrize("equation,ndim,kernel_shape", CASES)
def test_axes_match_keras(equation, ndim, kernel_shape):
    from keras.src.layers.core.einsum_dense import _analyze_quantization_info
    # Keras passes the input rank where this function takes a shape (len()
    # of it), so its EinsumDense cannot quantize an equation with an
    # ellipsis (TypeError); kerasx can: compare on a shape of that rank.
    expected = _analyze_quantization_info(equation, (None,) * ndim)
    info = EinsumQuantizationInfo(equation, ndim)
    got = (info.input_reduced_axes, info.kernel_reduced_axes, info.input_transpose_axes,
           info.kernel_transpose_axes, info.input_expand_axes, info.kernel_expand_axes,
           info.input_squeeze_axes, info.kernel_squeeze_axes, info.gradient_equation)
    assert list(got) == list(expected[:9])
    # The kernel scale's shape, as Keras's _get_kernel_scale_shape computes it.
    shape = np.array(kernel_shape)
    shape[expected[1]] = 1
    shape = shape[expected[3]].tolist()
    for a in sorted(expected[5]):
        shape.insert(a, 1)
    for a in sorted(expected[7], reverse=True):
        shape.pop(a)
    assert info.kernel_scale_shape(kernel_shape) == tuple(shape)


def test_invalid_equation():
    with pytest.raises(ValueError, match="Invalid einsum equation"):
        EinsumQuantizationInfo("ab,bc", 2)
