"""Wrapper: the base class of layers that wrap another layer."""
from kerasx.layers.layer import Layer


class Wrapper(Layer):
    """Base class of layers that take another layer and augment it, as
    keras.layers.Wrapper (SpectralNormalization is one). Not meant to be
    used on its own: a subclass defines `call`.

    Building a wrapper builds the wrapped layer with the same input shape;
    the config holds the wrapped layer's serialized config under "layer".

    Args:
        layer: the layer to wrap.

    Raises:
        ValueError: if `layer` is not a layer.
    """

    def __init__(self, layer, **kwargs):
        if not isinstance(layer, Layer):
            raise ValueError(f"Layer {layer!r} supplied to Wrapper isn't a supported "
                             "layer type. Please ensure the wrapped layer is a valid "
                             "Keras layer.")
        super().__init__(**kwargs)
        self.layer = layer

    def build(self, input_shape=None):
        self.layer._maybe_build(input_shape)
        self.built = True

    def get_config(self):
        from kerasx.layers import serialize

        return {**super().get_config(), "layer": serialize(self.layer)}

    @classmethod
    def from_config(cls, config, custom_objects=None):
        """A new wrapper from get_config's output (the wrapped layer's config
        deserialized with `custom_objects`)."""
        from kerasx.layers import deserialize

        config = dict(config)
        config["layer"] = deserialize(config["layer"], custom_objects=custom_objects)
        return super(Wrapper, cls).from_config.__func__(cls, config)
