"""EfficientNetB0 to B7 (Tan & Le, ICML 2019), as
`keras.applications.efficientnet`. Input preprocessing (rescaling and
ImageNet normalization) is part of the model, so inputs are pixels in
[0, 255] and `preprocess_input` passes them through."""
import copy
import math

from kerasx import layers
from kerasx.applications import assembly, imagenet_utils
from kerasx.applications.mobilenet_v2 import correct_pad

BASE_WEIGHTS_PATH = "https://storage.googleapis.com/keras-applications/"
#: variant -> (md5 with the top, md5 without).
WEIGHTS_HASHES = {
    "b0": ("902e53a9f72be733fc0bcb005b3ebbac", "50bc09e76180e00e4465e1a485ddc09d"),
    "b1": ("1d254153d4ab51201f1646940f018540", "74c4e6b3e1f6a1eea24c589628592432"),
    "b2": ("b15cce36ff4dcbd00b6dd88e7857a6ad", "111f8e2ac8aa800a7a99e3239f7bfb39"),
    "b3": ("ffd1fdc53d0ce67064dc6a9c7960ede0", "af6d107764bb5b1abb91932881670226"),
    "b4": ("18c95ad55216b8f92d7e70b3a046e2fc", "ebc24e6d6c33eaebbd558eafbeedf1ba"),
    "b5": ("ace28f2a6363774853a83a0b21b9421a", "38879255a25d3c92d5e44e04ae6cec6f"),
    "b6": ("165f6e37dce68623721b423839de8be5", "9ecce42647a20130c1f39a5d4cb75743"),
    "b7": ("8c03f828fec3ef71311cd463b6759d99", "cbcfe4450ddf6f3ad90b1b398090fe4a"),
}
#: (kernel_size, repeats, filters_in, filters_out, expand_ratio, strides) of
#: the seven stages of B0 (id_skip and se_ratio 0.25 throughout).
DEFAULT_BLOCKS_ARGS = [dict(kernel_size=k, repeats=r, filters_in=i, filters_out=o,
                            expand_ratio=e, id_skip=True, strides=s, se_ratio=0.25)
                       for k, r, i, o, e, s in ((3, 1, 32, 16, 1, 1), (3, 2, 16, 24, 6, 2),
                                                (5, 2, 24, 40, 6, 2), (3, 3, 40, 80, 6, 2),
                                                (5, 3, 80, 112, 6, 1), (5, 4, 112, 192, 6, 2),
                                                (3, 1, 192, 320, 6, 1))]
CONV_KERNEL_INITIALIZER = {"class_name": "VarianceScaling",
                           "config": {"scale": 2.0, "mode": "fan_out",
                                      "distribution": "truncated_normal"}}
DENSE_KERNEL_INITIALIZER = {"class_name": "VarianceScaling",
                            "config": {"scale": 1.0 / 3.0, "mode": "fan_out",
                                       "distribution": "uniform"}}
IMAGENET_STDDEV_RGB = [0.229, 0.224, 0.225]
#: variant -> (width, depth, default size, dropout).
_VARIANTS = {"b0": (1.0, 1.0, 224, 0.2), "b1": (1.0, 1.1, 240, 0.2),
             "b2": (1.1, 1.2, 260, 0.3), "b3": (1.2, 1.4, 300, 0.3),
             "b4": (1.4, 1.8, 380, 0.4), "b5": (1.6, 2.2, 456, 0.4),
             "b6": (1.8, 2.6, 528, 0.5), "b7": (2.0, 3.1, 600, 0.5)}


def _conv(filters, kernel, name, **kwargs):
    return layers.Conv2D(filters, kernel, padding=kwargs.pop("padding", "same"),
                         kernel_initializer=CONV_KERNEL_INITIALIZER, name=name, **kwargs)


def block(inputs, activation="swish", drop_rate=0.0, name="", filters_in=32, filters_out=16,
          kernel_size=3, strides=1, expand_ratio=1, se_ratio=0.0, id_skip=True):
    """The inverted residual (MBConv) block: expansion, depthwise
    convolution, squeeze-and-excitation, projection, and the skip connection
    with drop-connect (Dropout of whole samples)."""
    axis = assembly.channel_axis()
    filters = filters_in * expand_ratio
    x = inputs
    if expand_ratio != 1:
        x = _conv(filters, 1, f"{name}expand_conv", use_bias=False)(inputs)
        x = layers.BatchNormalization(axis=axis, name=f"{name}expand_bn")(x)
        x = layers.Activation(activation, name=f"{name}expand_activation")(x)
    if strides == 2:
        x = layers.ZeroPadding2D(padding=correct_pad(x, kernel_size),
                                 name=f"{name}dwconv_pad")(x)
    x = layers.DepthwiseConv2D(kernel_size, strides=strides,
                               padding="valid" if strides == 2 else "same", use_bias=False,
                               depthwise_initializer=CONV_KERNEL_INITIALIZER,
                               name=f"{name}dwconv")(x)
    x = layers.BatchNormalization(axis=axis, name=f"{name}bn")(x)
    x = layers.Activation(activation, name=f"{name}activation")(x)
    if 0 < se_ratio <= 1:
        se = layers.GlobalAveragePooling2D(name=f"{name}se_squeeze")(x)
        se = layers.Reshape((filters, 1, 1) if axis == 1 else (1, 1, filters),
                            name=f"{name}se_reshape")(se)
        se = _conv(max(1, int(filters_in * se_ratio)), 1, f"{name}se_reduce",
                   activation=activation)(se)
        se = _conv(filters, 1, f"{name}se_expand", activation="sigmoid")(se)
        x = layers.multiply([x, se], name=f"{name}se_excite")
    x = _conv(filters_out, 1, f"{name}project_conv", use_bias=False)(x)
    x = layers.BatchNormalization(axis=axis, name=f"{name}project_bn")(x)
    if id_skip and strides == 1 and filters_in == filters_out:
        if drop_rate > 0:
            x = layers.Dropout(drop_rate, noise_shape=(None, 1, 1, 1), name=f"{name}drop")(x)
        x = layers.add([x, inputs], name=f"{name}add")
    return x


def EfficientNet(width_coefficient, depth_coefficient, default_size, dropout_rate=0.2,
                 drop_connect_rate=0.2, depth_divisor=8, activation="swish",
                 blocks_args="default", name="efficientnet", include_top=True,
                 weights="imagenet", input_tensor=None, input_shape=None, pooling=None,
                 classes=1000, classifier_activation="softmax", weights_name=None):
    """An EfficientNet scaled by `width_coefficient` (channels) and
    `depth_coefficient` (blocks per stage).

    Raises:
        ValueError: invalid `weights`, `input_shape`, `classes`, or a stage
            with no repeats.
    """
    blocks_args = copy.deepcopy(DEFAULT_BLOCKS_ARGS if blocks_args == "default"
                                else blocks_args)
    assembly.check_weights(weights, include_top, classes, classifier_activation)
    img_input = assembly.image_input(input_tensor, input_shape, default_size, 32, include_top,
                                     weights)
    axis = assembly.channel_axis()

    def round_filters(filters):
        filters *= width_coefficient
        rounded = max(depth_divisor, int(filters + depth_divisor / 2)
                      // depth_divisor * depth_divisor)
        return int(rounded + depth_divisor if rounded < 0.9 * filters else rounded)

    def round_repeats(repeats):
        return int(math.ceil(depth_coefficient * repeats))

    x = layers.Rescaling(1.0 / 255.0)(img_input)
    x = layers.Normalization(axis=axis)(x)
    if weights == "imagenet":
        # The published weights hold the ImageNet mean and variance, not the
        # deviation: this finishes the division (as Keras does).
        x = layers.Rescaling([1.0 / math.sqrt(s) for s in IMAGENET_STDDEV_RGB])(x)
    x = layers.ZeroPadding2D(padding=correct_pad(x, 3), name="stem_conv_pad")(x)
    x = _conv(round_filters(32), 3, "stem_conv", strides=2, padding="valid",
              use_bias=False)(x)
    x = layers.BatchNormalization(axis=axis, name="stem_bn")(x)
    x = layers.Activation(activation, name="stem_activation")(x)
    total = float(sum(round_repeats(args["repeats"]) for args in blocks_args))
    b = 0
    for i, args in enumerate(blocks_args):
        if args["repeats"] <= 0:
            raise ValueError("The number of repeats in `EfficientNet` must be > 0. "
                             f"Received: repeats={args['repeats']}")
        args["filters_in"] = round_filters(args["filters_in"])
        args["filters_out"] = round_filters(args["filters_out"])
        for j in range(round_repeats(args.pop("repeats"))):
            if j > 0:
                args["strides"], args["filters_in"] = 1, args["filters_out"]
            x = block(x, activation, drop_connect_rate * b / total,
                      name=f"block{i + 1}{chr(j + 97)}_", **args)
            b += 1
    x = _conv(round_filters(1280), 1, "top_conv", use_bias=False)(x)
    x = layers.BatchNormalization(axis=axis, name="top_bn")(x)
    x = layers.Activation(activation, name="top_activation")(x)
    return head_and_model(x, img_input, input_tensor, include_top, dropout_rate, pooling,
                          classes, classifier_activation, weights, name,
                          WEIGHTS_HASHES.get(weights_name), BASE_WEIGHTS_PATH)


def head_and_model(x, img_input, input_tensor, include_top, dropout_rate, pooling, classes,
                   classifier_activation, weights, name, hashes, base_path):
    """The end of an EfficientNet (V1 and V2): Keras's classifier head (or
    the pooling of a headless model) and the model, with its published
    weights file when `hashes` (top, no-top sha256) are known."""
    if include_top:
        x = layers.GlobalAveragePooling2D(name="avg_pool")(x)
        if dropout_rate > 0:
            x = layers.Dropout(dropout_rate, name="top_dropout")(x)
        imagenet_utils.validate_activation(classifier_activation, weights)
        x = layers.Dense(classes, activation=classifier_activation,
                         kernel_initializer=DENSE_KERNEL_INITIALIZER, name="predictions")(x)
    else:
        x = assembly.top(x, False, pooling, classes, classifier_activation, weights)
    weights_file = None
    if hashes is not None:
        file_name = name + (".h5" if include_top else "_notop.h5")
        weights_file = (file_name, base_path + file_name, hashes[0 if include_top else 1])
    return assembly.model(img_input, input_tensor, x, name, weights, weights_file)


def _variant(key):
    width, depth, size, dropout = _VARIANTS[key]

    def constructor(include_top=True, weights="imagenet", input_tensor=None,
                    input_shape=None, pooling=None, classes=1000,
                    classifier_activation="softmax", name=f"efficientnet{key}", **kwargs):
        return EfficientNet(width, depth, size, dropout, name=name, include_top=include_top,
                            weights=weights, input_tensor=input_tensor,
                            input_shape=input_shape, pooling=pooling, classes=classes,
                            classifier_activation=classifier_activation, weights_name=key,
                            **kwargs)

    constructor.__name__ = constructor.__qualname__ = f"EfficientNet{key.upper()}"
    constructor.__doc__ = (
        f"The EfficientNet{key.upper()} model (width x{width}, depth x{depth}, default "
        f"input {size}x{size}), Keras's layer names and weights files. Inputs are "
        "pixels in [0, 255]: the model rescales and normalizes them itself.\n\n"
        "Raises:\n    ValueError: invalid `weights`, `input_shape` or `classes`.")
    return constructor


EfficientNetB0 = _variant("b0")
EfficientNetB1 = _variant("b1")
EfficientNetB2 = _variant("b2")
EfficientNetB3 = _variant("b3")
EfficientNetB4 = _variant("b4")
EfficientNetB5 = _variant("b5")
EfficientNetB6 = _variant("b6")
EfficientNetB7 = _variant("b7")


def preprocess_input(x, data_format=None):
    """Return `x` unchanged: EfficientNet preprocesses inside the model (as
    Keras's, kept for compatibility)."""
    return x


decode_predictions = imagenet_utils.decode_predictions
