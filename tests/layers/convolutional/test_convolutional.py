"""Convolution layers against Keras 3 (TensorFlow backend): weights, outputs,
gradients, output shapes, configs, and argument errors."""
import numpy as np
import pytest

from tests.keras_reference import check_layer

pytest.importorskip("keras")

CASES = [
    # Conv1D
    ("Conv1D", dict(filters=4, kernel_size=3), (2, 9, 3)),
    ("Conv1D", dict(filters=4, kernel_size=3, strides=2, padding="same"), (2, 8, 3)),
    ("Conv1D", dict(filters=3, kernel_size=4, strides=2, padding="same",
                    activation="relu"), (2, 9, 2)),
    ("Conv1D", dict(filters=4, kernel_size=3, padding="causal", dilation_rate=2),
     (2, 9, 3)),
    ("Conv1D", dict(filters=2, kernel_size=2, padding="causal",
                    data_format="channels_first"), (2, 3, 6)),
    ("Conv1D", dict(filters=4, kernel_size=3, groups=2, padding="same",
                    data_format="channels_first"), (2, 4, 7)),
    # Conv2D
    ("Conv2D", dict(filters=4, kernel_size=3), (2, 7, 6, 3)),
    ("Conv2D", dict(filters=4, kernel_size=3, strides=2, padding="same"), (2, 7, 7, 3)),
    ("Conv2D", dict(filters=4, kernel_size=3, strides=2, padding="same"), (2, 8, 6, 3)),
    ("Conv2D", dict(filters=3, kernel_size=(2, 4), padding="same", use_bias=False),
     (2, 6, 7, 2)),
    ("Conv2D", dict(filters=4, kernel_size=3, dilation_rate=2, padding="same",
                    activation="tanh"), (2, 7, 8, 2)),
    ("Conv2D", dict(filters=6, kernel_size=3, groups=2, padding="same"), (2, 6, 5, 4)),
    ("Conv2D", dict(filters=4, kernel_size=3, strides=2, padding="same",
                    data_format="channels_first"), (2, 3, 7, 6)),
    ("Conv2D", dict(filters=4, kernel_size=(3, 2), groups=2, padding="same",
                    data_format="channels_first"), (2, 4, 8, 5)),
    # Output (2, 4, 4, 4): Keras's own bias gradient is wrong for a channels_first
    # output of shape (N, C, C, C) (TF CPU); the exact one is used instead.
    ("Conv2D", dict(filters=4, kernel_size=(3, 2), groups=2, dilation_rate=(2, 1),
                    data_format="channels_first"), (2, 4, 8, 5),
     dict(exact_bias_gradient=True)),
    # Conv2DTranspose
    ("Conv2DTranspose", dict(filters=4, kernel_size=3, strides=2), (2, 4, 5, 3)),
    ("Conv2DTranspose", dict(filters=4, kernel_size=3, strides=2, padding="same"),
     (2, 4, 5, 3)),
    ("Conv2DTranspose", dict(filters=3, kernel_size=3, strides=2, padding="same",
                             output_padding=1), (2, 4, 5, 2)),
    ("Conv2DTranspose", dict(filters=3, kernel_size=(2, 3), strides=(2, 1),
                             padding="same", data_format="channels_first"),
     (2, 3, 4, 5)),
    ("Conv2DTranspose", dict(filters=2, kernel_size=3, dilation_rate=2,
                             use_bias=False), (2, 4, 4, 3)),
    # DepthwiseConv2D
    ("DepthwiseConv2D", dict(kernel_size=3, depth_multiplier=2), (2, 7, 6, 3)),
    ("DepthwiseConv2D", dict(kernel_size=3, strides=2, padding="same",
                             data_format="channels_first"), (2, 3, 7, 8)),
    ("DepthwiseConv2D", dict(kernel_size=(3, 2), dilation_rate=2, padding="same",
                             depth_multiplier=3, activation="relu"), (2, 7, 6, 2)),
    # SeparableConv2D
    ("SeparableConv2D", dict(filters=5, kernel_size=3, depth_multiplier=2),
     (2, 7, 6, 3)),
    ("SeparableConv2D", dict(filters=4, kernel_size=3, strides=2, padding="same",
                             data_format="channels_first"), (2, 3, 8, 9)),
    ("SeparableConv2D", dict(filters=4, kernel_size=2, dilation_rate=2, padding="same",
                             use_bias=False), (2, 6, 7, 3)),
]


def _case_id(case):
    name, kwargs, shape = case[:3]
    return name + "-" + ",".join(f"{k}={v}" for k, v in kwargs.items()) + f"-{shape}"


@pytest.mark.parametrize("case", CASES, ids=[_case_id(c) for c in CASES])
def test_matches_keras(backend, case):
    name, kwargs, shape = case[:3]
    options = case[3] if len(case) > 3 else {}
    rank = len(shape) - 2
    spatial_none = [(None,) + (None,) * rank + (shape[-1],)] \
        if kwargs.get("data_format") != "channels_first" \
        else [(None, shape[1]) + (None,) * rank]
    check_layer(backend, name, kwargs, shape, none_shapes=spatial_none, **options)


def test_weight_names_and_order(backend):
    from kerasx import layers
    layer = layers.SeparableConv2D(4, 3)
    layer.build((None, 8, 8, 3))
    assert [(w.name, w.shape) for w in layer.weights] == [
        ("depthwise_kernel", (3, 3, 3, 1)), ("pointwise_kernel", (1, 1, 3, 4)),
        ("bias", (4,))]
    layer = layers.Conv2DTranspose(5, (2, 3), use_bias=False)
    layer.build((None, 8, 8, 3))
    assert [(w.name, w.shape) for w in layer.weights] == [("kernel", (2, 3, 5, 3))]
    layer = layers.DepthwiseConv2D(3, depth_multiplier=2, data_format="channels_first")
    layer.build((None, 4, 8, 8))
    assert [(w.name, w.shape) for w in layer.weights] == [
        ("kernel", (3, 3, 4, 2)), ("bias", (8,))]


def test_functional_output_shapes(backend):
    from kerasx import layers
    inputs = layers.Input((9, 8, 3))
    x = layers.Conv2D(4, 3, strides=2, padding="same")(inputs)
    assert x.shape == (None, 5, 4, 4)
    x = layers.SeparableConv2D(5, 3)(x)
    assert x.shape == (None, 3, 2, 5)
    x = layers.Conv2DTranspose(2, 3, strides=2)(x)
    assert x.shape == (None, 7, 5, 2)


@pytest.mark.parametrize("make, message", [
    (lambda L: L.Conv2D(0, 3), "filters"),
    (lambda L: L.Conv2D(4.0, 3), "filters"),
    (lambda L: L.Conv2D(5, 3, groups=2), "groups"),
    (lambda L: L.Conv2D(4, 3, groups=0), "groups"),
    (lambda L: L.Conv2D(4, (3, 3, 3)), "kernel_size"),
    (lambda L: L.Conv2D(4, 0), "kernel_size"),
    (lambda L: L.Conv2D(4, 3, padding="full"), "padding"),
    (lambda L: L.Conv2D(4, 3, padding="causal"), "padding"),
    (lambda L: L.Conv2D(4, 3, strides=2, dilation_rate=2), "dilation_rate"),
    (lambda L: L.Conv2D(4, 3, data_format="NHWC"), "data_format"),
    (lambda L: L.Conv1D(4, 3, strides=(1, 1)), "strides"),
    (lambda L: L.Conv2DTranspose(4, 3, strides=2, output_padding=2), "output_padding"),
    (lambda L: L.DepthwiseConv2D(3, depth_multiplier=0), "depth_multiplier"),
    (lambda L: L.SeparableConv2D(0, 3), "filters"),
])
def test_bad_arguments(make, message):
    from kerasx import layers
    with pytest.raises(ValueError, match=message):
        make(layers)


def test_bad_inputs(backend):
    from kerasx import layers
    with pytest.raises(ValueError, match="divisible by the number of groups.*3 channels"):
        layers.Conv2D(4, 3, groups=2).build((None, 8, 8, 3))
    with pytest.raises(ValueError, match="channel dimension"):
        layers.Conv2D(4, 3).build((None, 8, 8, None))
    with pytest.raises(ValueError, match="zero or negative.*\\(None, 2, 8, 3\\)"):
        layers.Conv2D(4, 3).compute_output_shape((None, 2, 8, 3))
    with pytest.raises(ValueError, match="ndim=4, found ndim=3"):
        layers.Conv2D(4, 3)(np.zeros((2, 8, 3), "float32"))
    layer = layers.Conv2D(4, 3)
    layer(np.zeros((1, 5, 5, 3), "float32"))
    with pytest.raises(ValueError, match="axis -1.*value 3"):
        layer(np.zeros((1, 5, 5, 2), "float32"))


def test_kernel_regularizer_and_constraint(backend):
    from kerasx import layers
    from kerasx.backend import get_ops
    layer = layers.Conv2D(2, 3, kernel_regularizer="l2", kernel_constraint="non_neg")
    layer(np.ones((1, 5, 5, 1), "float32"))
    assert len(layer.losses) == 1
    expected = 0.01 * np.sum(np.square(layer.kernel.numpy()))
    np.testing.assert_allclose(float(get_ops().to_numpy(layer.losses[0])), expected,
                               rtol=1e-5)
    assert layer.get_config()["kernel_constraint"]["class_name"] == "NonNeg"


def test_float64(backend):
    from kerasx import layers
    from kerasx.backend import get_ops
    x = np.random.default_rng(1).standard_normal((2, 6, 7, 3))
    layer64 = layers.SeparableConv2D(4, 3, strides=2, padding="same", dtype="float64")
    layer32 = layers.SeparableConv2D(4, 3, strides=2, padding="same")
    out32 = get_ops().to_numpy(layer32(x.astype("float32")))
    layer64.build(x.shape)
    layer64.set_weights(layer32.get_weights())
    out64 = get_ops().to_numpy(layer64(x))
    assert out64.dtype == np.float64 and [w.dtype for w in layer64.weights] == ["float64"] * 3
    np.testing.assert_allclose(out64, out32, rtol=1e-5, atol=1e-5)
