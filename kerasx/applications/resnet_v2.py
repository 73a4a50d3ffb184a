"""ResNet50V2, ResNet101V2 and ResNet152V2 (He et al., ECCV 2016:
pre-activation residual units), as `keras.applications.resnet_v2`."""
from kerasx import layers
from kerasx.applications import imagenet_utils
from kerasx.applications.resnet import ResNet, _bn


def residual_block_v2(x, filters, kernel_size=3, stride=1, conv_shortcut=False, name=None):
    """The pre-activation bottleneck block: BN-ReLU first, then 1x1, kxk
    (strided), 1x1 (4x filters) convolutions, added to the shortcut."""
    preact = _bn(f"{name}_preact_bn")(x)
    preact = layers.Activation("relu", name=f"{name}_preact_relu")(preact)
    if conv_shortcut:
        shortcut = layers.Conv2D(4 * filters, 1, strides=stride,
                                 name=f"{name}_0_conv")(preact)
    else:
        shortcut = layers.MaxPooling2D(1, strides=stride)(x) if stride > 1 else x
    x = layers.Conv2D(filters, 1, strides=1, use_bias=False, name=f"{name}_1_conv")(preact)
    x = _bn(f"{name}_1_bn")(x)
    x = layers.Activation("relu", name=f"{name}_1_relu")(x)
    x = layers.ZeroPadding2D(padding=((1, 1), (1, 1)), name=f"{name}_2_pad")(x)
    x = layers.Conv2D(filters, kernel_size, strides=stride, use_bias=False,
                      name=f"{name}_2_conv")(x)
    x = _bn(f"{name}_2_bn")(x)
    x = layers.Activation("relu", name=f"{name}_2_relu")(x)
    x = layers.Conv2D(4 * filters, 1, name=f"{name}_3_conv")(x)
    return layers.Add(name=f"{name}_out")([shortcut, x])


def stack_residual_blocks_v2(x, filters, blocks, stride1=2, name=None):
    """`blocks` v2 blocks: the first with a projection shortcut, the last
    strided by `stride1`."""
    x = residual_block_v2(x, filters, conv_shortcut=True, name=f"{name}_block1")
    for i in range(2, blocks):
        x = residual_block_v2(x, filters, name=f"{name}_block{i}")
    return residual_block_v2(x, filters, stride=stride1, name=f"{name}_block{blocks}")


def _resnet_v2(blocks, include_top, weights, input_tensor, input_shape, pooling, classes,
               classifier_activation, name):
    def stack_fn(x):
        x = stack_residual_blocks_v2(x, 64, blocks[0], name="conv2")
        x = stack_residual_blocks_v2(x, 128, blocks[1], name="conv3")
        x = stack_residual_blocks_v2(x, 256, blocks[2], name="conv4")
        return stack_residual_blocks_v2(x, 512, blocks[3], stride1=1, name="conv5")

    return ResNet(stack_fn, preact=True, use_bias=True, name=name,
                  weights_name=name if name in ("resnet50v2", "resnet101v2", "resnet152v2")
                  else None,
                  include_top=include_top, weights=weights, input_tensor=input_tensor,
                  input_shape=input_shape, pooling=pooling, classes=classes,
                  classifier_activation=classifier_activation)


def ResNet50V2(include_top=True, weights="imagenet", input_tensor=None, input_shape=None,
               pooling=None, classes=1000, classifier_activation="softmax",
               name="resnet50v2"):
    """The ResNet50V2 model (3, 4, 6, 3 pre-activation blocks), Keras's
    layer names and weights files. Inputs preprocessed by
    `preprocess_input` ("tf" mode).

    Raises:
        ValueError: invalid `weights`, `input_shape` or `classes`.
    """
    return _resnet_v2((3, 4, 6, 3), include_top, weights, input_tensor, input_shape, pooling,
                      classes, classifier_activation, name)


def ResNet101V2(include_top=True, weights="imagenet", input_tensor=None, input_shape=None,
                pooling=None, classes=1000, classifier_activation="softmax",
                name="resnet101v2"):
    """The ResNet101V2 model (3, 4, 23, 3 blocks); as ResNet50V2.

    Raises:
        ValueError: invalid `weights`, `input_shape` or `classes`.
    """
    return _resnet_v2((3, 4, 23, 3), include_top, weights, input_tensor, input_shape,
                      pooling, classes, classifier_activation, name)


def ResNet152V2(include_top=True, weights="imagenet", input_tensor=None, input_shape=None,
                pooling=None, classes=1000, classifier_activation="softmax",
                name="resnet152v2"):
    """The ResNet152V2 model (3, 8, 36, 3 blocks); as ResNet50V2.

    Raises:
        ValueError: invalid `weights`, `input_shape` or `classes`.
    """
    return _resnet_v2((3, 8, 36, 3), include_top, weights, input_tensor, input_shape,
                      pooling, classes, classifier_activation, name)


def preprocess_input(x, data_format=None):
    """Preprocess images for ResNetV2: scale to [-1, 1] ("tf" mode)."""
    return imagenet_utils.preprocess_input(x, data_format=data_format, mode="tf")


decode_predictions = imagenet_utils.decode_predictions
