"""What every application constructor shares: checking `weights`, making the
image input, the classifier top or the pooling, and making the model and
loading its weights (Keras's published `.h5` files: by layer order, so the
layer names and order follow Keras's)."""
import os

from kerasx import config, layers
from kerasx.applications import imagenet_utils
from kerasx.engine.keras_tensor import KerasTensor
from kerasx.models import Model
from kerasx.utils.file_utils import get_file
from kerasx.utils.graph_utils import get_source_inputs


def check_weights(weights, include_top, classes, classifier_activation=None):
    """Check the constructor's arguments before anything is built.

    Raises:
        ValueError: `weights` is not None, "imagenet" or an existing file,
            the ImageNet top is asked for with other than 1000 classes, or
            pretrained weights with a classifier activation other than None
            or softmax.
    """
    if not (weights in {"imagenet", None} or os.path.exists(weights)):
        raise ValueError("The `weights` argument should be either `None` (random "
                         "initialization), 'imagenet' (pre-training on ImageNet), or the "
                         f"path to the weights file to be loaded.  Received: weights={weights}")
    if weights == "imagenet" and include_top and classes != 1000:
        raise ValueError("If using `weights='imagenet'` with `include_top=True`, `classes` "
                         f"should be 1000.  Received classes={classes}")
    if include_top:
        imagenet_utils.validate_activation(classifier_activation, weights)


def image_input(input_tensor, input_shape, default_size, min_size, include_top, weights,
                require_flatten=None):
    """The model's image input: an Input of the resolved shape, or
    `input_tensor` (a symbolic tensor).

    Raises:
        ValueError: an input shape the model cannot take, or an
            `input_tensor` that is not a symbolic (Keras) tensor.
    """
    shape = imagenet_utils.obtain_input_shape(
        input_shape, default_size=default_size, min_size=min_size,
        data_format=config.image_data_format(),
        require_flatten=include_top if require_flatten is None else require_flatten,
        weights=weights)
    if input_tensor is None:
        return layers.Input(shape=shape)
    if not isinstance(input_tensor, KerasTensor):
        raise ValueError("kerasx applications take `input_tensor` as a symbolic tensor "
                         "(the output of `keras.Input()` or of a layer called on one); "
                         f"received {type(input_tensor).__name__}.")
    return input_tensor


def channel_axis():
    """The channel axis of a 4-D image batch in the configured data format."""
    return 3 if config.image_data_format() == "channels_last" else 1


def top(x, include_top, pooling, classes, classifier_activation, weights, head="avg",
        pool_names=True):
    """The classifier or, without the top, the optional pooling.

    Args:
        head: "avg" puts GlobalAveragePooling2D `avg_pool` before the Dense
            `predictions`; "dense" puts the Dense directly (the caller built
            what precedes it).
        pool_names: name the pooling without the top `avg_pool` / `max_pool`
            (as most Keras applications do) or leave the default names.
    """
    if include_top:
        if head == "avg":
            x = layers.GlobalAveragePooling2D(name="avg_pool")(x)
        imagenet_utils.validate_activation(classifier_activation, weights)
        return layers.Dense(classes, activation=classifier_activation, name="predictions")(x)
    if pooling == "avg":
        return layers.GlobalAveragePooling2D(name="avg_pool" if pool_names else None)(x)
    if pooling == "max":
        return layers.GlobalMaxPooling2D(name="max_pool" if pool_names else None)(x)
    return x


def model(img_input, input_tensor, outputs, name, weights, weights_file=None):
    """The application's Model, with its weights loaded.

    Args:
        weights_file: (file name, origin URL, md5 hash) of the ImageNet
            weights for this configuration, read from the Keras cache
            (~/.keras/models), as Keras does; None when Keras publishes none.

    Raises:
        ValueError: "imagenet" weights asked for where Keras publishes none.
    """
    inputs = img_input if input_tensor is None else get_source_inputs(input_tensor)
    if isinstance(inputs, list) and len(inputs) == 1:
        inputs = inputs[0]
    result = Model(inputs, outputs, name=name)
    if weights == "imagenet":
        if weights_file is None:
            raise ValueError(f"Keras publishes no ImageNet weights for {name} in this "
                             "configuration; pass weights=None or a weights file path.")
        file_name, origin, file_hash = weights_file
        result.load_weights(get_file(file_name, origin, cache_subdir="models",
                                     file_hash=file_hash))
    elif weights is not None:
        result.load_weights(weights)
    return result
