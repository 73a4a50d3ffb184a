"""InceptionResNetV2 (Szegedy et al., AAAI 2017), as
`keras.applications.inception_resnet_v2`."""
from kerasx import layers
from kerasx.applications import assembly, imagenet_utils
from kerasx.layers import Layer

BASE_WEIGHT_URL = ("https://storage.googleapis.com/tensorflow/keras-applications/"
                   "inception_resnet_v2/")
#: include_top -> (file name, md5).
_WEIGHTS = {True: ("inception_resnet_v2_weights_tf_dim_ordering_tf_kernels.h5",
                   "e693bd0210a403b3192acc6073ad2e96"),
            False: ("inception_resnet_v2_weights_tf_dim_ordering_tf_kernels_notop.h5",
                    "d19885ff4a710c122648d3b5c3b684e4")}
#: block type -> its branches, each a list of (filters, kernel).
_BRANCHES = {
    "block35": [[(32, 1)], [(32, 1), (32, 3)], [(32, 1), (48, 3), (64, 3)]],
    "block17": [[(192, 1)], [(128, 1), (160, (1, 7)), (192, (7, 1))]],
    "block8": [[(192, 1)], [(192, 1), (224, (1, 3)), (256, (3, 1))]],
}


class CustomScaleLayer(Layer):
    """`inputs[0] + inputs[1] * scale`: the scaled residual of an
    Inception-ResNet block (Keras's layer of this name)."""

    def __init__(self, scale, **kwargs):
        super().__init__(**kwargs)
        self.scale = scale

    def call(self, inputs):
        return inputs[0] + inputs[1] * self.scale

    def get_config(self):
        return {**super().get_config(), "scale": self.scale}


def conv2d_bn(x, filters, kernel_size, strides=1, padding="same", activation="relu",
              use_bias=False, name=None):
    """Convolution, then (without a bias) batch normalization without
    scale, then the activation; the two named after the convolution."""
    x = layers.Conv2D(filters, kernel_size, strides=strides, padding=padding,
                      use_bias=use_bias, name=name)(x)
    if not use_bias:
        x = layers.BatchNormalization(axis=assembly.channel_axis(), scale=False,
                                      name=None if name is None else f"{name}_bn")(x)
    if activation is not None:
        x = layers.Activation(activation, name=None if name is None else f"{name}_ac")(x)
    return x


def _chain(x, specs, **kwargs):
    """conv2d_bn for each (filters, kernel) in turn; `kwargs` go to the last."""
    for i, (filters, kernel) in enumerate(specs):
        x = conv2d_bn(x, filters, kernel, **(kwargs if i == len(specs) - 1 else {}))
    return x


def inception_resnet_block(x, scale, block_type, block_idx, activation="relu"):
    """One Inception-ResNet block: its branches concatenated, projected by a
    1x1 convolution back to the input's channels, scaled and added.

    Raises:
        ValueError: a block type other than block35, block17 or block8.
    """
    if block_type not in _BRANCHES:
        raise ValueError('Unknown Inception-ResNet block type. Expects "block35", '
                         f'"block17" or "block8", but got: {block_type}')
    axis = assembly.channel_axis()
    branches = [_chain(x, specs) for specs in _BRANCHES[block_type]]
    block_name = f"{block_type}_{block_idx}"
    mixed = layers.Concatenate(axis=axis, name=f"{block_name}_mixed")(branches)
    up = conv2d_bn(mixed, x.shape[axis], 1, activation=None, use_bias=True,
                   name=f"{block_name}_conv")
    x = CustomScaleLayer(scale)([x, up])
    if activation is not None:
        x = layers.Activation(activation, name=f"{block_name}_ac")(x)
    return x


def _reduction(x, branches, name):
    """Strided 3x3 "valid" convolution branches beside a max pooling."""
    outputs = [_chain(x, specs, strides=2, padding="valid") for specs in branches]
    pooled = layers.MaxPooling2D(3, strides=2, padding="valid")(x)
    return layers.Concatenate(axis=assembly.channel_axis(), name=name)(outputs + [pooled])


def InceptionResNetV2(include_top=True, weights="imagenet", input_tensor=None,
                      input_shape=None, pooling=None, classes=1000,
                      classifier_activation="softmax", name="inception_resnet_v2"):
    """The InceptionResNetV2 model (default input 299x299, at least 75x75),
    Keras's layer names and weights files. Inputs preprocessed by
    `preprocess_input` ("tf" mode).

    Raises:
        ValueError: invalid `weights`, `input_shape` or `classes`.
    """
    assembly.check_weights(weights, include_top, classes)
    img_input = assembly.image_input(input_tensor, input_shape, 299, 75, include_top, weights)
    axis = assembly.channel_axis()
    x = conv2d_bn(img_input, 32, 3, strides=2, padding="valid")
    x = conv2d_bn(x, 32, 3, padding="valid")
    x = conv2d_bn(x, 64, 3)
    x = layers.MaxPooling2D(3, strides=2)(x)
    x = conv2d_bn(x, 80, 1, padding="valid")
    x = conv2d_bn(x, 192, 3, padding="valid")
    x = layers.MaxPooling2D(3, strides=2)(x)
    # Keras creates the pooling branch's layers last: the order kept here.
    branches = [conv2d_bn(x, 96, 1), _chain(x, [(48, 1), (64, 5)]),
                _chain(x, [(64, 1), (96, 3), (96, 3)])]
    pooled = layers.AveragePooling2D(3, strides=1, padding="same")(x)
    branches.append(conv2d_bn(pooled, 64, 1))
    x = layers.Concatenate(axis=axis, name="mixed_5b")(branches)
    for block_idx in range(1, 11):
        x = inception_resnet_block(x, scale=0.17, block_type="block35", block_idx=block_idx)
    x = _reduction(x, [[(384, 3)], [(256, 1), (256, 3), (384, 3)]], "mixed_6a")
    for block_idx in range(1, 21):
        x = inception_resnet_block(x, scale=0.1, block_type="block17", block_idx=block_idx)
    x = _reduction(x, [[(256, 1), (384, 3)], [(256, 1), (288, 3)],
                       [(256, 1), (288, 3), (320, 3)]], "mixed_7a")
    for block_idx in range(1, 10):
        x = inception_resnet_block(x, scale=0.2, block_type="block8", block_idx=block_idx)
    x = inception_resnet_block(x, scale=1.0, activation=None, block_type="block8",
                               block_idx=10)
    x = conv2d_bn(x, 1536, 1, name="conv_7b")
    x = assembly.top(x, include_top, pooling, classes, classifier_activation, weights,
                     pool_names=False)
    file_name, file_hash = _WEIGHTS[bool(include_top)]
    return assembly.model(img_input, input_tensor, x, name, weights,
                          (file_name, BASE_WEIGHT_URL + file_name, file_hash))


def preprocess_input(x, data_format=None):
    """Preprocess images for InceptionResNetV2: scale to [-1, 1] ("tf"
    mode)."""
    return imagenet_utils.preprocess_input(x, data_format=data_format, mode="tf")


decode_predictions = imagenet_utils.decode_predictions
