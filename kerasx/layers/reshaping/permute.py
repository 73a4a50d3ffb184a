"""Permute: reorder the non-batch axes."""
from kerasx.backend import get_ops
from kerasx.layers.input_spec import InputSpec
from kerasx.layers.layer import Layer


class Permute(Layer):
    """Permute the non-batch axes, as keras.layers.Permute.

    Args:
        dims: a permutation of 1..n (the batch axis 0 stays in place); e.g.
            (2, 1) swaps the two axes of a rank-3 input.

    Raises:
        ValueError: if `dims` is not a permutation of 1..len(dims).
    """

    def __init__(self, dims, **kwargs):
        super().__init__(**kwargs)
        try:
            dims = tuple(dims)
        except TypeError:
            raise ValueError("`dims` must be a tuple of ints. Received: "
                             f"dims={dims!r}.") from None
        if sorted(dims) != list(range(1, len(dims) + 1)):
            raise ValueError(
                "Invalid permutation argument `dims` for Permute: it must contain "
                f"each of 1..{len(dims)} once (the batch axis 0 is not permuted). "
                f"Received: dims={dims}.")
        self.dims = tuple(int(d) for d in dims)
        self.input_spec = InputSpec(ndim=len(self.dims) + 1)
        self.built = True

    def call(self, inputs):
        return get_ops().transpose(inputs, (0,) + self.dims)

    def compute_output_shape(self, input_shape):
        input_shape = tuple(input_shape)
        if len(input_shape) != len(self.dims) + 1:
            raise ValueError(f"Layer {self.name!r} with dims={self.dims} expects inputs "
                             f"of rank {len(self.dims) + 1}, but received input shape "
                             f"{input_shape}.")
        return (input_shape[0],) + tuple(input_shape[d] for d in self.dims)

    def get_config(self):
        return {**super().get_config(), "dims": self.dims}
