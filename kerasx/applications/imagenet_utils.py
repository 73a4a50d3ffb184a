"""ImageNet helpers shared by the applications, as
`keras.applications.imagenet_utils`: input preprocessing in the three modes
Keras's pretrained weights expect, decoding of 1000-class predictions, and
the input-shape rules of the application constructors."""
import json
import warnings

import numpy as np

from kerasx import activations, config, ops
from kerasx.utils.file_utils import get_file

CLASS_INDEX = None
CLASS_INDEX_PATH = ("https://storage.googleapis.com/download.tensorflow.org/"
                    "data/imagenet_class_index.json")
CLASS_INDEX_HASH = "c2c37ea517e94d9795004a39431a14cb"

#: mode -> how it preprocesses: divide by `divisor`, add `shift`, reverse
#: the channels (RGB to BGR), subtract `mean` and divide by `std` per channel.
_MODES = {
    "caffe": dict(divisor=None, shift=None, bgr=True, mean=(103.939, 116.779, 123.68),
                  std=None),
    "tf": dict(divisor=127.5, shift=-1.0, bgr=False, mean=None, std=None),
    "torch": dict(divisor=255.0, shift=None, bgr=False, mean=(0.485, 0.456, 0.406),
                  std=(0.229, 0.224, 0.225)),
}


def preprocess_input(x, data_format=None, mode="caffe"):
    """Preprocess a batch of RGB images (values 0-255) for an ImageNet model.

    Args:
        x: a NumPy array or a tensor, 3-D (one image) or 4-D. A floating NumPy
            array is modified in place, as in Keras.
        data_format: "channels_last" or "channels_first"; default: the
            configured image data format.
        mode: "caffe" (RGB to BGR, then subtract the ImageNet channel means),
            "tf" (scale to [-1, 1]) or "torch" (scale to [0, 1], then
            normalise by the ImageNet channel means and deviations).

    Returns:
        The preprocessed array or tensor.

    Raises:
        ValueError: an unknown mode or data format.
    """
    if mode not in _MODES:
        raise ValueError("Expected mode to be one of `caffe`, `tf` or `torch`. "
                         f"Received: mode={mode}")
    data_format = data_format or config.image_data_format()
    if data_format not in {"channels_first", "channels_last"}:
        raise ValueError("Expected data_format to be one of `channels_first` or "
                         f"`channels_last`. Received: data_format={data_format}")
    if isinstance(x, np.ndarray):
        return _preprocess_array(x, data_format, mode)
    return _preprocess_tensor(x, data_format, mode)


def _channel_shape(ndim, data_format):
    """Broadcast shape of a per-channel constant."""
    if data_format == "channels_first":
        return (3,) + (1,) * 2 if ndim == 3 else (1, 3, 1, 1)
    return (3,)


def _preprocess_array(x, data_format, mode):
    spec = _MODES[mode]
    if not issubclass(x.dtype.type, np.floating):
        x = x.astype(config.floatx(), copy=False)
    if spec["divisor"] is not None:  # in place, as Keras
        x /= spec["divisor"]
    if spec["shift"] is not None:
        x += spec["shift"]
    if spec["bgr"]:
        x = np.flip(x, axis=(0 if x.ndim == 3 else 1) if data_format == "channels_first"
                    else -1)
    shape = _channel_shape(x.ndim, data_format)
    if spec["mean"] is not None:
        x -= np.asarray(spec["mean"], x.dtype).reshape(shape)
    if spec["std"] is not None:
        x /= np.asarray(spec["std"], x.dtype).reshape(shape)
    return x


def _preprocess_tensor(x, data_format, mode):
    spec = _MODES[mode]
    x = ops.convert_to_tensor(x)
    dtype = ops.dtype(x)
    if "float" not in dtype:
        x, dtype = ops.cast(x, config.floatx()), config.floatx()
    if spec["divisor"] is not None:
        x = x / spec["divisor"]
    if spec["shift"] is not None:
        x = x + spec["shift"]
    if spec["bgr"]:
        x = ops.flip(x, axis=(0 if len(x.shape) == 3 else 1) if data_format == "channels_first"
                     else -1)
    shape = _channel_shape(len(x.shape), data_format)
    if spec["mean"] is not None:
        x = x - ops.convert_to_tensor(np.asarray(spec["mean"], dtype).reshape(shape))
    if spec["std"] is not None:
        x = x / ops.convert_to_tensor(np.asarray(spec["std"], dtype).reshape(shape))
    return x


def decode_predictions(preds, top=5):
    """Decode the predictions of an ImageNet model.

    Args:
        preds: a batch of predictions, shape (samples, 1000).
        top: how many top classes to return per sample.

    Returns:
        One list per sample of `(class_name, class_description, score)`,
        highest score first.

    Raises:
        ValueError: `preds` is not of shape (samples, 1000).
    """
    global CLASS_INDEX
    if len(preds.shape) != 2 or preds.shape[1] != 1000:
        raise ValueError("`decode_predictions` expects a batch of predictions (i.e. a 2D "
                         f"array of shape (samples, 1000)). Received array with shape: "
                         f"{preds.shape}")
    if CLASS_INDEX is None:
        path = get_file("imagenet_class_index.json", CLASS_INDEX_PATH, cache_subdir="models",
                        file_hash=CLASS_INDEX_HASH)
        with open(path) as f:
            CLASS_INDEX = json.load(f)
    preds = ops.convert_to_numpy(preds)
    results = []
    for pred in preds:
        best = pred.argsort()[-top:][::-1]
        result = [tuple(CLASS_INDEX[str(i)]) + (pred[i],) for i in best]
        result.sort(key=lambda r: r[2], reverse=True)
        results.append(result)
    return results


def obtain_input_shape(input_shape, default_size, min_size, data_format, require_flatten,
                       weights=None):
    """The input shape of an application model (Keras's rules): the default
    size when none is given and the top is included, a fixed shape for the
    ImageNet weights with the top, and at least `min_size` pixels otherwise.

    Raises:
        ValueError: a shape the model or its weights cannot take.
    """
    channels_first = data_format == "channels_first"
    if weights != "imagenet" and input_shape and len(input_shape) == 3:
        channels = input_shape[0] if channels_first else input_shape[-1]
        if channels not in {1, 3}:
            warnings.warn("This model usually expects 1 or 3 input channels. However, it "
                          f"was passed an input_shape with {channels} input channels.",
                          stacklevel=3)
        default_shape = ((channels, default_size, default_size) if channels_first
                         else (default_size, default_size, channels))
    else:
        default_shape = ((3, default_size, default_size) if channels_first
                         else (default_size, default_size, 3))
    if weights == "imagenet" and require_flatten:
        if input_shape is not None and tuple(input_shape) != default_shape:
            raise ValueError("When setting `include_top=True` and loading `imagenet` "
                             f"weights, `input_shape` should be {default_shape}.  "
                             f"Received: input_shape={input_shape}")
        return default_shape
    if input_shape:
        if len(input_shape) != 3:
            raise ValueError("`input_shape` must be a tuple of three integers.")
        channels = input_shape[0] if channels_first else input_shape[-1]
        spatial = input_shape[1:] if channels_first else input_shape[:2]
        if channels != 3 and weights == "imagenet":
            raise ValueError(f"The input must have 3 channels; Received "
                             f"`input_shape={input_shape}`")
        if any(s is not None and s < min_size for s in spatial):
            raise ValueError(f"Input size must be at least {min_size}x{min_size}; "
                             f"Received: input_shape={input_shape}")
    else:
        input_shape = default_shape if require_flatten else (
            (3, None, None) if channels_first else (None, None, 3))
    if require_flatten and None in input_shape:
        raise ValueError("If `include_top` is True, you should specify a static "
                         f"`input_shape`. Received: input_shape={input_shape}")
    return tuple(input_shape)


def validate_activation(classifier_activation, weights):
    """Refuse a classifier activation other than None or softmax with
    pretrained weights.

    Raises:
        ValueError: another activation with `weights` set.
    """
    if weights is None:
        return
    if activations.get(classifier_activation) not in {activations.get("softmax"),
                                                      activations.get(None)}:
        raise ValueError("Only `None` and `softmax` activations are allowed for the "
                         "`classifier_activation` argument when using pretrained weights, "
                         f"with `include_top=True`; Received: "
                         f"classifier_activation={classifier_activation}")
