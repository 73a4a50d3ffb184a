"""EfficientNetV2B0 to B3, S, M and L (Tan & Le, ICML 2021), as
`keras.applications.efficientnet_v2`. Input preprocessing is part of the
model (`include_preprocessing`), so inputs are pixels in [0, 255] and
`preprocess_input` passes them through."""
import math

from kerasx import layers
from kerasx.applications import assembly, imagenet_utils
from kerasx.applications.efficientnet import CONV_KERNEL_INITIALIZER, head_and_model

BASE_WEIGHTS_PATH = ("https://storage.googleapis.com/tensorflow/keras-applications/"
                     "efficientnet_v2/")
#: weights name -> (md5 with the top, md5 without).
WEIGHTS_HASHES = {
    "b0": ("21ecbf6da12460d5c40bb2f29ceb2188", "893217f2bb855e2983157299931e43ff"),
    "b1": ("069f0534ff22adf035c89e2d9547a9dc", "0e80663031ca32d657f9caa404b6ec37"),
    "b2": ("424e49f28180edbde1e94797771950a7", "1dfe2e7a5d45b6632553a8961ea609eb"),
    "b3": ("1f1fc43bd98a6e4fd8fdfd551e02c7a0", "f6abf7b5849ac99a89b50dd3fd532856"),
    "-s": ("e1d88a8495beba45748fedd0cecbe016", "af0682fb74e8c54910f2d4393339c070"),
    "-m": ("a3bf6aa3276309f4fc6a34aa114c95cd", "1b8dc055df72dde80d614482840fe342"),
    "-l": ("27e6d408b53c7ebc868fefa357689935", "b0b66b5c863aef5b46e8608fe1711615"),
}
_KEYS = ("kernel_size", "num_repeat", "input_filters", "output_filters", "expand_ratio",
         "se_ratio", "strides", "conv_type")


def _stages(*rows):
    """Stage dicts (Keras's `blocks_args`) from rows in `_KEYS` order; the
    kernel is 3 throughout. conv_type 1 is the fused block."""
    return [dict(zip(_KEYS, (3,) + row)) for row in rows]


_B = _stages((1, 32, 16, 1, 0, 1, 1), (2, 16, 32, 4, 0, 2, 1), (2, 32, 48, 4, 0, 2, 1),
             (3, 48, 96, 4, 0.25, 2, 0), (5, 96, 112, 6, 0.25, 1, 0),
             (8, 112, 192, 6, 0.25, 2, 0))
#: model name -> its stages.
DEFAULT_BLOCKS_ARGS = {
    "efficientnetv2-s": _stages((2, 24, 24, 1, 0, 1, 1), (4, 24, 48, 4, 0, 2, 1),
                                (4, 48, 64, 4, 0, 2, 1), (6, 64, 128, 4, 0.25, 2, 0),
                                (9, 128, 160, 6, 0.25, 1, 0), (15, 160, 256, 6, 0.25, 2, 0)),
    "efficientnetv2-m": _stages((3, 24, 24, 1, 0, 1, 1), (5, 24, 48, 4, 0, 2, 1),
                                (5, 48, 80, 4, 0, 2, 1), (7, 80, 160, 4, 0.25, 2, 0),
                                (14, 160, 176, 6, 0.25, 1, 0), (18, 176, 304, 6, 0.25, 2, 0),
                                (5, 304, 512, 6, 0.25, 1, 0)),
    "efficientnetv2-l": _stages((4, 32, 32, 1, 0, 1, 1), (7, 32, 64, 4, 0, 2, 1),
                                (7, 64, 96, 4, 0, 2, 1), (10, 96, 192, 4, 0.25, 2, 0),
                                (19, 192, 224, 6, 0.25, 1, 0), (25, 224, 384, 6, 0.25, 2, 0),
                                (7, 384, 640, 6, 0.25, 1, 0)),
    "efficientnetv2-b0": _B, "efficientnetv2-b1": _B, "efficientnetv2-b2": _B,
    "efficientnetv2-b3": _B,
}
#: variant -> (width, depth, default size).
_VARIANTS = {"B0": (1.0, 1.0, 224), "B1": (1.0, 1.1, 240), "B2": (1.1, 1.2, 260),
             "B3": (1.2, 1.4, 300), "S": (1.0, 1.0, 384), "M": (1.0, 1.0, 480),
             "L": (1.0, 1.0, 480)}


def round_filters(filters, width_coefficient, min_depth, depth_divisor):
    """`filters` scaled by the width and rounded to a multiple of the
    divisor (at least `min_depth`)."""
    filters *= width_coefficient
    return int(max(min_depth or depth_divisor,
                   int(filters + depth_divisor / 2) // depth_divisor * depth_divisor))


def round_repeats(repeats, depth_coefficient):
    """The blocks of a stage scaled by the depth, rounded up."""
    return int(math.ceil(depth_coefficient * repeats))


def _conv(filters, kernel, name, **kwargs):
    return layers.Conv2D(filters, kernel, padding="same",
                         kernel_initializer=CONV_KERNEL_INITIALIZER, name=name, **kwargs)


def _bn(momentum, name):
    return layers.BatchNormalization(axis=assembly.channel_axis(), momentum=momentum,
                                     name=name)


def _squeeze_excite(x, filters, input_filters, se_ratio, activation, name):
    se = layers.GlobalAveragePooling2D(name=f"{name}se_squeeze")(x)
    se = layers.Reshape((filters, 1, 1) if assembly.channel_axis() == 1 else (1, 1, filters),
                        name=f"{name}se_reshape")(se)
    se = _conv(max(1, int(input_filters * se_ratio)), 1, f"{name}se_reduce",
               activation=activation)(se)
    se = _conv(filters, 1, f"{name}se_expand", activation="sigmoid")(se)
    return layers.multiply([x, se], name=f"{name}se_excite")


def _residual(x, inputs, strides, input_filters, output_filters, survival_probability, name):
    if strides == 1 and input_filters == output_filters:
        if survival_probability:
            # Keras passes this rate as it is (inference is unaffected).
            x = layers.Dropout(survival_probability, noise_shape=(None, 1, 1, 1),
                               name=f"{name}drop")(x)
        x = layers.add([x, inputs], name=f"{name}add")
    return x


def block(inputs, input_filters, output_filters, expand_ratio=1, kernel_size=3, strides=1,
          se_ratio=0.0, bn_momentum=0.9, activation="swish", survival_probability=0.8,
          name="", fused=False):
    """The MBConv block (1x1 expansion, then a depthwise convolution) or,
    `fused`, the Fused-MBConv block (one full convolution in their place);
    optional squeeze-and-excitation, projection and the residual add."""
    filters = input_filters * expand_ratio
    x = inputs
    if expand_ratio != 1:
        x = _conv(filters, kernel_size if fused else 1, f"{name}expand_conv",
                  strides=strides if fused else 1, use_bias=False)(x)
        x = _bn(bn_momentum, f"{name}expand_bn")(x)
        x = layers.Activation(activation, name=f"{name}expand_activation")(x)
    if not fused:
        x = layers.DepthwiseConv2D(kernel_size=kernel_size, strides=strides,
                                   depthwise_initializer=CONV_KERNEL_INITIALIZER,
                                   padding="same", use_bias=False, name=f"{name}dwconv2")(x)
        x = _bn(bn_momentum, f"{name}bn")(x)
        x = layers.Activation(activation, name=f"{name}activation")(x)
    if 0 < se_ratio <= 1:
        x = _squeeze_excite(x, filters, input_filters, se_ratio, activation, name)
    # A fused block without expansion projects with the full convolution.
    plain = fused and expand_ratio == 1
    x = _conv(output_filters, kernel_size if plain else 1, f"{name}project_conv",
              strides=strides if plain else 1, use_bias=False)(x)
    x = _bn(bn_momentum, f"{name}project_bn")(x)
    if plain:
        x = layers.Activation(activation, name=f"{name}project_activation")(x)
    return _residual(x, inputs, strides, input_filters, output_filters, survival_probability,
                     name)


def EfficientNetV2(width_coefficient, depth_coefficient, default_size, dropout_rate=0.2,
                   drop_connect_rate=0.2, depth_divisor=8, min_depth=8, bn_momentum=0.9,
                   activation="swish", blocks_args="default", name="efficientnetv2",
                   include_top=True, weights="imagenet", input_tensor=None, input_shape=None,
                   pooling=None, classes=1000, classifier_activation="softmax",
                   include_preprocessing=True, weights_name=None):
    """An EfficientNetV2 of the given stages (`blocks_args`, by default
    those of the model `name`), scaled by the width and depth coefficients.

    Raises:
        ValueError: invalid `weights`, `input_shape`, `classes`, or a stage
            with no repeats.
        KeyError: default stages for a `name` that has none.
    """
    if blocks_args == "default":
        if name not in DEFAULT_BLOCKS_ARGS:
            # Keras's KeyError, with what to do.
            raise KeyError(f"EfficientNetV2 takes its default stages from the model name, "
                           f"one of {sorted(DEFAULT_BLOCKS_ARGS)}; received name={name!r}. "
                           "Pass `blocks_args` to name the model otherwise.")
        blocks_args = DEFAULT_BLOCKS_ARGS[name]
    assembly.check_weights(weights, include_top, classes)
    img_input = assembly.image_input(input_tensor, input_shape, default_size, 32, include_top,
                                     weights)
    axis = assembly.channel_axis()

    def filters_of(n):
        return round_filters(n, width_coefficient, min_depth, depth_divisor)

    x = img_input
    if include_preprocessing:
        # As Keras: the B variants (told by the model's name) normalize by
        # the ImageNet statistics, the others scale to [-1, 1].
        channels = img_input.shape[axis]
        if name.split("-")[-1].startswith("b") and channels == 3:
            x = layers.Rescaling(scale=1.0 / 255)(x)
            x = layers.Normalization(mean=[0.485, 0.456, 0.406],
                                     variance=[0.229**2, 0.224**2, 0.225**2], axis=axis)(x)
        else:
            x = layers.Rescaling(scale=1.0 / 128.0, offset=-1)(x)
    x = _conv(filters_of(blocks_args[0]["input_filters"]), 3, "stem_conv", strides=2,
              use_bias=False)(x)
    x = _bn(bn_momentum, "stem_bn")(x)
    x = layers.Activation(activation, name="stem_activation")(x)
    total = float(sum(args["num_repeat"] for args in blocks_args))
    b = 0
    for i, args in enumerate(blocks_args):
        if args["num_repeat"] <= 0:
            raise ValueError("The number of repeats in `EfficientNetV2` must be > 0. "
                             f"Received: num_repeat={args['num_repeat']}")
        args = dict(args)
        args["input_filters"] = filters_of(args["input_filters"])
        args["output_filters"] = filters_of(args["output_filters"])
        fused = args.pop("conv_type") == 1
        for j in range(round_repeats(args.pop("num_repeat"), depth_coefficient)):
            if j > 0:
                args["strides"], args["input_filters"] = 1, args["output_filters"]
            x = block(x, activation=activation, bn_momentum=bn_momentum,
                      survival_probability=drop_connect_rate * b / total,
                      name=f"block{i + 1}{chr(j + 97)}_", fused=fused, **args)
            b += 1
    x = _conv(filters_of(1280), 1, "top_conv", use_bias=False)(x)
    x = _bn(bn_momentum, "top_bn")(x)
    x = layers.Activation(activation=activation, name="top_activation")(x)
    return head_and_model(x, img_input, input_tensor, include_top, dropout_rate, pooling,
                          classes, classifier_activation, weights, name,
                          WEIGHTS_HASHES.get(weights_name), BASE_WEIGHTS_PATH)


def _variant(key):
    width, depth, size = _VARIANTS[key]
    weights_name = key.lower() if key.startswith("B") else f"-{key.lower()}"

    def constructor(include_top=True, weights="imagenet", input_tensor=None,
                    input_shape=None, pooling=None, classes=1000,
                    classifier_activation="softmax", include_preprocessing=True,
                    name=f"efficientnetv2-{key.lower()}"):
        return EfficientNetV2(width, depth, size, name=name, include_top=include_top,
                              weights=weights, input_tensor=input_tensor,
                              input_shape=input_shape, pooling=pooling, classes=classes,
                              classifier_activation=classifier_activation,
                              include_preprocessing=include_preprocessing,
                              weights_name=weights_name)

    constructor.__name__ = constructor.__qualname__ = f"EfficientNetV2{key}"
    constructor.__doc__ = (
        f"The EfficientNetV2{key} model (default input {size}x{size}), Keras's layer "
        "names and weights files. Inputs are pixels in [0, 255]: the model "
        "preprocesses them itself unless `include_preprocessing=False`.\n\n"
        "Raises:\n    ValueError: invalid `weights`, `input_shape` or `classes`.\n"
        "    KeyError: a `name` other than Keras's (the stages follow the name).")
    return constructor


EfficientNetV2B0 = _variant("B0")
EfficientNetV2B1 = _variant("B1")
EfficientNetV2B2 = _variant("B2")
EfficientNetV2B3 = _variant("B3")
EfficientNetV2S = _variant("S")
EfficientNetV2M = _variant("M")
EfficientNetV2L = _variant("L")


def preprocess_input(x, data_format=None):
    """Return `x` unchanged: EfficientNetV2 preprocesses inside the model
    (as Keras's, kept for compatibility)."""
    return x


decode_predictions = imagenet_utils.decode_predictions
