"""Sequential: a plain stack of layers (keras.Sequential)."""
from kerasx.engine.keras_tensor import KerasTensor
from kerasx.layers.core.input_layer import InputLayer
from kerasx.layers.layer import Layer
from kerasx.models.model import Model


class Sequential(Model):
    """A linear stack of layers, each with one input and one output.

    The model is built (its weights created) as soon as the input shape is
    known: from an `Input`/`InputLayer` first, an `input_shape` argument of the
    first layer, or the first call on data (deferred build).
    """

    _keras_module = "keras"  # as Keras 3 writes it in configs

    def __init__(self, layers=None, trainable=True, name=None):
        super().__init__(trainable=trainable, name=name)
        self._input_layer = None
        self._graph = None
        for layer in layers or []:
            self.add(layer, rebuild=False)
        self._maybe_rebuild()

    def add(self, layer, rebuild=True):
        """Append a layer (or an Input tensor, which sets the input shape).

        Raises:
            ValueError: for something that is not a layer, or a second input.
        """
        if isinstance(layer, KerasTensor) and isinstance(layer.history[0], InputLayer):
            layer = layer.history[0]
        if not isinstance(layer, Layer):
            raise ValueError("Only instances of kerasx.layers.Layer can be added to a "
                             f"Sequential model. Received: {layer!r}")
        if isinstance(layer, InputLayer):
            if self._input_layer is not None or self._layers:
                raise ValueError("An InputLayer can only be the first layer of a "
                                 "Sequential model.")
            self._input_layer = layer
        else:
            if any(layer is known for known in self._layers):
                raise ValueError(f"Layer {layer.name!r} is already in the model.")
            self._layers.append(layer)
        self.built = False
        self._graph = None
        if rebuild:
            self._maybe_rebuild()

    def pop(self, rebuild=True):
        """Remove the last layer.

        Raises:
            IndexError: if the model has no layers.
        """
        if not self._layers:
            raise IndexError("There are no layers in the model to pop.")
        layer = self._layers.pop()
        self.built = False
        self._graph = None
        if rebuild:
            self._maybe_rebuild()
        return layer

    @property
    def _batch_shape(self):
        if self._input_layer is not None:
            return self._input_layer.batch_shape
        if self._layers and self._layers[0]._batch_input_shape is not None:
            return self._layers[0]._batch_input_shape
        return None

    def _maybe_rebuild(self):
        if self._batch_shape is not None and self._layers:
            self.build(self._batch_shape)

    def build(self, input_shape=None):
        """Create every layer's weights for inputs of `input_shape`.

        Raises:
            ValueError: when no input shape is known.
        """
        from kerasx.layers.core.input_layer import Input
        from kerasx.models.functional import Functional

        input_shape = tuple(input_shape or self._batch_shape or ())
        if not input_shape:
            raise ValueError("Sequential.build needs an input shape: give the first "
                             "layer an input_shape or add a keras.Input.")
        input_shape = (None,) + tuple(input_shape[1:])
        if self._input_layer is None:
            dtype = self._layers[0]._dtype if self._layers else None
            inputs = Input(batch_shape=input_shape, dtype=dtype)
            self._input_layer = inputs.history[0]
        inputs = self._input_layer.output
        x = inputs
        for layer in self._layers:
            x = layer(x)
        self._graph = Functional(inputs, x, name=self.name + "_graph")
        self.built = True

    def call(self, inputs, training=None):
        if self._graph is None:
            from kerasx.backend import get_ops
            self.build(tuple(get_ops().shape(inputs)))
        return self._graph.call(inputs, training=training)

    @property
    def layers(self):
        return list(self._layers)

    def _graph_tensors(self, which):
        if self._graph is None:
            raise AttributeError(f"Sequential model '{self.name}' has no defined {which} "
                                 "yet: give it a keras.Input or call it on data first.")
        return getattr(self._graph, which)

    @property
    def inputs(self):
        """The Input() tensors of the built model's graph.

        Raises:
            AttributeError: before the input shape is known (as Keras 3).
        """
        return self._graph_tensors("inputs")

    @property
    def outputs(self):
        """The output tensors of the built model's graph.

        Raises:
            AttributeError: before the input shape is known (as Keras 3).
        """
        return self._graph_tensors("outputs")

    @property
    def input(self):
        """The graph's input tensor once built (Keras 2 programs use
        `model.input`; Keras 3 raises here, kerasx answers), else the first
        symbolic call's input."""
        if self._graph is not None and not self._inbound_nodes:
            return self._graph.input
        return super().input

    @property
    def output(self):
        """The graph's output tensor once built, else the first symbolic
        call's output (see `input`)."""
        if self._graph is not None and not self._inbound_nodes:
            return self._graph.output
        return super().output

    @property
    def input_shape(self):
        return self._graph.input_shape if self._graph else self._batch_shape

    @property
    def output_shape(self):
        if self._graph is None:
            raise AttributeError(f"Sequential model {self.name!r} is not built yet, so its "
                                 "output shape is unknown.")
        return self._graph.output_shape

    def compute_output_shape(self, input_shape):
        shape = input_shape
        for layer in self._layers:
            shape = layer.compute_output_shape(shape)
        return shape

    def compute_output_spec(self, *args, **kwargs):
        if self._graph is None:
            self.build(args[0].shape)
        return self._graph.compute_output_spec(*args, **kwargs)

    def get_config(self):
        from kerasx.layers import serialize
        layers = []
        if self._input_layer is not None:
            layers.append(serialize(self._input_layer))
        layers += [serialize(layer) for layer in self._layers]
        return {"name": self.name, "trainable": self.trainable, "layers": layers}

    @classmethod
    def from_config(cls, config, custom_objects=None):
        from kerasx.layers import deserialize
        model = cls(name=config.get("name"), trainable=config.get("trainable", True))
        for layer_config in config["layers"]:
            model.add(deserialize(layer_config, custom_objects), rebuild=False)
        model._maybe_rebuild()
        return model
