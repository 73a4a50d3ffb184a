"""Pipeline: a sequence of preprocessing layers as one layer, as keras.layers.Pipeline."""
from kerasx import tree
from kerasx.layers.layer import Layer
from kerasx.layers.preprocessing.base_image_layer import _framework_graph_tensor


class Pipeline(Layer):
    """Apply `layers` in turn. Unlike a Sequential model it is a plain layer,
    and inside a tf.data map it hands the TensorFlow tensors to each layer
    as they are (each image layer runs there on any backend).

    Args:
        layers: the layers, in order.
        name: the layer's name.
    """

    def __init__(self, layers, name=None, **kwargs):
        super().__init__(name=name, **kwargs)
        self._pipeline_layers = list(layers)
        self._layers.extend(self._pipeline_layers)  # their weights are this layer's
        self.built = True

    @property
    def layers(self):
        """The layers of the pipeline, in order."""
        return list(self._pipeline_layers)

    def __call__(self, inputs, *args, **kwargs):
        if any(_framework_graph_tensor(x) for x in tree.flatten(inputs)):
            return self.call(inputs, *args, **kwargs)
        return super().__call__(inputs, *args, **kwargs)

    def call(self, inputs, training=True):
        outputs = inputs
        for layer in self._pipeline_layers:
            kwargs = {} if training is None or not layer._call_has_training else \
                {"training": training}
            outputs = layer(outputs, **kwargs)
        return outputs

    def compute_output_shape(self, input_shape):
        for layer in self._pipeline_layers:
            input_shape = layer.compute_output_shape(input_shape)
        return input_shape

    def get_config(self):
        from kerasx.layers import serialize

        return {"layers": [serialize(layer) for layer in self._pipeline_layers],
                "name": self.name}

    @classmethod
    def from_config(cls, config, custom_objects=None):
        from kerasx.layers import deserialize

        layers = config.get("layers")
        if not isinstance(layers, (list, tuple)):
            raise ValueError("`Pipeline` config must contain a `layers` key mapping to a list "
                             f"of serialized layers. Received config with layers={layers}.")
        config = dict(config)
        config["layers"] = [deserialize(layer, custom_objects=custom_objects)
                            for layer in layers]
        return cls(**config)
