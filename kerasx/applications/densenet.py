"""DenseNet121, DenseNet169 and DenseNet201 (Huang et al., CVPR 2017), as
`keras.applications.densenet`."""
from kerasx import config, layers
from kerasx.applications import assembly, imagenet_utils

BASE_WEIGHTS_PATH = "https://storage.googleapis.com/tensorflow/keras-applications/densenet/"
#: blocks -> (weights name, md5 with the top, md5 without).
_WEIGHTS = {(6, 12, 24, 16): ("densenet121", "9d60b8095a5708f2dcce2bca79d332c7",
                              "30ee3e1110167f948a6b9946edeeb738"),
            (6, 12, 32, 32): ("densenet169", "d699b8f76981ab1b30698df4c175e90b",
                              "b8c4d4c20dd625c148057b9ff1c1176b"),
            (6, 12, 48, 32): ("densenet201", "1ceb130c1ea1b78c3bf6114dbdfd8807",
                              "c13680b51ded0fb44dff2d8f86ac8bb1")}
_EPSILON = 1.001e-5


def _bn(name):
    return layers.BatchNormalization(axis=assembly.channel_axis(), epsilon=_EPSILON, name=name)


def conv_block(x, growth_rate, name):
    """One dense layer: BN-ReLU-1x1 conv (4x growth), BN-ReLU-3x3 conv
    (growth), concatenated to its input."""
    y = _bn(f"{name}_0_bn")(x)
    y = layers.Activation("relu", name=f"{name}_0_relu")(y)
    y = layers.Conv2D(4 * growth_rate, 1, use_bias=False, name=f"{name}_1_conv")(y)
    y = _bn(f"{name}_1_bn")(y)
    y = layers.Activation("relu", name=f"{name}_1_relu")(y)
    y = layers.Conv2D(growth_rate, 3, padding="same", use_bias=False,
                      name=f"{name}_2_conv")(y)
    return layers.Concatenate(axis=assembly.channel_axis(), name=f"{name}_concat")([x, y])


def dense_block(x, blocks, name):
    """`blocks` dense layers of growth rate 32."""
    for i in range(blocks):
        x = conv_block(x, 32, name=f"{name}_block{i + 1}")
    return x


def transition_block(x, reduction, name):
    """BN-ReLU, a 1x1 convolution to `reduction` of the channels, 2x2
    average pooling."""
    x = _bn(f"{name}_bn")(x)
    x = layers.Activation("relu", name=f"{name}_relu")(x)
    channels = int(x.shape[assembly.channel_axis()] * reduction)
    x = layers.Conv2D(channels, 1, use_bias=False, name=f"{name}_conv")(x)
    return layers.AveragePooling2D(2, strides=2, name=f"{name}_pool")(x)


def DenseNet(blocks, include_top=True, weights="imagenet", input_tensor=None,
             input_shape=None, pooling=None, classes=1000, classifier_activation="softmax",
             name="densenet"):
    """A DenseNet with `blocks` dense layers in its four dense blocks.

    Raises:
        ValueError: the channels_first data format (as Keras), or invalid
            `weights`, `input_shape` or `classes`.
    """
    if config.image_data_format() == "channels_first":
        raise ValueError("DenseNet does not support the `channels_first` image data format. "
                         "Switch to `channels_last` (keras.config.set_image_data_format).")
    assembly.check_weights(weights, include_top, classes, classifier_activation)
    img_input = assembly.image_input(input_tensor, input_shape, 224, 32, include_top, weights)
    x = layers.ZeroPadding2D(padding=((3, 3), (3, 3)))(img_input)
    x = layers.Conv2D(64, 7, strides=2, use_bias=False, name="conv1_conv")(x)
    x = _bn("conv1_bn")(x)
    x = layers.Activation("relu", name="conv1_relu")(x)
    x = layers.ZeroPadding2D(padding=((1, 1), (1, 1)))(x)
    x = layers.MaxPooling2D(3, strides=2, name="pool1")(x)
    for i, count in enumerate(blocks):
        x = dense_block(x, count, name=f"conv{i + 2}")
        if i < 3:
            x = transition_block(x, 0.5, name=f"pool{i + 2}")
    x = _bn("bn")(x)
    x = layers.Activation("relu", name="relu")(x)
    x = assembly.top(x, include_top, pooling, classes, classifier_activation, weights)
    weights_file = None
    if tuple(blocks) in _WEIGHTS:
        stem, with_top, without = _WEIGHTS[tuple(blocks)]
        file_name = f"{stem}_weights_tf_dim_ordering_tf_kernels{'' if include_top else '_notop'}.h5"
        weights_file = (file_name, BASE_WEIGHTS_PATH + file_name,
                        with_top if include_top else without)
    return assembly.model(img_input, input_tensor, x, name, weights, weights_file)


def DenseNet121(include_top=True, weights="imagenet", input_tensor=None, input_shape=None,
                pooling=None, classes=1000, classifier_activation="softmax",
                name="densenet121"):
    """The DenseNet121 model (6, 12, 24, 16 dense layers), Keras's layer
    names and weights files. Inputs preprocessed by `preprocess_input`.

    Raises:
        ValueError: invalid `weights`, `input_shape`, `classes` or data format.
    """
    return DenseNet([6, 12, 24, 16], include_top, weights, input_tensor, input_shape,
                    pooling, classes, classifier_activation, name)


def DenseNet169(include_top=True, weights="imagenet", input_tensor=None, input_shape=None,
                pooling=None, classes=1000, classifier_activation="softmax",
                name="densenet169"):
    """The DenseNet169 model (6, 12, 32, 32 dense layers); as DenseNet121.

    Raises:
        ValueError: invalid `weights`, `input_shape`, `classes` or data format.
    """
    return DenseNet([6, 12, 32, 32], include_top, weights, input_tensor, input_shape,
                    pooling, classes, classifier_activation, name)


def DenseNet201(include_top=True, weights="imagenet", input_tensor=None, input_shape=None,
                pooling=None, classes=1000, classifier_activation="softmax",
                name="densenet201"):
    """The DenseNet201 model (6, 12, 48, 32 dense layers); as DenseNet121.

    Raises:
        ValueError: invalid `weights`, `input_shape`, `classes` or data format.
    """
    return DenseNet([6, 12, 48, 32], include_top, weights, input_tensor, input_shape,
                    pooling, classes, classifier_activation, name)


def preprocess_input(x, data_format=None):
    """Preprocess images for DenseNet: scale to [0, 1], then normalise by the
    ImageNet channel means and deviations ("torch" mode)."""
    return imagenet_utils.preprocess_input(x, data_format=data_format, mode="torch")


decode_predictions = imagenet_utils.decode_predictions
