"""InceptionV3 (Szegedy et al., CVPR 2016), as
`keras.applications.inception_v3`."""
from kerasx import layers
from kerasx.applications import assembly, imagenet_utils

_BASE = "https://storage.googleapis.com/tensorflow/keras-applications/inception_v3/"
_WEIGHTS = {True: ("inception_v3_weights_tf_dim_ordering_tf_kernels.h5",
                   "9a0d58056eeedaa3f26cb7ebd46da564"),
            False: ("inception_v3_weights_tf_dim_ordering_tf_kernels_notop.h5",
                    "bcbd6486424b2319ff4ef7d526e38f63")}


def conv2d_bn(x, filters, num_row, num_col, padding="same", strides=(1, 1), name=None):
    """Convolution (no bias), batch normalization (no scale), ReLU."""
    x = layers.Conv2D(filters, (num_row, num_col), strides=strides, padding=padding,
                      use_bias=False, name=None if name is None else f"{name}_conv")(x)
    x = layers.BatchNormalization(axis=assembly.channel_axis(), scale=False,
                                  name=None if name is None else f"{name}_bn")(x)
    return layers.Activation("relu", name=name)(x)


def _chain(x, specs):
    """conv2d_bn applied in turn for each (filters, rows, cols)."""
    for filters, rows, cols in specs:
        x = conv2d_bn(x, filters, rows, cols)
    return x


def _pool_branch(x, filters):
    x = layers.AveragePooling2D((3, 3), strides=(1, 1), padding="same")(x)
    return conv2d_bn(x, filters, 1, 1)


def _concat(branches, name=None):
    return layers.concatenate(branches, axis=assembly.channel_axis(), name=name)


def _block_35(x, pool_filters, name):
    """mixed0-2: 1x1, 5x5, double 3x3 and pooling branches."""
    return _concat([conv2d_bn(x, 64, 1, 1), _chain(x, [(48, 1, 1), (64, 5, 5)]),
                    _chain(x, [(64, 1, 1), (96, 3, 3), (96, 3, 3)]),
                    _pool_branch(x, pool_filters)], name)


def _block_17(x, width, name):
    """mixed4-7: factorized 7x7 branches of `width` channels."""
    return _concat([conv2d_bn(x, 192, 1, 1),
                    _chain(x, [(width, 1, 1), (width, 1, 7), (192, 7, 1)]),
                    _chain(x, [(width, 1, 1), (width, 7, 1), (width, 1, 7), (width, 7, 1),
                               (192, 1, 7)]),
                    _pool_branch(x, 192)], name)


def _block_8(x, i):
    """mixed9-10: expanded filter banks (made in Keras's order, which its
    default layer names follow)."""
    b1 = conv2d_bn(x, 320, 1, 1)
    b3 = conv2d_bn(x, 384, 1, 1)
    b3 = _concat([conv2d_bn(b3, 384, 1, 3), conv2d_bn(b3, 384, 3, 1)], f"mixed9_{i}")
    bd = _chain(x, [(448, 1, 1), (384, 3, 3)])
    bd = _concat([conv2d_bn(bd, 384, 1, 3), conv2d_bn(bd, 384, 3, 1)])
    return _concat([b1, b3, bd, _pool_branch(x, 192)], f"mixed{9 + i}")


def InceptionV3(include_top=True, weights="imagenet", input_tensor=None, input_shape=None,
                pooling=None, classes=1000, classifier_activation="softmax",
                name="inception_v3"):
    """The InceptionV3 model: default input 299x299, at least 75x75; Keras's
    layer names and weights files. Inputs preprocessed by
    `preprocess_input` ("tf" mode).

    Raises:
        ValueError: invalid `weights`, `input_shape` or `classes`.
    """
    assembly.check_weights(weights, include_top, classes, classifier_activation)
    img_input = assembly.image_input(input_tensor, input_shape, 299, 75, include_top, weights)
    x = conv2d_bn(img_input, 32, 3, 3, strides=(2, 2), padding="valid")
    x = conv2d_bn(x, 32, 3, 3, padding="valid")
    x = conv2d_bn(x, 64, 3, 3)
    x = layers.MaxPooling2D((3, 3), strides=(2, 2))(x)
    x = conv2d_bn(x, 80, 1, 1, padding="valid")
    x = conv2d_bn(x, 192, 3, 3, padding="valid")
    x = layers.MaxPooling2D((3, 3), strides=(2, 2))(x)
    for i, pool_filters in enumerate((32, 64, 64)):
        x = _block_35(x, pool_filters, f"mixed{i}")
    b3 = conv2d_bn(x, 384, 3, 3, strides=(2, 2), padding="valid")
    bd = _chain(x, [(64, 1, 1), (96, 3, 3)])
    bd = conv2d_bn(bd, 96, 3, 3, strides=(2, 2), padding="valid")
    x = _concat([b3, bd, layers.MaxPooling2D((3, 3), strides=(2, 2))(x)], "mixed3")
    for i, width in enumerate((128, 160, 160, 192)):
        x = _block_17(x, width, f"mixed{4 + i}")
    b3 = conv2d_bn(conv2d_bn(x, 192, 1, 1), 320, 3, 3, strides=(2, 2), padding="valid")
    b7 = _chain(x, [(192, 1, 1), (192, 1, 7), (192, 7, 1)])
    b7 = conv2d_bn(b7, 192, 3, 3, strides=(2, 2), padding="valid")
    x = _concat([b3, b7, layers.MaxPooling2D((3, 3), strides=(2, 2))(x)], "mixed8")
    for i in range(2):
        x = _block_8(x, i)
    x = assembly.top(x, include_top, pooling, classes, classifier_activation, weights,
                     pool_names=False)
    file_name, file_hash = _WEIGHTS[bool(include_top)]
    return assembly.model(img_input, input_tensor, x, name, weights,
                          (file_name, _BASE + file_name, file_hash))


def preprocess_input(x, data_format=None):
    """Preprocess images for InceptionV3: scale to [-1, 1] ("tf" mode)."""
    return imagenet_utils.preprocess_input(x, data_format=data_format, mode="tf")


decode_predictions = imagenet_utils.decode_predictions
