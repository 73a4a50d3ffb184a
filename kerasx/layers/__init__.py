"""Layers, as keras.layers. Each family lives in its own subpackage
(core, convolutional, pooling, reshaping, normalization, activations, merging,
regularization, preprocessing, rnn, attention) and lists its classes in `__all__`."""
from kerasx.layers import (activations, attention, convolutional, core, merging,
                           normalization, pooling, preprocessing, regularization,
                           reshaping, rnn)
from kerasx.layers.core import Input
from kerasx.layers.input_spec import InputSpec
from kerasx.layers.layer import Layer
from kerasx.saving.registry import make_getter

_FAMILIES = (core, convolutional, pooling, reshaping, normalization, activations,
             merging, regularization, preprocessing, rnn, attention)
# Every exported name; Keras's alias names (MaxPool2D, Convolution2D, ...) are
# second names of the same class, so the class list is deduplicated.
_NAMES = {name: getattr(family, name) for family in _FAMILIES for name in family.__all__}
_CLASSES = list(dict.fromkeys(_NAMES.values()))
globals().update(_NAMES)
GroupQueryAttention = attention.GroupQueryAttention  # Keras's exported name

get, serialize, deserialize = make_getter("layer", Layer, _CLASSES, module="keras.layers")

# Functional forms of the merging layers, as keras.layers.add(...).
from kerasx.layers.merging.add import add  # noqa: E402
from kerasx.layers.merging.average import average  # noqa: E402
from kerasx.layers.merging.concatenate import concatenate  # noqa: E402
from kerasx.layers.merging.dot import dot  # noqa: E402
from kerasx.layers.merging.maximum import maximum  # noqa: E402
from kerasx.layers.merging.minimum import minimum  # noqa: E402
from kerasx.layers.merging.multiply import multiply  # noqa: E402
from kerasx.layers.merging.subtract import subtract  # noqa: E402

__all__ = ["GroupQueryAttention", "Input", "InputSpec", "Layer", "serialize", "deserialize",
           "add", "average", "concatenate", "dot", "maximum", "minimum", "multiply",
           "subtract"] + list(_NAMES)
