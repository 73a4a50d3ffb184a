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
        self.output = KerasTensor(self.batch_shape, self._dtype, name=self.name,
                                  history=(self, 0, 0))
        Node(self, outputs=self.output)

    def call(self, inputs):
        return inputs

    def get_config(self):
        return {"batch_shape": list(self.batch_shape), "dtype": self.dtype,
                "sparse": False, "name": self.name}


def Input(shape=None, batch_size=None, dtype=None, sparse=None, batch_shape=None,
          name=None, tensor=None):
    """A symbolic input of a functional model, as keras.Input.

    Args:
        shape: shape without the batch axis, e.g. (28, 28, 1).
        batch_size: fixed batch size (default unknown).
        dtype: default floatx().
        batch_shape: full shape including the batch axis (instead of shape).
        name: the input's name (a key for dict inputs).
    """
    return InputLayer(shape=shape, batch_size=batch_size, dtype=dtype, sparse=sparse,
                      batch_shape=batch_shape, name=name).output
