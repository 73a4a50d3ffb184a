"""Xception (Chollet, CVPR 2017), as `keras.applications.xception`."""
from kerasx import layers
from kerasx.applications import assembly, imagenet_utils

_BASE = "https://storage.googleapis.com/tensorflow/keras-applications/xception/"
_WEIGHTS = {True: ("xception_weights_tf_dim_ordering_tf_kernels.h5",
                   "0a58e3b7378bc2990ea3b43d5981f1f6"),
            False: ("xception_weights_tf_dim_ordering_tf_kernels_notop.h5",
                    "b0042744bf5b25fce3cb969f33bebb97")}


def _axis():
    return -1 if assembly.channel_axis() == 3 else 1


def _sepconv_bn(x, filters, name):
    x = layers.SeparableConv2D(filters, (3, 3), padding="same", use_bias=False, name=name)(x)
    return layers.BatchNormalization(axis=_axis(), name=f"{name}_bn")(x)


def _projection(x, filters):
    """The strided 1x1 convolution shortcut of an entry/exit block."""
    residual = layers.Conv2D(filters, (1, 1), strides=(2, 2), padding="same",
                             use_bias=False)(x)
    return layers.BatchNormalization(axis=_axis())(residual)


def _downsampling_block(x, block, filters, first_act=True):
    """Two separable convolutions, strided max pooling, plus the projected
    input. Keras names the activations after the convolution that follows."""
    filters = (filters, filters) if isinstance(filters, int) else filters
    residual = _projection(x, filters[1])
    if first_act:
        x = layers.Activation("relu", name=f"block{block}_sepconv1_act")(x)
    x = _sepconv_bn(x, filters[0], f"block{block}_sepconv1")
    x = layers.Activation("relu", name=f"block{block}_sepconv2_act")(x)
    x = _sepconv_bn(x, filters[1], f"block{block}_sepconv2")
    x = layers.MaxPooling2D((3, 3), strides=(2, 2), padding="same",
                            name=f"block{block}_pool")(x)
    return layers.add([x, residual])


def Xception(include_top=True, weights="imagenet", input_tensor=None, input_shape=None,
             pooling=None, classes=1000, classifier_activation="softmax", name="xception"):
    """The Xception model: depthwise-separable convolutions with residual
    connections (entry, 8 middle and exit blocks), default input 299x299,
    at least 71x71. Keras's layer names and weights files. Inputs
    preprocessed by `preprocess_input` ("tf" mode).

    Raises:
        ValueError: invalid `weights`, `input_shape` or `classes`.
    """
    assembly.check_weights(weights, include_top, classes, classifier_activation)
    img_input = assembly.image_input(input_tensor, input_shape, 299, 71, include_top, weights)
    x = layers.Conv2D(32, (3, 3), strides=(2, 2), use_bias=False, name="block1_conv1")(img_input)
    x = layers.BatchNormalization(axis=_axis(), name="block1_conv1_bn")(x)
    x = layers.Activation("relu", name="block1_conv1_act")(x)
    x = layers.Conv2D(64, (3, 3), use_bias=False, name="block1_conv2")(x)
    x = layers.BatchNormalization(axis=_axis(), name="block1_conv2_bn")(x)
    x = layers.Activation("relu", name="block1_conv2_act")(x)
    x = _downsampling_block(x, 2, 128, first_act=False)
    x = _downsampling_block(x, 3, 256)
    x = _downsampling_block(x, 4, 728)
    for i in range(8):
        residual, prefix = x, f"block{i + 5}"
        for j in (1, 2, 3):
            x = layers.Activation("relu", name=f"{prefix}_sepconv{j}_act")(x)
            x = _sepconv_bn(x, 728, f"{prefix}_sepconv{j}")
        x = layers.add([x, residual])
    x = _downsampling_block(x, 13, (728, 1024))
    x = _sepconv_bn(x, 1536, "block14_sepconv1")
    x = layers.Activation("relu", name="block14_sepconv1_act")(x)
    x = _sepconv_bn(x, 2048, "block14_sepconv2")
    x = layers.Activation("relu", name="block14_sepconv2_act")(x)
    x = assembly.top(x, include_top, pooling, classes, classifier_activation, weights,
                     pool_names=False)
    file_name, file_hash = _WEIGHTS[bool(include_top)]
    return assembly.model(img_input, input_tensor, x, name, weights,
                          (file_name, _BASE + file_name, file_hash))


def preprocess_input(x, data_format=None):
    """Preprocess images for Xception: scale to [-1, 1] ("tf" mode)."""
    return imagenet_utils.preprocess_input(x, data_format=data_format, mode="tf")


decode_predictions = imagenet_utils.decode_predictions
