"""RepeatVector: repeat a (batch, features) input n times."""
from kerasx.backend import get_ops
from kerasx.layers.input_spec import InputSpec
from kerasx.layers.layer import Layer


class RepeatVector(Layer):
    """(batch, features) -> (batch, n, features), as keras.layers.RepeatVector.

    Args:
        n: number of repetitions (positive int).

    Raises:
        TypeError: if `n` is not an int.
        ValueError: if `n` is not positive.
    """

    def __init__(self, n, **kwargs):
        super().__init__(**kwargs)
        if isinstance(n, bool) or not isinstance(n, int):
            raise TypeError(f"Expected an integer value for `n`, got {type(n).__name__} "
                            f"({n!r}).")
        if n <= 0:
            raise ValueError(f"Argument `n` should be a positive integer. Received: n={n}")
        self.n = n
        self.input_spec = InputSpec(ndim=2)
        self.built = True

    def call(self, inputs):
        ops = get_ops()
        batch, features = ops.shape(inputs)
        return ops.broadcast_to(ops.expand_dims(inputs, 1), (batch, self.n, features))

    def compute_output_shape(self, input_shape):
        input_shape = tuple(input_shape)
        if len(input_shape) != 2:
            raise ValueError(f"Layer {self.name!r} expects inputs of rank 2 (batch, "
                             f"features), but received input shape {input_shape}.")
        return (input_shape[0], self.n, input_shape[1])

    def get_config(self):
        return {**super().get_config(), "n": self.n}
