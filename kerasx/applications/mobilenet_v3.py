"""MobileNetV3Small and MobileNetV3Large (Howard et al., ICCV 2019), as
`keras.applications.mobilenet_v3`. Rescaling to [-1, 1] is part of the model
(`include_preprocessing`), so inputs are pixels in [0, 255] and
`preprocess_input` passes them through."""
import warnings

from kerasx import config, layers
from kerasx.applications import assembly, imagenet_utils
from kerasx.applications.mobilenet_v2 import correct_pad, make_divisible
from kerasx.engine.keras_tensor import KerasTensor

BASE_WEIGHT_PATH = "https://storage.googleapis.com/tensorflow/keras-applications/mobilenet_v3/"
#: weights' model name -> (md5 with the top, md5 without).
WEIGHTS_HASHES = {
    "large_224_0.75_float": ("765b44a33ad4005b3ac83185abf1d0eb",
                             "40af19a13ebea4e2ee0c676887f69a2e"),
    "large_224_1.0_float": ("59e551e166be033d707958cf9e29a6a7",
                            "07fb09a5933dd0c8eaafa16978110389"),
    "large_minimalistic_224_1.0_float": ("675e7b876c45c57e9e63e6d90a36599c",
                                         "ec5221f64a2f6d1ef965a614bdae7973"),
    "small_224_0.75_float": ("cb65d4e5be93758266aa0a7f2c6708b7",
                             "ebdb5cc8e0b497cd13a7c275d475c819"),
    "small_224_1.0_float": ("8768d4c2e7dee89b9d02b2d03d65d862",
                            "d3e8ec802a04aa4fc771ee12a9a9b836"),
    "small_minimalistic_224_1.0_float": ("99cd97fb2fcdad2bf028eb838de69e37",
                                         "cde8136e733e811080d9fcd8a252f7e4"),
}
#: The blocks: (expansion, filters, kernel, stride, squeeze-excite,
#: activation). None takes the model's choice (unless minimalistic: kernel
#: 5, squeeze-excite, hard swish); False is no squeeze-excite / ReLU.
_SMALL = ((1, 16, 3, 2, None, False), (72 / 16, 24, 3, 2, False, False),
          (88 / 24, 24, 3, 1, False, False), (4, 40, None, 2, None, None),
          (6, 40, None, 1, None, None), (6, 40, None, 1, None, None),
          (3, 48, None, 1, None, None), (3, 48, None, 1, None, None),
          (6, 96, None, 2, None, None), (6, 96, None, 1, None, None),
          (6, 96, None, 1, None, None))
_LARGE = ((1, 16, 3, 1, False, False), (4, 24, 3, 2, False, False),
          (3, 24, 3, 1, False, False), (3, 40, None, 2, None, False),
          (3, 40, None, 1, None, False), (3, 40, None, 1, None, False),
          (6, 80, 3, 2, False, None), (2.5, 80, 3, 1, False, None),
          (2.3, 80, 3, 1, False, None), (2.3, 80, 3, 1, False, None),
          (6, 112, 3, 1, None, None), (6, 112, 3, 1, None, None),
          (6, 160, None, 2, None, None), (6, 160, None, 1, None, None),
          (6, 160, None, 1, None, None))


def _bn(name):
    return layers.BatchNormalization(axis=-1 if assembly.channel_axis() == 3 else 1,
                                     epsilon=1e-3, momentum=0.999, name=name)


def _relu(x):
    return layers.ReLU()(x)


def _hard_sigmoid(x):
    # Written as Keras writes it (ReLU6 of x + 3, over 6), which is the
    # layer sequence its weights were trained and exported with.
    return layers.ReLU(6.0)(x + 3.0) * (1.0 / 6.0)


def _hard_swish(x):
    return layers.Activation("hard_swish")(x)


def _squeeze_excite(inputs, filters, se_ratio, prefix):
    x = layers.GlobalAveragePooling2D(keepdims=True,
                                      name=f"{prefix}squeeze_excite_avg_pool")(inputs)
    x = layers.Conv2D(make_divisible(filters * se_ratio, 8), kernel_size=1, padding="same",
                      name=f"{prefix}squeeze_excite_conv")(x)
    x = layers.ReLU(name=f"{prefix}squeeze_excite_relu")(x)
    x = layers.Conv2D(filters, kernel_size=1, padding="same",
                      name=f"{prefix}squeeze_excite_conv_1")(x)
    x = _hard_sigmoid(x)
    return layers.Multiply(name=f"{prefix}squeeze_excite_mul")([inputs, x])


def _inverted_res_block(x, expansion, filters, kernel_size, stride, se_ratio, activation,
                        block_id):
    """Expansion (not in the first block), depthwise convolution, optional
    squeeze-and-excitation, linear projection, and the residual add."""
    axis = -1 if assembly.channel_axis() == 3 else 1
    shortcut = x
    in_filters = x.shape[axis]
    expanded = make_divisible(in_filters * expansion, 8)
    prefix = f"expanded_conv_{block_id}_" if block_id else "expanded_conv_"
    if block_id:
        x = layers.Conv2D(expanded, kernel_size=1, padding="same", use_bias=False,
                          name=f"{prefix}expand")(x)
        x = _bn(f"{prefix}expand_bn")(x)
        x = activation(x)
    if stride == 2:
        x = layers.ZeroPadding2D(padding=correct_pad(x, kernel_size),
                                 name=f"{prefix}depthwise_pad")(x)
    x = layers.DepthwiseConv2D(kernel_size, strides=stride,
                               padding="same" if stride == 1 else "valid", use_bias=False,
                               name=f"{prefix}depthwise")(x)
    x = _bn(f"{prefix}depthwise_bn")(x)
    x = activation(x)
    if se_ratio:
        x = _squeeze_excite(x, expanded, se_ratio, prefix)
    x = layers.Conv2D(filters, kernel_size=1, padding="same", use_bias=False,
                      name=f"{prefix}project")(x)
    x = _bn(f"{prefix}project_bn")(x)
    if stride == 1 and in_filters == filters:
        x = layers.Add(name=f"{prefix}add")([shortcut, x])
    return x


def _input_shape(input_shape, input_tensor):
    """Keras's MobileNetV3 rules: the shape of `input_tensor` when none is
    given, (None, None, 3) when neither is; any size from 32 up."""
    channels_first = config.image_data_format() == "channels_first"
    if input_tensor is not None and not isinstance(input_tensor, KerasTensor):
        raise ValueError("kerasx applications take `input_tensor` as a symbolic tensor "
                         "(the output of `keras.Input()` or of a layer called on one); "
                         f"received {type(input_tensor).__name__}.")
    if input_shape is not None and input_tensor is not None:
        if input_tensor.shape[1 if channels_first else 2] != input_shape[1]:
            raise ValueError(("When backend.image_data_format()=channels_first, "
                              "input_shape[1] must equal input_tensor.shape[1]." if
                              channels_first else "input_shape[1] must equal "
                              "input_tensor.shape[2].")
                             + f"  Received input_shape={input_shape}, "
                             f"input_tensor.shape={input_tensor.shape}")
    if input_shape is None and input_tensor is not None:
        rows, cols = input_tensor.shape[2:4] if channels_first else input_tensor.shape[1:3]
        input_shape = (3, cols, rows) if channels_first else (cols, rows, 3)
    if input_shape is None:
        input_shape = (3, None, None) if channels_first else (None, None, 3)
    rows, cols = input_shape[1:3] if channels_first else input_shape[:2]
    if rows and cols and (rows < 32 or cols < 32):
        raise ValueError(f"Input size must be at least 32x32; Received "
                         f"`input_shape={input_shape}`")
    return tuple(input_shape), rows, cols


def MobileNetV3(blocks, last_point_ch, input_shape=None, alpha=1.0, model_type="large",
                minimalistic=False, include_top=True, weights="imagenet", input_tensor=None,
                classes=1000, pooling=None, dropout_rate=0.2, classifier_activation="softmax",
                include_preprocessing=True, name=None):
    """A MobileNetV3 of the given block table (`_SMALL` or `_LARGE`).

    Raises:
        ValueError: invalid `weights`, `alpha` with ImageNet weights,
            `input_shape`, `input_tensor` or `classes`.
    """
    assembly.check_weights(weights, include_top, classes)
    input_shape, rows, cols = _input_shape(input_shape, input_tensor)
    if weights == "imagenet":
        if alpha not in (0.75, 1.0) if not minimalistic else alpha != 1.0:
            raise ValueError("If imagenet weights are being loaded, alpha can be one of "
                             "`0.75`, `1.0` for non minimalistic or `1.0` for minimalistic "
                             "only.")
        if rows != cols or rows != 224:
            warnings.warn("`input_shape` is undefined or non-square, or `rows` is not 224. "
                          "Weights for input shape (224, 224) will be loaded as the "
                          "default.", stacklevel=3)
    img_input = layers.Input(shape=input_shape) if input_tensor is None else input_tensor
    kernel, activation, se_ratio = ((3, _relu, None) if minimalistic
                                    else (5, _hard_swish, 0.25))
    x = img_input
    if include_preprocessing:
        x = layers.Rescaling(scale=1.0 / 127.5, offset=-1.0)(x)
    x = layers.Conv2D(16, kernel_size=3, strides=(2, 2), padding="same", use_bias=False,
                      name="conv")(x)
    x = _bn("conv_bn")(x)
    x = activation(x)
    for block_id, (expansion, filters, k, stride, se, hard) in enumerate(blocks):
        x = _inverted_res_block(x, expansion, make_divisible(filters * alpha, 8),
                                kernel if k is None else k, stride,
                                se_ratio if se is None else None,
                                activation if hard is None else _relu, block_id)
    axis = assembly.channel_axis()
    last_conv_ch = make_divisible(x.shape[axis] * 6, 8)
    if alpha > 1.0:
        last_point_ch = make_divisible(last_point_ch * alpha, 8)
    x = layers.Conv2D(last_conv_ch, kernel_size=1, padding="same", use_bias=False,
                      name="conv_1")(x)
    x = _bn("conv_1_bn")(x)
    x = activation(x)
    if include_top:
        # Keras's classifier: 1x1 convolutions on the pooled features.
        x = layers.GlobalAveragePooling2D(keepdims=True)(x)
        x = layers.Conv2D(last_point_ch, kernel_size=1, padding="same", use_bias=True,
                          name="conv_2")(x)
        x = activation(x)
        if dropout_rate > 0:
            x = layers.Dropout(dropout_rate)(x)
        x = layers.Conv2D(classes, kernel_size=1, padding="same", name="logits")(x)
        x = layers.Flatten()(x)
        imagenet_utils.validate_activation(classifier_activation, weights)
        x = layers.Activation(activation=classifier_activation, name="predictions")(x)
    else:
        x = assembly.top(x, False, pooling, classes, classifier_activation, weights)
    weights_file = None
    if weights == "imagenet":
        model_name = (f"{model_type}{'_minimalistic' if minimalistic else ''}_224_"
                      f"{alpha}_float")
        file_name = (f"weights_mobilenet_v3_{model_name}.h5" if include_top
                     else f"weights_mobilenet_v3_{model_name}_no_top_v2.h5")
        weights_file = (file_name, BASE_WEIGHT_PATH + file_name,
                        WEIGHTS_HASHES[model_name][0 if include_top else 1])
    return assembly.model(img_input, input_tensor, x, name, weights, weights_file)


def _variant(model_type, blocks, last_point_ch):
    def constructor(input_shape=None, alpha=1.0, minimalistic=False, include_top=True,
                    weights="imagenet", input_tensor=None, classes=1000, pooling=None,
                    dropout_rate=0.2, classifier_activation="softmax",
                    include_preprocessing=True, name=f"MobileNetV3{model_type.title()}"):
        return MobileNetV3(blocks, last_point_ch, input_shape, alpha, model_type,
                           minimalistic, include_top, weights, input_tensor, classes,
                           pooling, dropout_rate, classifier_activation,
                           include_preprocessing, name=name)

    constructor.__name__ = constructor.__qualname__ = f"MobileNetV3{model_type.title()}"
    constructor.__doc__ = (
        f"The MobileNetV3{model_type.title()} model; `alpha` scales the width, "
        "`minimalistic` drops squeeze-and-excitation, hard swish and 5x5 kernels. "
        "Keras's layer names and weights files (published for alpha 0.75 and 1.0, "
        "minimalistic 1.0, at 224x224). Inputs are pixels in [0, 255]: the model "
        "rescales them itself unless `include_preprocessing=False`.\n\n"
        "Raises:\n    ValueError: invalid `weights`, `alpha` with ImageNet weights, "
        "`input_shape`, `input_tensor` or `classes`.")
    return constructor


MobileNetV3Small = _variant("small", _SMALL, 1024)
MobileNetV3Large = _variant("large", _LARGE, 1280)


def preprocess_input(x, data_format=None):
    """Return `x` unchanged: MobileNetV3 preprocesses inside the model (as
    Keras's, kept for compatibility)."""
    return x


decode_predictions = imagenet_utils.decode_predictions
