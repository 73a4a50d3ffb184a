"""Model: a Layer with training, evaluation and prediction (keras.Model)."""
from kerasx import tree
from kerasx.engine.keras_tensor import KerasTensor
from kerasx.layers.layer import Layer
from kerasx.trainers.trainer import Trainer


def _is_functional_call(args, kwargs):
    if "inputs" in kwargs and "outputs" in kwargs:
        return True
    if len(args) == 1 and "outputs" in kwargs:
        args = (args[0], kwargs["outputs"])
    if len(args) >= 2:
        flat = tree.flatten(args[:2])
        return bool(flat) and all(isinstance(t, KerasTensor) for t in flat)
    return False


_FUNCTIONAL_SUBCLASSES = {}


def functional_subclass(cls):
    """The functional form of a Model subclass `cls`: a class deriving from
    `cls` and Functional, so that `CustomModel(inputs, outputs)` is a
    functional model that keeps CustomModel's methods (train_step, ...), as
    in Keras 3. One class per subclass (isinstance and saving see `cls`)."""
    from kerasx.models.functional import Functional
    if issubclass(cls, Functional):
        return cls
    if cls is Model:
        return Functional
    if cls not in _FUNCTIONAL_SUBCLASSES:
        _FUNCTIONAL_SUBCLASSES[cls] = type(cls.__name__, (cls, Functional),
                                           {"__module__": cls.__module__,
                                            "__qualname__": cls.__qualname__,
                                            "_functional_of": cls})
    return _FUNCTIONAL_SUBCLASSES[cls]


class Model(Trainer, Layer):
    """A trainable graph of layers.

    `Model(inputs, outputs)` builds a functional model; subclassing Model and
    defining `call(inputs, training=None)` builds a subclassed one.
    """

    def __new__(cls, *args, **kwargs):
        if _is_functional_call(args, kwargs):
            cls = functional_subclass(cls)
        return Layer.__new__(cls)

    def __init__(self, *args, **kwargs):
        trainable = kwargs.pop("trainable", True)
        name = kwargs.pop("name", None)
        dtype = kwargs.pop("dtype", None)
        Layer.__init__(self, trainable=trainable, name=name, dtype=dtype, **kwargs)
        Trainer.__init__(self)

    def summary(self, line_length=None, positions=None, print_fn=None, **kwargs):
        """Print a table of the layers, output shapes and parameter counts."""
        from kerasx.utils.summary_utils import print_summary
        print_summary(self, line_length=line_length, print_fn=print_fn)

    def get_layer(self, name=None, index=None):
        """The layer called `name`, or at position `index`.

        Raises:
            ValueError: if there is no such layer.
        """
        if index is not None:
            if not 0 <= index < len(self.layers) and not -len(self.layers) <= index < 0:
                raise ValueError(f"Model {self.name!r} has {len(self.layers)} layers; "
                                 f"no layer at index {index}.")
            return self.layers[index]
        for layer in self.layers:
            if layer.name == name:
                return layer
        raise ValueError(f"No such layer: {name!r}. Existing layers are: "
                         f"{[layer.name for layer in self.layers]}.")

    def quantize(self, mode=None, config=None, filters=None, **kwargs):
        """Quantize the weights of every layer that supports it (Dense,
        EinsumDense, Embedding), as Keras's `Model.quantize`; layers without
        quantization are skipped with a warning.

        Args:
            mode: "int8", "int4", "float8" (or "gptq"/"awq" where
                registered); optional when `config` is given.
            config: a `kerasx.quantizers.QuantizationConfig`.
            filters: a regex (searched in layer names), a list of regexes, or
                a callable taking a layer: only the layers selected are
                quantized.

        Raises:
            ValueError: an unbuilt model, an unknown mode or keyword, bad
                filters, a missing or contradictory config.
        """
        from kerasx.layers.quantization.model_api import quantize_model
        quantize_model(self, mode, config=config, filters=filters, **kwargs)

    def get_quantization_layer_structure(self, mode=None):
        """The model's topology for structure-aware modes (GPTQ, AWQ):
        {"pre_block_layers": [...], "sequential_blocks": [...]}, or None
        (the default; models override it)."""
        del mode
        return None

    @classmethod
    def from_config(cls, config, custom_objects=None):
        """A model from its config. A functional config (layers, input and
        output layers) makes a functional model of `cls`, as Keras 3 does for
        a Model subclass saved after `CustomModel(inputs, outputs)`; any other
        config goes to the constructor."""
        if isinstance(config, dict) and {"layers", "input_layers",
                                         "output_layers"} <= set(config):
            from kerasx.models.functional import functional_from_config
            return functional_from_config(functional_subclass(cls), config, custom_objects)
        return super().from_config(config)

    def to_json(self, **kwargs):
        """The architecture as a Keras 3 JSON string (see
        kerasx.models.model_from_json); `kwargs` go to json.dumps."""
        from kerasx.models.json_io import model_to_json
        return model_to_json(self, **kwargs)

    # -- saving (kerasx/saving) ------------------------------------------------------
    def save(self, filepath, overwrite=True, zipped=True, **kwargs):
        """Save the model (config, weights, compile state and optimizer state)
        as a Keras 3 `.keras` file, atomically."""
        from kerasx.saving import saving_api
        saving_api.save_model(self, filepath, overwrite=overwrite, zipped=zipped, **kwargs)

    def save_weights(self, filepath, overwrite=True, **kwargs):
        """Save the weights (and optimizer state) as a Keras 3 `.weights.h5`
        file, atomically."""
        from kerasx.saving import saving_api
        saving_api.save_weights(self, filepath, overwrite=overwrite)

    def load_weights(self, filepath, skip_mismatch=False, **kwargs):
        """Load weights from a `.weights.h5` or `.keras` file (kerasx or Keras 3).

        Raises:
            kerasx.saving.LoadingError: for a malformed file or one that does
                not fit the model (the model is then left unchanged).
        """
        from kerasx.saving import saving_api
        saving_api.load_weights(self, filepath, skip_mismatch=skip_mismatch, **kwargs)

    def get_compile_config(self):
        """The compile() arguments as a Keras 3 compile config (None if not compiled)."""
        from kerasx.saving import saving_api
        return saving_api.get_compile_config(self)

    def compile_from_config(self, config):
        """Compile the model from `get_compile_config()` output."""
        from kerasx.saving import saving_api
        saving_api.compile_from_config(self, config)

    def build(self, input_shape):
        """Build a subclassed model by calling it once on zeros of `input_shape`."""
        if not self.built:
            from kerasx.backend import get_ops
            ops = get_ops()
            shapes = tree.map_shape_structure(
                lambda s: tuple(1 if d is None else d for d in s), input_shape)
            zeros = tree.map_shape_structure(lambda s: ops.zeros(s, self.dtype), shapes)
            self.built = True
            self(zeros)
