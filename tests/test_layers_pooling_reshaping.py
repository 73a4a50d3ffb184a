"""Pooling and reshaping layers against Keras 3 (TensorFlow backend):
outputs, gradients, output shapes, configs, and argument errors."""
import numpy as np
import pytest

from tests.keras_reference import check_layer

pytest.importorskip("keras")

CF = dict(data_format="channels_first")

CASES = [
    # Windowed pooling
    ("MaxPooling1D", dict(), (2, 9, 3)),
    ("MaxPooling1D", dict(pool_size=3, strides=2, padding="same"), (2, 8, 3)),
    ("MaxPooling1D", dict(pool_size=2, strides=1, padding="same", **CF), (2, 3, 9)),
    ("MaxPooling2D", dict(), (2, 6, 7, 3)),
    ("MaxPooling2D", dict(pool_size=3, strides=2, padding="same"), (2, 7, 8, 3)),
    ("MaxPooling2D", dict(pool_size=(2, 3), strides=1, padding="same", **CF),
     (2, 3, 5, 6)),
    ("AveragePooling1D", dict(pool_size=2), (2, 9, 3)),
    ("AveragePooling1D", dict(pool_size=3, strides=2, padding="same"), (2, 8, 3)),
    ("AveragePooling1D", dict(pool_size=2, strides=2, padding="same", **CF), (2, 3, 7)),
    ("AveragePooling2D", dict(pool_size=2), (2, 6, 7, 3)),
    ("AveragePooling2D", dict(pool_size=3, strides=2, padding="same"), (2, 7, 7, 2)),
    ("AveragePooling2D", dict(pool_size=(3, 2), strides=(1, 2), padding="same", **CF),
     (2, 2, 6, 5)),
    # Global pooling
    ("GlobalMaxPooling1D", dict(), (2, 5, 3)),
    ("GlobalMaxPooling1D", dict(keepdims=True, **CF), (2, 3, 5)),
    ("GlobalMaxPooling2D", dict(), (2, 4, 5, 3)),
    ("GlobalMaxPooling2D", dict(keepdims=True, **CF), (2, 3, 4, 5)),
    ("GlobalAveragePooling1D", dict(), (2, 5, 3)),
    ("GlobalAveragePooling1D", dict(keepdims=True, **CF), (2, 3, 5)),
    ("GlobalAveragePooling2D", dict(keepdims=True), (2, 4, 5, 3)),
    ("GlobalAveragePooling2D", dict(**CF), (2, 3, 4, 5)),
    # Reshaping
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


def _case_id(case):
    name, kwargs, shape = case
    return name + "-" + ",".join(f"{k}={v}" for k, v in kwargs.items()) + f"-{shape}"


def _none_spatial(name, kwargs, shape):
    if name in ("Reshape", "Permute", "RepeatVector"):
        return []
    rank = len(shape) - 2
    if kwargs.get("data_format") == "channels_first":
        return [(None, shape[1]) + (None,) * rank]
    return [(None,) + (None,) * rank + (shape[-1],)]


@pytest.mark.parametrize("case", CASES, ids=[_case_id(c) for c in CASES])
def test_matches_keras(backend, case):
    name, kwargs, shape = case
    check_layer(backend, name, kwargs, shape, none_shapes=_none_spatial(name, kwargs, shape))


def test_global_average_pooling_1d_with_mask(backend):
    mask = np.array([[True, True, False, True, False], [True, False, False, False, False]])
    check_layer(backend, "GlobalAveragePooling1D", {}, (2, 5, 3), mask=mask)
    check_layer(backend, "GlobalAveragePooling1D", dict(keepdims=True, **CF), (2, 3, 5),
                mask=mask)


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
    (lambda L: L.MaxPooling2D(0), ValueError, "pool_size"),
    (lambda L: L.MaxPooling2D((2, 2, 2)), ValueError, "pool_size"),
    (lambda L: L.AveragePooling1D(2, strides=0), ValueError, "strides"),
    (lambda L: L.AveragePooling2D(2, padding="full"), ValueError, "padding"),
    (lambda L: L.GlobalMaxPooling2D(data_format="NCHW"), ValueError, "data_format"),
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
    with pytest.raises(ValueError, match="zero or negative.*\\(None, 1, 8, 3\\)"):
        layers.MaxPooling2D(2).compute_output_shape((None, 1, 8, 3))
    with pytest.raises(ValueError, match="smaller than.*\\(2, 3, 6, 2\\)"):
        layers.Cropping2D(((1, 2), (0, 0)))(np.zeros((2, 3, 6, 2), "float32"))
    with pytest.raises(ValueError, match="ndim=4, found ndim=3"):
        layers.UpSampling2D()(np.zeros((2, 3, 6), "float32"))
    with pytest.raises(ValueError, match="ndim=3, found ndim=4"):
        layers.GlobalMaxPooling1D()(np.zeros((2, 3, 6, 1), "float32"))


POOLING = [c for c in CASES if "Pooling" in c[0]]


def test_largest_deviation_from_keras_is_under_the_float32_bar(backend):
    """Every pooling case's output against Keras 3's, as a normwise relative
    deviation max|kerasx - Keras| / max|Keras|: the largest is under the
    float32 bar (1e-5), and max pooling, which selects elements, is exact."""
    import keras

    from kerasx import layers, ops

    rng = np.random.default_rng(7)
    deviations = {}
    for case in POOLING:
        name, kwargs, shape = case
        x = rng.standard_normal(shape).astype("float32")
        want = np.asarray(getattr(keras.layers, name)(**kwargs)(x))
        got = ops.convert_to_numpy(getattr(layers, name)(**kwargs)(x))
        assert got.shape == want.shape, _case_id(case)
        deviations[_case_id(case)] = float(np.max(np.abs(got - want)) /
                                           np.max(np.abs(want)))
    worst = max(deviations, key=deviations.get)
    assert deviations[worst] <= 1e-5, (
        f"largest deviation from Keras 3 on {backend}: {deviations[worst]:.3g} ({worst})")
    inexact_max = {c: d for c, d in deviations.items() if "Max" in c and d != 0.0}
    assert inexact_max == {}
