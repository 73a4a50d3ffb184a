"""ResNet50, ResNet101 and ResNet152 (He et al., CVPR 2016), as
`keras.applications.resnet`, and the ResNet builder shared with ResNetV2."""
from kerasx import layers
from kerasx.applications import assembly, imagenet_utils

BASE_WEIGHTS_PATH = "https://storage.googleapis.com/tensorflow/keras-applications/resnet/"
#: weights name -> (md5 with the top, md5 without).
WEIGHTS_HASHES = {
    "resnet50": ("2cb95161c43110f7111970584f804107", "4d473c1dd8becc155b73f8504c6f6626"),
    "resnet101": ("f1aeb4b969a6efcfb50fad2f0c20cfc5", "88cf7a10940856eca736dc7b7e228a21"),
    "resnet152": ("100835be76be38e30d865e96f2aaae62", "ee4c566cf9a93f14d82f913c2dc6dd0c"),
    "resnet50v2": ("3ef43a0b657b3be2300d5770ece849e0", "fac2f116257151a9d068a22e544a4917"),
    "resnet101v2": ("6343647c601c52e1368623803854d971", "c0ed64b8031c3730f411d2eb4eea35b5"),
    "resnet152v2": ("a49b44d1979771252814e80f8ec446f9", "ed17cf2e0169df9d443503ef94b23b33"),
}
_EPSILON = 1.001e-5


def _bn(name):
    return layers.BatchNormalization(axis=assembly.channel_axis(), epsilon=_EPSILON, name=name)


def ResNet(stack_fn, preact, use_bias, name="resnet", weights_name=None, include_top=True,
           weights="imagenet", input_tensor=None, input_shape=None, pooling=None,
           classes=1000, classifier_activation="softmax"):
    """A ResNet: the 7x7 stem, `stack_fn`'s residual stacks, then the top.
    `preact` (ResNetV2) moves batch normalization and ReLU before each
    convolution, so the stem has none and a final one follows the stacks.

    Raises:
        ValueError: invalid `weights`, `input_shape` or `classes`.
    """
    assembly.check_weights(weights, include_top, classes, classifier_activation)
    img_input = assembly.image_input(input_tensor, input_shape, 224, 32, include_top, weights)
    x = layers.ZeroPadding2D(padding=((3, 3), (3, 3)), name="conv1_pad")(img_input)
    x = layers.Conv2D(64, 7, strides=2, use_bias=use_bias, name="conv1_conv")(x)
    if not preact:
        x = _bn("conv1_bn")(x)
        x = layers.Activation("relu", name="conv1_relu")(x)
    x = layers.ZeroPadding2D(padding=((1, 1), (1, 1)), name="pool1_pad")(x)
    x = layers.MaxPooling2D(3, strides=2, name="pool1_pool")(x)
    x = stack_fn(x)
    if preact:
        x = _bn("post_bn")(x)
        x = layers.Activation("relu", name="post_relu")(x)
    x = assembly.top(x, include_top, pooling, classes, classifier_activation, weights)
    weights_file = None
    if weights_name in WEIGHTS_HASHES:
        suffix = "" if include_top else "_notop"
        file_name = f"{weights_name}_weights_tf_dim_ordering_tf_kernels{suffix}.h5"
        weights_file = (file_name, BASE_WEIGHTS_PATH + file_name,
                        WEIGHTS_HASHES[weights_name][0 if include_top else 1])
    return assembly.model(img_input, input_tensor, x, name, weights, weights_file)


def residual_block_v1(x, filters, kernel_size=3, stride=1, conv_shortcut=True, name=None):
    """The bottleneck block: 1x1, kxk, 1x1 (4x filters) convolutions, each
    batch-normalized, added to the shortcut, then ReLU."""
    if conv_shortcut:
        shortcut = layers.Conv2D(4 * filters, 1, strides=stride, name=f"{name}_0_conv")(x)
        shortcut = _bn(f"{name}_0_bn")(shortcut)
    else:
        shortcut = x
    x = layers.Conv2D(filters, 1, strides=stride, name=f"{name}_1_conv")(x)
    x = _bn(f"{name}_1_bn")(x)
    x = layers.Activation("relu", name=f"{name}_1_relu")(x)
    x = layers.Conv2D(filters, kernel_size, padding="SAME", name=f"{name}_2_conv")(x)
    x = _bn(f"{name}_2_bn")(x)
    x = layers.Activation("relu", name=f"{name}_2_relu")(x)
    x = layers.Conv2D(4 * filters, 1, name=f"{name}_3_conv")(x)
    x = _bn(f"{name}_3_bn")(x)
    x = layers.Add(name=f"{name}_add")([shortcut, x])
    return layers.Activation("relu", name=f"{name}_out")(x)


def stack_residual_blocks_v1(x, filters, blocks, stride1=2, name=None):
    """`blocks` v1 blocks; the first strides by `stride1` with a projection
    shortcut."""
    x = residual_block_v1(x, filters, stride=stride1, name=f"{name}_block1")
    for i in range(2, blocks + 1):
        x = residual_block_v1(x, filters, conv_shortcut=False, name=f"{name}_block{i}")
    return x


def _resnet_v1(blocks, include_top, weights, input_tensor, input_shape, pooling, classes,
               classifier_activation, name):
    def stack_fn(x):
        x = stack_residual_blocks_v1(x, 64, blocks[0], stride1=1, name="conv2")
        x = stack_residual_blocks_v1(x, 128, blocks[1], name="conv3")
        x = stack_residual_blocks_v1(x, 256, blocks[2], name="conv4")
        return stack_residual_blocks_v1(x, 512, blocks[3], name="conv5")

    return ResNet(stack_fn, preact=False, use_bias=True, name=name,
                  weights_name=name if name in WEIGHTS_HASHES else None,
                  include_top=include_top, weights=weights, input_tensor=input_tensor,
                  input_shape=input_shape, pooling=pooling, classes=classes,
                  classifier_activation=classifier_activation)


def ResNet50(include_top=True, weights="imagenet", input_tensor=None, input_shape=None,
             pooling=None, classes=1000, classifier_activation="softmax", name="resnet50"):
    """The ResNet50 model (3, 4, 6, 3 bottleneck blocks), Keras's layer
    names and weights files. Inputs preprocessed by `preprocess_input`.

    Raises:
        ValueError: invalid `weights`, `input_shape` or `classes`.
    """
    return _resnet_v1((3, 4, 6, 3), include_top, weights, input_tensor, input_shape, pooling,
                      classes, classifier_activation, name)


def ResNet101(include_top=True, weights="imagenet", input_tensor=None, input_shape=None,
              pooling=None, classes=1000, classifier_activation="softmax", name="resnet101"):
    """The ResNet101 model (3, 4, 23, 3 bottleneck blocks); as ResNet50.

    Raises:
        ValueError: invalid `weights`, `input_shape` or `classes`.
    """
    return _resnet_v1((3, 4, 23, 3), include_top, weights, input_tensor, input_shape,
                      pooling, classes, classifier_activation, name)


def ResNet152(include_top=True, weights="imagenet", input_tensor=None, input_shape=None,
              pooling=None, classes=1000, classifier_activation="softmax", name="resnet152"):
    """The ResNet152 model (3, 8, 36, 3 bottleneck blocks); as ResNet50.

    Raises:
        ValueError: invalid `weights`, `input_shape` or `classes`.
    """
    return _resnet_v1((3, 8, 36, 3), include_top, weights, input_tensor, input_shape,
                      pooling, classes, classifier_activation, name)


def preprocess_input(x, data_format=None):
    """Preprocess images for ResNet: RGB to BGR, minus the ImageNet channel
    means ("caffe" mode)."""
    return imagenet_utils.preprocess_input(x, data_format=data_format, mode="caffe")


decode_predictions = imagenet_utils.decode_predictions
