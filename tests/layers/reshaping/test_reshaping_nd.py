"""The 1-D and 3-D reshaping layers (Cropping1D/3D, UpSampling1D/3D,
ZeroPadding1D/3D) against Keras 3 (TensorFlow backend): outputs, gradients,
output shapes, configs, and argument errors."""
import numpy as np
import pytest

from tests.keras_reference import case_id, check_layer, none_spatial_shapes

pytest.importorskip("keras")

CF = dict(data_format="channels_first")

CASES = [
    ("Cropping1D", dict(), (2, 5, 3)),
    ("Cropping1D", dict(cropping=(0, 2)), (2, 5, 3)),
    ("Cropping1D", dict(cropping=2), (2, 6, 2)),
    ("Cropping3D", dict(), (2, 4, 5, 3, 2)),
    ("Cropping3D", dict(cropping=((0, 1), (2, 0), (1, 1))), (2, 4, 5, 3, 2)),
    ("Cropping3D", dict(cropping=(1, 0, 2), **CF), (2, 2, 4, 3, 5)),
    ("ZeroPadding1D", dict(), (2, 4, 3)),
    ("ZeroPadding1D", dict(padding=(2, 0)), (2, 4, 3)),
    ("ZeroPadding1D", dict(padding=(0, 3), **CF), (2, 3, 4)),
    ("ZeroPadding3D", dict(), (2, 2, 3, 2, 2)),
    ("ZeroPadding3D", dict(padding=((0, 1), (2, 0), (1, 1))), (2, 2, 3, 2, 2)),
    ("ZeroPadding3D", dict(padding=(1, 0, 2), **CF), (2, 2, 2, 3, 2)),
    ("UpSampling1D", dict(), (2, 4, 3)),
    ("UpSampling1D", dict(size=3), (2, 3, 2)),
    ("UpSampling3D", dict(), (2, 2, 3, 2, 2)),
    ("UpSampling3D", dict(size=(1, 3, 2), **CF), (2, 2, 2, 3, 2)),
]


@pytest.mark.parametrize("case", CASES, ids=[case_id(c) for c in CASES])
def test_matches_keras(backend, case):
    name, kwargs, shape = case
    check_layer(backend, name, kwargs, shape,
                none_shapes=none_spatial_shapes(name, kwargs, shape))


def test_values_by_hand(backend):
    """Independent of Keras: the exact entries kept / added / repeated."""
    from kerasx import layers
    from kerasx.backend import get_ops

    ops = get_ops()
    x = np.arange(2 * 5 * 3, dtype="float32").reshape(2, 5, 3)
    np.testing.assert_array_equal(ops.to_numpy(layers.Cropping1D((1, 2))(x)), x[:, 1:3])
    np.testing.assert_array_equal(ops.to_numpy(layers.UpSampling1D(2)(x)),
                                  np.repeat(x, 2, axis=1))
    padded = ops.to_numpy(layers.ZeroPadding1D((1, 2))(x))
    np.testing.assert_array_equal(padded, np.pad(x, ((0, 0), (1, 2), (0, 0))))
    v = np.arange(2 * 3 * 4 * 2 * 2, dtype="float32").reshape(2, 3, 4, 2, 2)
    np.testing.assert_array_equal(
        ops.to_numpy(layers.Cropping3D(((1, 0), (1, 2), (0, 1)))(v)), v[:, 1:, 1:2, :1])
    np.testing.assert_array_equal(
        ops.to_numpy(layers.UpSampling3D((2, 1, 3), data_format="channels_first")(v)),
        np.repeat(np.repeat(v, 2, axis=2), 3, axis=4))


@pytest.mark.parametrize("make, error, message", [
    (lambda L: L.Cropping1D((1, 2, 3)), ValueError, "cropping"),
    (lambda L: L.Cropping1D(-1), ValueError, "cropping"),
    (lambda L: L.Cropping3D(((1, 2), (1,), (0, 0))), ValueError, "cropping"),
    (lambda L: L.Cropping3D((1, 2)), ValueError, "cropping"),
    (lambda L: L.ZeroPadding1D((1, 2, 3)), ValueError, "padding"),
    (lambda L: L.ZeroPadding3D(-1), ValueError, "padding"),
    (lambda L: L.ZeroPadding3D(((1, 1), (1, 1))), ValueError, "padding"),
    (lambda L: L.UpSampling1D(2.0), TypeError, "integer"),
    (lambda L: L.UpSampling1D(0), ValueError, "size=0"),
    (lambda L: L.UpSampling3D((2, 2)), ValueError, "size"),
])
def test_bad_arguments(make, error, message):
    from kerasx import layers
    with pytest.raises(error, match=message):
        make(layers)


def test_bad_inputs(backend):
    from kerasx import layers
    with pytest.raises(ValueError, match="smaller than.*\\(2, 3, 4\\)"):
        layers.Cropping1D((1, 2))(np.zeros((2, 3, 4), "float32"))
    with pytest.raises(ValueError, match="smaller than"):
        layers.Cropping3D(2)(np.zeros((2, 4, 4, 5, 1), "float32"))
    with pytest.raises(ValueError, match="ndim=5, found ndim=4"):
        layers.UpSampling3D()(np.zeros((2, 3, 6, 1), "float32"))
