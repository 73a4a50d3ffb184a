"""MobileNet (Howard et al., 2017), as `keras.applications.mobilenet`:
depthwise-separable convolutions, with the width multiplier `alpha` and the
depth multiplier of the depthwise convolutions."""
import warnings

from kerasx import config, layers
from kerasx.applications import assembly, imagenet_utils

BASE_WEIGHT_PATH = "https://storage.googleapis.com/tensorflow/keras-applications/mobilenet/"
_SIZES = (128, 160, 192, 224)
#: alpha with published weights -> the text of its weight files' names.
_ALPHA_TEXT = {1.0: "1_0", 0.75: "7_5", 0.5: "5_0", 0.25: "2_5"}
#: (pointwise filters, stride) of the 13 depthwise-separable blocks.
_BLOCKS = ((64, 1), (128, 2), (128, 1), (256, 2), (256, 1), (512, 2), (512, 1), (512, 1),
           (512, 1), (512, 1), (512, 1), (1024, 2), (1024, 1))


def _bn(name):
    return layers.BatchNormalization(axis=-1 if assembly.channel_axis() == 3 else 1,
                                     name=name)


def _separable_block(x, filters, alpha, depth_multiplier, stride, block_id):
    """Depthwise 3x3 (bottom-right padded when strided, as the weights were
    trained), then pointwise 1x1, each with batch norm and ReLU6."""
    if stride != 1:
        x = layers.ZeroPadding2D(((0, 1), (0, 1)), name=f"conv_pad_{block_id}")(x)
    x = layers.DepthwiseConv2D((3, 3), padding="same" if stride == 1 else "valid",
                               depth_multiplier=depth_multiplier, strides=(stride, stride),
                               use_bias=False, name=f"conv_dw_{block_id}")(x)
    x = _bn(f"conv_dw_{block_id}_bn")(x)
    x = layers.ReLU(6.0, name=f"conv_dw_{block_id}_relu")(x)
    x = layers.Conv2D(int(filters * alpha), (1, 1), padding="same", use_bias=False,
                      strides=(1, 1), name=f"conv_pw_{block_id}")(x)
    x = _bn(f"conv_pw_{block_id}_bn")(x)
    return layers.ReLU(6.0, name=f"conv_pw_{block_id}_relu")(x)


def MobileNet(input_shape=None, alpha=1.0, depth_multiplier=1, dropout=1e-3,
              include_top=True, weights="imagenet", input_tensor=None, pooling=None,
              classes=1000, classifier_activation="softmax", name=None):
    """The MobileNet model; `alpha` scales the width, `depth_multiplier` the
    depthwise convolutions' outputs. Keras's layer names and weights files
    (published for alpha in 0.25, 0.5, 0.75, 1.0, depth multiplier 1 and
    square sizes 128-224). Inputs preprocessed by `preprocess_input`
    ("tf" mode).

    Raises:
        ValueError: invalid `weights`, `alpha` or `depth_multiplier` with
            ImageNet weights, `input_shape` or `classes`.
    """
    assembly.check_weights(weights, include_top, classes)
    default_size = 224
    if input_shape is not None:
        rows, cols = (input_shape[1:3] if config.image_data_format() == "channels_first"
                      else input_shape[:2])
        default_size = rows if rows == cols and rows in _SIZES else 224
    img_input = assembly.image_input(input_tensor, input_shape, default_size, 32, include_top,
                                     weights)
    with warnings.catch_warnings():  # image_input already warned
        warnings.simplefilter("ignore")
        shape = imagenet_utils.obtain_input_shape(
            input_shape, default_size=default_size, min_size=32,
            data_format=config.image_data_format(), require_flatten=include_top,
            weights=weights)
    rows, cols = shape[1:3] if config.image_data_format() == "channels_first" else shape[:2]
    if weights == "imagenet":
        if depth_multiplier != 1:
            raise ValueError("If imagenet weights are being loaded, depth multiplier must "
                             f"be 1.  Received depth_multiplier={depth_multiplier}")
        if alpha not in _ALPHA_TEXT:
            raise ValueError("If imagenet weights are being loaded, alpha can be one of"
                             f"`0.25`, `0.50`, `0.75` or `1.0` only.  Received alpha={alpha}")
        if rows != cols or rows not in _SIZES:
            rows = 224
            warnings.warn("`input_shape` is undefined or non-square, or `rows` is not in "
                          "[128, 160, 192, 224]. Weights for input shape (224, 224) will be "
                          "loaded as the default.", stacklevel=2)
    x = layers.Conv2D(int(32 * alpha), (3, 3), padding="same", use_bias=False, strides=(2, 2),
                      name="conv1")(img_input)
    x = _bn("conv1_bn")(x)
    x = layers.ReLU(6.0, name="conv1_relu")(x)
    for block_id, (filters, stride) in enumerate(_BLOCKS, start=1):
        x = _separable_block(x, filters, alpha, depth_multiplier, stride, block_id)
    if include_top:
        # Keras's classifier is a 1x1 convolution on the pooled features.
        x = layers.GlobalAveragePooling2D(keepdims=True)(x)
        x = layers.Dropout(dropout, name="dropout")(x)
        x = layers.Conv2D(classes, (1, 1), padding="same", name="conv_preds")(x)
        x = layers.Reshape((classes,), name="reshape_2")(x)
        imagenet_utils.validate_activation(classifier_activation, weights)
        x = layers.Activation(activation=classifier_activation, name="predictions")(x)
    else:
        x = assembly.top(x, False, pooling, classes, classifier_activation, weights,
                         pool_names=False)
    name = name or f"mobilenet_{alpha:0.2f}_{rows}"
    weights_file = None
    if weights == "imagenet":
        file_name = (f"mobilenet_{_ALPHA_TEXT[alpha]}_{rows}_tf"
                     + (".h5" if include_top else "_no_top.h5"))
        weights_file = (file_name, BASE_WEIGHT_PATH + file_name, None)
    return assembly.model(img_input, input_tensor, x, name, weights, weights_file)


def preprocess_input(x, data_format=None):
    """Preprocess images for MobileNet: scale to [-1, 1] ("tf" mode)."""
    return imagenet_utils.preprocess_input(x, data_format=data_format, mode="tf")


decode_predictions = imagenet_utils.decode_predictions
