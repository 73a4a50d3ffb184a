"""Rescaling: y = x * scale + offset."""
import numpy as np

from kerasx import config
from kerasx.backend import get_ops
from kerasx.layers.layer import Layer


def _serialize_value(value):
    """Floats stay floats; arrays become Keras's {"class_name": "__numpy__"}."""
    if isinstance(value, (list, tuple)):
        value = np.asarray(value)
    if isinstance(value, np.ndarray):
        if value.ndim == 0:
            return value.item()
        return {"class_name": "__numpy__",
                "config": {"value": value.tolist(), "dtype": value.dtype.name}}
    if isinstance(value, np.generic):
        return value.item()
    return value


def _deserialize_value(value):
    if isinstance(value, dict):
        if value.get("class_name") not in ("__numpy__", "__tensor__"):
            raise ValueError(f"Rescaling cannot deserialize {value!r}: expected a number "
                             "or a {'class_name': '__numpy__'} array config.")
        inner = value["config"]
        return np.asarray(inner["value"], dtype=inner.get("dtype"))
    return value


class Rescaling(Layer):
    """Multiplies its input by `scale` and adds `offset`, as
    keras.layers.Rescaling (e.g. scale=1/255 maps [0, 255] to [0, 1]).

    Args:
        scale, offset: floats, or arrays broadcastable to the input (per
            channel); with image_data_format "channels_first" a per-channel
            scale is reshaped to (C, 1, 1), as Keras.

    Raises:
        ValueError: when scale or offset is not numeric.
    """

    def __init__(self, scale, offset=0.0, **kwargs):
        super().__init__(**kwargs)
        for arg, value in (("scale", scale), ("offset", offset)):
            try:
                np.asarray(value, dtype="float64")
            except (TypeError, ValueError):
                raise ValueError(f"Rescaling `{arg}` must be a number or an array of "
                                 f"numbers. Received: {arg}={value!r}") from None
        self.scale = scale
        self.offset = offset
        self.supports_masking = True
        self.built = True

    def call(self, inputs):
        ops = get_ops()
        dtype = self.dtype
        if ops.dtype(inputs) != dtype:
            inputs = ops.cast(inputs, dtype)
        scale = np.asarray(self.scale, dtype=dtype)
        offset = np.asarray(self.offset, dtype=dtype)
        if scale.ndim > 0 and config.image_data_format() == "channels_first":
            scale = scale.reshape(scale.shape + (1,) * (3 - scale.ndim))
        scale = float(scale) if scale.ndim == 0 else ops.convert_to_tensor(scale)
        offset = float(offset) if offset.ndim == 0 else ops.convert_to_tensor(offset)
        return ops.add(ops.multiply(inputs, scale), offset)

    def compute_output_shape(self, input_shape):
        return input_shape

    def get_config(self):
        return {**super().get_config(), "scale": _serialize_value(self.scale),
                "offset": _serialize_value(self.offset)}

    @classmethod
    def from_config(cls, config):
        config = dict(config)
        for key in ("scale", "offset"):
            if key in config:
                config[key] = _deserialize_value(config[key])
        return super().from_config(config)
