"""ConvNeXt Tiny, Small, Base, Large and XLarge (Liu et al., CVPR 2022), as
`keras.applications.convnext`. Input normalization is part of the model
(`include_preprocessing`), so inputs are pixels in [0, 255]."""
import numpy as np

from kerasx import initializers, layers, ops, random
from kerasx.applications import assembly, imagenet_utils
from kerasx.layers import Layer
from kerasx.models import Sequential

BASE_WEIGHTS_PATH = "https://storage.googleapis.com/tensorflow/keras-applications/convnext/"
#: weights name -> (sha256 with the top, sha256 without).
WEIGHTS_HASHES = {
    "convnext_tiny": ("8ae6e78ce2933352b1ef4008e6dd2f17bc40771563877d156bc6426c7cf503ff",
                      "d547c096cabd03329d7be5562c5e14798aa39ed24b474157cef5e85ab9e49ef1"),
    "convnext_small": ("ce1277d8f1ee5a0ef0e171469089c18f5233860ceaf9b168049cb9263fd7483c",
                       "6fc8009faa2f00c1c1dfce59feea9b0745eb260a7dd11bee65c8e20843da6eab"),
    "convnext_base": ("52cbb006d3dadd03f6e095a8ca1aca47aecdd75acb4bc74bce1f5c695d0086e6",
                      "40a20c5548a5e9202f69735ecc06c990e6b7c9d2de39f0361e27baeb24cb7c45"),
    "convnext_large": ("070c5ed9ed289581e477741d3b34beffa920db8cf590899d6d2c67fba2a198a6",
                       "96f02b6f0753d4f543261bc9d09bed650f24dd6bc02ddde3066135b63d23a1cd"),
    "convnext_xlarge": ("c1f5ccab661354fc3a79a10fa99af82f0fbf10ec65cb894a3ae0815f17a889ee",
                        "de3f8a54174130e0cecdc71583354753d557fcf1f4487331558e2a16ba0cfe05"),
}
#: variant -> (depths, projection dims); all take 224x224 by default.
MODEL_CONFIGS = {"tiny": ([3, 3, 9, 3], [96, 192, 384, 768]),
                 "small": ([3, 3, 27, 3], [96, 192, 384, 768]),
                 "base": ([3, 3, 27, 3], [128, 256, 512, 1024]),
                 "large": ([3, 3, 27, 3], [192, 384, 768, 1536]),
                 "xlarge": ([3, 3, 27, 3], [256, 512, 1024, 2048])}


class StochasticDepth(Layer):
    """Drops the whole residual path of a sample with probability
    `drop_path_rate` in training (scaling the kept ones by 1 / keep), as
    Keras's ConvNeXt; the identity in inference."""

    def __init__(self, drop_path_rate, **kwargs):
        super().__init__(**kwargs)
        self.drop_path_rate = drop_path_rate

    def call(self, x, training=None):
        if not training:
            return x
        keep = 1 - self.drop_path_rate
        shape = (ops.shape(x)[0],) + (1,) * (len(x.shape) - 1)
        mask = ops.floor(keep + random.uniform(shape, 0, 1, dtype=x.dtype))
        return (x / keep) * mask

    def get_config(self):
        return {**super().get_config(), "drop_path_rate": self.drop_path_rate}


class LayerScale(Layer):
    """Multiplies its input by a learned per-channel scale, initialised to
    `init_values` (Touvron et al., 2021)."""

    def __init__(self, init_values, projection_dim, **kwargs):
        super().__init__(**kwargs)
        self.init_values = init_values
        self.projection_dim = projection_dim

    def build(self, input_shape):
        self.gamma = self.add_weight(shape=(self.projection_dim,),
                                     initializer=initializers.Constant(self.init_values),
                                     trainable=True)

    def call(self, x):
        return x * self.gamma

    def get_config(self):
        return {**super().get_config(), "init_values": self.init_values,
                "projection_dim": self.projection_dim}


def ConvNeXtBlock(projection_dim, drop_path_rate=0.0, layer_scale_init_value=1e-6,
                  name=None):
    """The ConvNeXt block as a function of its input: 7x7 depthwise
    convolution, layer norm, pointwise MLP (as Dense layers), layer scale,
    stochastic depth, residual sum."""
    def apply(inputs):
        x = layers.Conv2D(filters=projection_dim, kernel_size=7, padding="same",
                          groups=projection_dim, name=f"{name}_depthwise_conv")(inputs)
        x = layers.LayerNormalization(epsilon=1e-6, name=f"{name}_layernorm")(x)
        x = layers.Dense(4 * projection_dim, name=f"{name}_pointwise_conv_1")(x)
        x = layers.Activation("gelu", name=f"{name}_gelu")(x)
        x = layers.Dense(projection_dim, name=f"{name}_pointwise_conv_2")(x)
        if layer_scale_init_value is not None:
            x = LayerScale(layer_scale_init_value, projection_dim,
                           name=f"{name}_layer_scale")(x)
        layer = (StochasticDepth(drop_path_rate, name=f"{name}_stochastic_depth")
                 if drop_path_rate else layers.Activation("linear", name=f"{name}_identity"))
        return inputs + layer(x)

    return apply


def PreStem(name):
    """Normalization by the ImageNet channel means and variances (of pixels
    in [0, 255])."""
    mean = [0.485 * 255, 0.456 * 255, 0.406 * 255]
    variance = [(0.229 * 255) ** 2, (0.224 * 255) ** 2, (0.225 * 255) ** 2]
    return layers.Normalization(mean=mean, variance=variance,
                                name=f"{name}_prestem_normalization")


def Head(num_classes=1000, classifier_activation=None, name=None):
    """Global average pooling, layer norm and the classifier, as a function."""
    def apply(x):
        x = layers.GlobalAveragePooling2D(name=f"{name}_head_gap")(x)
        x = layers.LayerNormalization(epsilon=1e-6, name=f"{name}_head_layernorm")(x)
        return layers.Dense(num_classes, activation=classifier_activation,
                            name=f"{name}_head_dense")(x)

    return apply


def ConvNeXt(depths, projection_dims, drop_path_rate=0.0, layer_scale_init_value=1e-6,
             default_size=224, name="convnext", include_preprocessing=True, include_top=True,
             weights=None, input_tensor=None, input_shape=None, pooling=None, classes=1000,
             classifier_activation="softmax", weights_name=None):
    """A ConvNeXt with `depths` blocks of `projection_dims` channels in its
    four stages.

    Raises:
        ValueError: invalid `weights`, `input_shape` or `classes`, or
            ImageNet weights with an architecture or name that does not
            match them.
    """
    assembly.check_weights(weights, include_top, classes, classifier_activation)
    img_input = assembly.image_input(input_tensor, input_shape, default_size, 32, include_top,
                                     weights)
    x = img_input
    channels = img_input.shape[assembly.channel_axis()]
    if include_preprocessing and channels == 3:
        x = PreStem(name)(x)
    stem = Sequential([layers.Conv2D(projection_dims[0], kernel_size=4, strides=4,
                                     name=f"{name}_stem_conv"),
                       layers.LayerNormalization(epsilon=1e-6, name=f"{name}_stem_layernorm")],
                      name=f"{name}_stem")
    downsampling = [stem] + [
        Sequential([layers.LayerNormalization(epsilon=1e-6,
                                              name=f"{name}_downsampling_layernorm_{i}"),
                    layers.Conv2D(projection_dims[i + 1], kernel_size=2, strides=2,
                                  name=f"{name}_downsampling_conv_{i}")],
                   name=f"{name}_downsampling_block_{i}")
        for i in range(3)]
    rates = [float(r) for r in np.linspace(0.0, drop_path_rate, sum(depths))]
    done = 0
    for i in range(4):
        x = downsampling[i](x)
        for j in range(depths[i]):
            x = ConvNeXtBlock(projection_dims[i], rates[done + j], layer_scale_init_value,
                              name=f"{name}_stage_{i}_block_{j}")(x)
        done += depths[i]
    if include_top:
        imagenet_utils.validate_activation(classifier_activation, weights)
        x = Head(classes, classifier_activation, name=name)(x)
    else:
        x = assembly.top(x, False, pooling, classes, classifier_activation, weights,
                         pool_names=False)
        x = layers.LayerNormalization(epsilon=1e-6)(x)
    weights_file = None
    if weights == "imagenet":
        expected = MODEL_CONFIGS[weights_name.split("convnext_")[-1]]
        if list(depths) != expected[0] or list(projection_dims) != expected[1]:
            raise ValueError(f"Architecture configuration does not match {weights_name} "
                             f"variant: expected depths {expected[0]} and projection_dims "
                             f"{expected[1]}, got {depths} and {projection_dims}.")
        if weights_name not in name:
            raise ValueError(f'Model name "{name}" does not match weights variant '
                             f'"{weights_name}". When using imagenet weights, model name '
                             "must contain the weights variant.")
        file_name = name + (".h5" if include_top else "_notop.h5")
        weights_file = (file_name, BASE_WEIGHTS_PATH + file_name,
                        WEIGHTS_HASHES[weights_name][0 if include_top else 1])
    return assembly.model(img_input, input_tensor, x, name, weights, weights_file)


def _variant(key):
    depths, dims = MODEL_CONFIGS[key]

    def constructor(include_top=True, include_preprocessing=True, weights="imagenet",
                    input_tensor=None, input_shape=None, pooling=None, classes=1000,
                    classifier_activation="softmax", name=f"convnext_{key}"):
        return ConvNeXt(depths=depths, projection_dims=dims, default_size=224, name=name,
                        include_preprocessing=include_preprocessing,
                        include_top=include_top, weights=weights, input_tensor=input_tensor,
                        input_shape=input_shape, pooling=pooling, classes=classes,
                        classifier_activation=classifier_activation,
                        weights_name=f"convnext_{key}")

    title = f"ConvNeXt{key.capitalize()}" if key != "xlarge" else "ConvNeXtXLarge"
    constructor.__name__ = constructor.__qualname__ = title
    constructor.__doc__ = (
        f"The {title} model (blocks {depths}, channels {dims}), Keras's layer names and "
        "weights files. Inputs are pixels in [0, 255]: with `include_preprocessing` "
        "the model normalizes them itself.\n\nRaises:\n    ValueError: invalid "
        "`weights`, `input_shape` or `classes`.")
    return constructor


ConvNeXtTiny = _variant("tiny")
ConvNeXtSmall = _variant("small")
ConvNeXtBase = _variant("base")
ConvNeXtLarge = _variant("large")
ConvNeXtXLarge = _variant("xlarge")


def preprocess_input(x, data_format=None):
    """Return `x` unchanged: ConvNeXt normalizes inside the model (as
    Keras's, kept for compatibility)."""
    return x


decode_predictions = imagenet_utils.decode_predictions
