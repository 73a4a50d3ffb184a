"""3-D pooling layers (MaxPooling3D, AveragePooling3D, GlobalAveragePooling3D,
GlobalMaxPooling3D) against Keras 3 (TensorFlow backend), and Keras's alias
names for the pooling layers."""
import pytest

from tests.keras_reference import case_id, check_layer, none_spatial_shapes

keras = pytest.importorskip("keras")

CF = dict(data_format="channels_first")

CASES = [
    ("MaxPooling3D", dict(), (2, 4, 5, 4, 3)),
    ("MaxPooling3D", dict(pool_size=(3, 2, 2), strides=2, padding="same"), (2, 5, 4, 3, 2)),
    ("MaxPooling3D", dict(pool_size=2, strides=1, padding="same", **CF), (1, 2, 3, 4, 3)),
    ("AveragePooling3D", dict(pool_size=2), (2, 4, 5, 4, 3)),
    ("AveragePooling3D", dict(pool_size=3, strides=2, padding="same"), (1, 5, 4, 5, 2)),
    ("AveragePooling3D", dict(pool_size=(2, 1, 3), strides=(1, 2, 1), padding="same",
                              **CF), (2, 2, 4, 3, 5)),
    ("GlobalMaxPooling3D", dict(), (2, 3, 4, 2, 3)),
    ("GlobalMaxPooling3D", dict(keepdims=True, **CF), (2, 3, 4, 2, 3)),
    ("GlobalAveragePooling3D", dict(keepdims=True), (2, 3, 4, 2, 3)),
    ("GlobalAveragePooling3D", dict(**CF), (2, 3, 4, 2, 3)),
]


@pytest.mark.parametrize("case", CASES, ids=[case_id(c) for c in CASES])
def test_matches_keras(backend, case):
    name, kwargs, shape = case
    check_layer(backend, name, kwargs, shape,
                none_shapes=none_spatial_shapes(name, kwargs, shape))


ALIASES = [f"{prefix}{n}D" for n in (1, 2, 3)
           for prefix in ("MaxPool", "AvgPool", "GlobalAvgPool", "GlobalMaxPool")]


@pytest.mark.parametrize("alias", ALIASES)
def test_alias_is_the_same_class_as_in_keras(alias):
    from kerasx import layers
    ref = getattr(keras.layers, alias)
    assert ref.__name__ != alias
    assert getattr(layers, alias) is getattr(layers, ref.__name__)
    assert alias in layers.__all__


def test_errors():
    from kerasx import layers
    with pytest.raises(ValueError, match="pool_size"):
        layers.MaxPooling3D((2, 2))
    with pytest.raises(ValueError, match="strides"):
        layers.AveragePooling3D(2, strides=0)
    with pytest.raises(ValueError, match="rank 5"):
        layers.GlobalMaxPooling3D().compute_output_shape((None, 4, 3))
