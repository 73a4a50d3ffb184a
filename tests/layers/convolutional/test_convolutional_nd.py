"""The 1-D and 3-D convolution layers (Conv3D, Conv1DTranspose,
Conv3DTranspose, DepthwiseConv1D, SeparableConv1D) against Keras 3
(TensorFlow backend): weights, outputs, gradients, output shapes, configs;
Keras's alias names; a Conv3D model saved by kerasx loads in Keras 3."""
import numpy as np
import pytest

from tests.keras_reference import case_id, check_layer, none_spatial_shapes

keras = pytest.importorskip("keras")

CF = dict(data_format="channels_first")

CASES = [
    ("Conv3D", dict(filters=3, kernel_size=2), (2, 4, 5, 3, 2)),
    ("Conv3D", dict(filters=4, kernel_size=(3, 2, 2), strides=2, padding="same"),
     (2, 5, 4, 3, 2)),
    ("Conv3D", dict(filters=4, kernel_size=2, groups=2, dilation_rate=(2, 1, 1),
                    activation="tanh"), (1, 5, 4, 3, 4)),
    # Keras 3.15 on TensorFlow CPU returns a wrong bias gradient for some
    # channels_first convolutions (its outputs and other gradients are right):
    # the exact bias gradient is used instead.
    ("Conv3D", dict(filters=3, kernel_size=2, strides=(1, 2, 1), padding="same", **CF),
     (2, 2, 4, 5, 3), dict(exact_bias_gradient=True)),
    ("Conv1DTranspose", dict(filters=3, kernel_size=3, strides=2), (2, 5, 2)),
    ("Conv1DTranspose", dict(filters=3, kernel_size=3, strides=2, padding="same",
                             output_padding=1), (2, 5, 2)),
    ("Conv1DTranspose", dict(filters=2, kernel_size=2, dilation_rate=2, use_bias=False,
                             **CF), (2, 3, 6)),
    ("Conv3DTranspose", dict(filters=2, kernel_size=2, strides=2), (2, 3, 2, 3, 2)),
    ("Conv3DTranspose", dict(filters=3, kernel_size=(3, 2, 2), strides=(2, 1, 2),
                             padding="same", **CF), (1, 2, 3, 3, 2)),
    ("Conv3DTranspose", dict(filters=2, kernel_size=3, strides=2, padding="same",
                             output_padding=(1, 0, 1)), (1, 2, 3, 2, 3)),
    ("DepthwiseConv1D", dict(kernel_size=3, depth_multiplier=2), (2, 7, 3)),
    ("DepthwiseConv1D", dict(kernel_size=3, strides=2, padding="same", **CF), (2, 3, 8)),
    ("DepthwiseConv1D", dict(kernel_size=2, dilation_rate=2, padding="same",
                             activation="relu"), (2, 6, 2)),
    ("SeparableConv1D", dict(filters=4, kernel_size=3, depth_multiplier=2), (2, 7, 3)),
    ("SeparableConv1D", dict(filters=3, kernel_size=3, strides=2, padding="same", **CF),
     (2, 3, 8)),
    ("SeparableConv1D", dict(filters=2, kernel_size=2, dilation_rate=2, padding="same",
                             use_bias=False), (2, 6, 3)),
]


@pytest.mark.parametrize("case", CASES, ids=[case_id(c[:3]) for c in CASES])
def test_matches_keras(backend, case):
    name, kwargs, shape = case[:3]
    options = case[3] if len(case) > 3 else {}
    check_layer(backend, name, kwargs, shape,
                none_shapes=none_spatial_shapes(name, kwargs, shape), **options)


ALIASES = ["Convolution1D", "Convolution2D", "Convolution3D", "Convolution1DTranspose",
           "Convolution2DTranspose", "Convolution3DTranspose", "SeparableConvolution1D",
           "SeparableConvolution2D"]


@pytest.mark.parametrize("alias", ALIASES)
def test_alias_is_the_same_class_as_in_keras(alias):
    from kerasx import layers
    ref = getattr(keras.layers, alias)
    assert ref.__name__ != alias
    assert getattr(layers, alias) is getattr(layers, ref.__name__)
    assert alias in layers.__all__


def test_weight_shapes_and_errors(backend):
    from kerasx import layers
    layer = layers.Conv3DTranspose(5, (2, 3, 1), use_bias=False)
    layer.build((None, 4, 4, 4, 3))
    assert [(w.name, w.shape) for w in layer.weights] == [("kernel", (2, 3, 1, 5, 3))]
    layer = layers.SeparableConv1D(4, 3, depth_multiplier=2)
    layer.build((None, 8, 3))
    assert [(w.name, w.shape) for w in layer.weights] == [
        ("depthwise_kernel", (3, 3, 2)), ("pointwise_kernel", (1, 6, 4)), ("bias", (4,))]
    with pytest.raises(ValueError, match="kernel_size"):
        layers.Conv3D(2, (3, 3))
    with pytest.raises(ValueError, match="padding"):
        layers.Conv3D(2, 3, padding="causal")
    with pytest.raises(ValueError, match="output_padding"):
        layers.Conv1DTranspose(2, 3, strides=2, output_padding=2)
    with pytest.raises(ValueError, match="rank 5"):
        layers.Conv3D(2, 2).build((None, 4, 4, 3))


def test_conv3d_model_saved_by_kerasx_loads_in_keras(backend, tmp_path):
    import kerasx
    from kerasx.backend import get_ops

    inputs = kerasx.Input((4, 5, 3, 2))
    x = kerasx.layers.Conv3D(3, 2, padding="same", activation="relu")(inputs)
    x = kerasx.layers.MaxPooling3D(2)(x)
    outputs = kerasx.layers.Conv3DTranspose(2, 2, strides=2)(x)
    model = kerasx.Model(inputs, outputs)
    path = str(tmp_path / "conv3d.keras")
    model.save(path)
    x = np.random.default_rng(0).standard_normal((2, 4, 5, 3, 2)).astype("float32")
    loaded = keras.saving.load_model(path)
    np.testing.assert_allclose(np.asarray(loaded(x)), get_ops().to_numpy(model(x)),
                               rtol=1e-5, atol=1e-6)
