"""InputLayer and Input(): the entry points of a functional model."""
from kerasx import config
from kerasx.engine.keras_tensor import KerasTensor
from kerasx.engine.node import Node
from kerasx.layers.layer import Layer


class InputLayer(Layer):
    """The layer behind `Input()`; it holds the symbolic input tensor.

    Raises:
        ValueError: when neither `shape` nor `batch_shape` is given.
    """

    def __init__(self, shape=None, batch_size=None, dtype=None, sparse=None,
                 batch_shape=None, input_tensor=None, name=None, **kwargs):
        # Keras 2 and older Keras 3 configs used these names.
        batch_shape = batch_shape or kwargs.pop("batch_input_shape", None)
        shape = shape or kwargs.pop("input_shape", None)
        if sparse or kwargs.pop("ragged", False) or kwargs.pop("optional", False):
            raise ValueError("kerasx does not support sparse, ragged or optional inputs "
                             "yet.")
        super().__init__(name=name, dtype=dtype, **kwargs)
        if batch_shape is None:
            if shape is None:
                raise ValueError("Input needs `shape` (without the batch axis) or "
                                 "`batch_shape`.")
            if isinstance(shape, int):
                shape = (shape,)
            batch_shape = (batch_size,) + tuple(shape)
        self.batch_shape = tuple(batch_shape)
        self._dtype = dtype or config.floatx()
        self.built = True
        # `self.output` (Layer.output) reads this node's tensor.
        Node(self, outputs=KerasTensor(self.batch_shape, self._dtype, name=self.name,
                                       history=(self, 0, 0)))

    def call(self, inputs):
        return inputs

    def get_config(self):
        return {"batch_shape": list(self.batch_shape), "dtype": self.dtype,
                "sparse": False, "name": self.name}


def Input(shape=None, batch_size=None, dtype=None, sparse=None, batch_shape=None,
          name=None, tensor=None, optional=False):
    """A symbolic input of a functional model, as keras.Input.

    Args:
        shape: shape without the batch axis, e.g. (28, 28, 1).
        batch_size: fixed batch size (default unknown).
        dtype: default floatx().
        sparse: must be False or None (kerasx has no sparse tensors).
        batch_shape: full shape including the batch axis (instead of shape).
        name: the input's name (a key for dict inputs).
        tensor: an existing symbolic tensor (the output of another Input())
            to use as this input; its shape and dtype are the input's.
        optional: must be False (kerasx has no optional inputs).

    Raises:
        ValueError: for sparse or optional inputs, a `tensor` that is not a
            KerasTensor, or neither shape nor batch_shape.
    """
    if tensor is not None:
        if not isinstance(tensor, KerasTensor):
            raise ValueError("Input(tensor=...) takes a symbolic tensor made by "
                             f"keras.Input(); received {type(tensor).__name__}. "
                             "Pass data to the model when calling it instead.")
        return tensor
    return InputLayer(shape=shape, batch_size=batch_size, dtype=dtype, sparse=sparse,
                      batch_shape=batch_shape, name=name, optional=optional).output
