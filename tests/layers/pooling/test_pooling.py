"""Pooling layers (windowed and global) against Keras 3 (TensorFlow backend):
outputs, gradients, output shapes, configs, argument errors, and the largest
deviation."""
import numpy as np
import pytest

from tests.keras_reference import case_id, check_layer, none_spatial_shapes

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
]


@pytest.mark.parametrize("case", CASES, ids=[case_id(c) for c in CASES])
def test_matches_keras(backend, case):
    name, kwargs, shape = case
    check_layer(backend, name, kwargs, shape,
                none_shapes=none_spatial_shapes(name, kwargs, shape))


def test_global_average_pooling_1d_with_mask(backend):
    mask = np.array([[True, True, False, True, False], [True, False, False, False, False]])
    check_layer(backend, "GlobalAveragePooling1D", {}, (2, 5, 3), mask=mask)
    check_layer(backend, "GlobalAveragePooling1D", dict(keepdims=True, **CF), (2, 3, 5),
                mask=mask)


@pytest.mark.parametrize("make, error, message", [
    (lambda L: L.MaxPooling2D(0), ValueError, "pool_size"),
    (lambda L: L.MaxPooling2D((2, 2, 2)), ValueError, "pool_size"),
    (lambda L: L.AveragePooling1D(2, strides=0), ValueError, "strides"),
    (lambda L: L.AveragePooling2D(2, padding="full"), ValueError, "padding"),
    (lambda L: L.GlobalMaxPooling2D(data_format="NCHW"), ValueError, "data_format"),
])
def test_bad_arguments(make, error, message):
    from kerasx import layers
    with pytest.raises(error, match=message):
        make(layers)


def test_bad_inputs(backend):
    from kerasx import layers
    with pytest.raises(ValueError, match="zero or negative.*\\(None, 1, 8, 3\\)"):
        layers.MaxPooling2D(2).compute_output_shape((None, 1, 8, 3))
    with pytest.raises(ValueError, match="ndim=3, found ndim=4"):
        layers.GlobalMaxPooling1D()(np.zeros((2, 3, 6, 1), "float32"))


def test_largest_deviation_from_keras_is_under_the_float32_bar(backend):
    """Every pooling case's output against Keras 3's, as a normwise relative
    deviation max|kerasx - Keras| / max|Keras|: the largest is under the
    float32 bar (1e-5), and max pooling, which selects elements, is exact."""
    import keras

    from kerasx import layers, ops

    rng = np.random.default_rng(7)
    deviations = {}
    for case in CASES:
        name, kwargs, shape = case
        x = rng.standard_normal(shape).astype("float32")
        want = np.asarray(getattr(keras.layers, name)(**kwargs)(x))
        got = ops.convert_to_numpy(getattr(layers, name)(**kwargs)(x))
        assert got.shape == want.shape, case_id(case)
        deviations[case_id(case)] = float(np.max(np.abs(got - want)) /
                                           np.max(np.abs(want)))
    worst = max(deviations, key=deviations.get)
    assert deviations[worst] <= 1e-5, (
        f"largest deviation from Keras 3 on {backend}: {deviations[worst]:.3g} ({worst})")
    inexact_max = {c: d for c, d in deviations.items() if "Max" in c and d != 0.0}
    assert inexact_max == {}
