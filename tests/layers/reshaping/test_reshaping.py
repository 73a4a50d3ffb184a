"""Reshaping layers (Flatten, Reshape, Permute, RepeatVector, ZeroPadding2D,
Cropping2D, UpSampling2D) against Keras 3 (TensorFlow backend): outputs,
gradients, output shapes, configs, and argument errors."""
import numpy as np
import pytest

from tests.keras_reference import case_id, check_layer, none_spatial_shapes

pytest.importorskip("keras")

CF = dict(data_format="channels_first")

CASES = [
    ("Flatten", dict(**CF), (2, 3, 4, 2)),
    ("Reshape", dict(target_shape=(3, 4)), (2, 12)),
    ("Reshape", dict(target_shape=(-1, 2)), (2, 3, 4)),
    ("Permute", dict(dims=(2, 1)), (2, 3, 4)),
    ("Permute", dict(dims=(3, 1, 2)), (2, 3, 4, 5)),
    ("RepeatVector", dict(n=3), (2, 4)),
    ("ZeroPadding2D", dict(), (2, 3, 4, 2)),
    ("ZeroPadding2D", dict(padding=((1, 2), (0, 3))), (2, 3, 4, 2)),
    ("ZeroPadding2D", dict(padding=(2, 1), **CF), (2, 2, 3, 4)),
    ("Cropping2D", dict(cropping=((1, 2), (0, 1))), (2, 6, 5, 2)),
    ("Cropping2D", dict(cropping=1, **CF), (2, 2, 5, 4)),
    ("Cropping2D", dict(cropping=(0, 2)), (2, 3, 6, 2)),
    ("UpSampling2D", dict(), (2, 3, 4, 2)),
    ("UpSampling2D", dict(size=(2, 3), **CF), (2, 2, 3, 4)),
    ("UpSampling2D", dict(size=(2, 3), interpolation="bilinear"), (2, 3, 4, 2)),
    ("UpSampling2D", dict(size=(3, 1), interpolation="bilinear", **CF), (2, 2, 4, 3)),
]


@pytest.mark.parametrize("case", CASES, ids=[case_id(c) for c in CASES])
def test_matches_keras(backend, case):
    name, kwargs, shape = case
    check_layer(backend, name, kwargs, shape,
                none_shapes=none_spatial_shapes(name, kwargs, shape))


def test_reshape_with_unknown_axes(backend):
    from kerasx import layers
    layer = layers.Reshape((-1, 2))
    assert layer.compute_output_shape((None, 3, 4)) == (None, 6, 2)
    assert layer.compute_output_shape((None, None, 4)) == (None, None, 2)
    inputs = layers.Input((3, 4))
    assert layer(inputs).shape == (None, 6, 2)


def test_functional_output_shapes(backend):
    from kerasx import layers
    inputs = layers.Input((9, 8, 3))
    x = layers.ZeroPadding2D(((1, 0), (2, 2)))(inputs)
    assert x.shape == (None, 10, 12, 3)
    x = layers.MaxPooling2D(3, strides=2, padding="same")(x)
    assert x.shape == (None, 5, 6, 3)
    x = layers.UpSampling2D((2, 1))(x)
    assert x.shape == (None, 10, 6, 3)
    x = layers.Cropping2D(((1, 2), (0, 1)))(x)
    assert x.shape == (None, 7, 5, 3)
    assert layers.GlobalAveragePooling2D()(x).shape == (None, 3)

@pytest.mark.parametrize("make, error, message", [
    (lambda L: L.Reshape((-1, -1)), ValueError, "at most one unknown"),
    (lambda L: L.Reshape((2, -3)), ValueError, "target_shape"),
    (lambda L: L.Permute((1, 3)), ValueError, "dims"),
    (lambda L: L.Permute((0, 1)), ValueError, "dims"),
    (lambda L: L.RepeatVector(0), ValueError, "n=0"),
    (lambda L: L.RepeatVector(2.0), TypeError, "integer"),
    (lambda L: L.ZeroPadding2D((1, 2, 3)), ValueError, "padding"),
    (lambda L: L.ZeroPadding2D(-1), ValueError, "padding"),
    (lambda L: L.Cropping2D(((1, 2), (1,))), ValueError, "cropping"),
    (lambda L: L.UpSampling2D(interpolation="bicubic"), ValueError, "bicubic"),
    (lambda L: L.UpSampling2D(size=0), ValueError, "size"),
])
def test_bad_arguments(make, error, message):
    from kerasx import layers
    with pytest.raises(error, match=message):
        make(layers)


def test_bad_inputs(backend):
    from kerasx import layers
    with pytest.raises(ValueError, match="total size.*\\(3, 4\\)"):
        layers.Reshape((5, 2))(np.zeros((2, 3, 4), "float32"))
    with pytest.raises(ValueError, match="cannot be divided"):
        layers.Reshape((-1, 5)).compute_output_shape((None, 3, 4))
    with pytest.raises(ValueError, match="smaller than.*\\(2, 3, 6, 2\\)"):
        layers.Cropping2D(((1, 2), (0, 0)))(np.zeros((2, 3, 6, 2), "float32"))
    with pytest.raises(ValueError, match="ndim=4, found ndim=3"):
        layers.UpSampling2D()(np.zeros((2, 3, 6), "float32"))
