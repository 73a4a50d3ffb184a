"""TorchModuleWrapper: a framework module (torch.nn.Module) used as a layer,
as keras.layers.TorchModuleWrapper."""
from kerasx.backend import get_ops
from kerasx.layers.layer import Layer
from kerasx.variables import Variable


class TorchModuleWrapper(Layer):
    """Wrap a framework module (a `torch.nn.Module` on the PyTorch backend)
    as a layer: calling the layer calls the module, and the module's
    parameters become the layer's weights (the same tensors, so `fit`, a
    kerasx optimizer or the framework's own optimizer all train them in
    place).

    Args:
        module: the module to wrap.
        name: the layer's name.
        output_shape: optional output shape without the batch axis (by
            default the module is run once on zeros to find it).

    Raises:
        TypeError: when the selected backend cannot wrap `module` (e.g. a
            torch module under the TensorFlow backend, or an object that is
            not a module).
    """

    def __init__(self, module, name=None, output_shape=None, **kwargs):
        super().__init__(name=name, **kwargs)
        ops = get_ops()
        found = ops.module_variables(module)
        if found is None:
            raise TypeError(
                f"TorchModuleWrapper cannot wrap {type(module).__module__}."
                f"{type(module).__name__} under the '{ops.name}' backend: it takes a "
                "torch.nn.Module and needs the torch backend (set "
                "KERASX_BACKEND=torch).")
        # Set directly: Layer.__setattr__ would wrap the module again.
        object.__setattr__(self, "module", module)
        # The module shows its own parameters when the layer is a framework
        # module itself (e.g. torch's state_dict keys module.weight).
        self._native_modules = {"module": module}
        self._output_shape = None if output_shape is None else tuple(output_shape)
        for weight_name, native, trainable in found:
            variable = Variable.from_native(native, name=weight_name, trainable=trainable)
            variable.path = f"{self.path}/{weight_name}"
            (self._trainable_variables if trainable else
             self._non_trainable_variables).append(variable)
        self.built = True

    def call(self, *args, **kwargs):
        return self.module(*args, **kwargs)

    def compute_output_shape(self, input_shape):
        if self._output_shape is not None:
            return (input_shape[0],) + self._output_shape
        return super().compute_output_shape(input_shape)

    def get_config(self):
        """Not serializable: the wrapped module is framework code.

        Raises:
            NotImplementedError: always; save the weights with
                `save_weights` and rebuild the wrapper in code instead.
        """
        raise NotImplementedError(
            f"TorchModuleWrapper {self.name!r} cannot be serialized by kerasx: the "
            "wrapped torch module is code. Save the weights with save_weights() and "
            "rebuild the model (with the wrapper) in code to load them.")
