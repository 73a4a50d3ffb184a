"""CategoryEncoding: integer features as one-hot, multi-hot or count vectors."""
import numpy as np

from kerasx.backend import get_ops
from kerasx.layers.layer import Layer
from kerasx.layers.preprocessing.encoding import encode_tensor, encoded_shape


class CategoryEncoding(Layer):
    """Encode integer features in [0, num_tokens), as keras.layers.CategoryEncoding.

    Args:
        num_tokens: the number of categories (the output's last dimension).
        output_mode: "multi_hot" (default; "binary" is an alias), "one_hot"
            or "count".
        sparse: must be False (kerasx has no sparse tensors).

    Call arguments:
        inputs: integer tensor of rank 0, 1 or 2 (rank-1 input is one sample
            for "multi_hot" and "count").
        count_weights: weights of each input for "count" (same shape).

    Values outside [0, num_tokens) raise ValueError when given as NumPy
    data or lists; in tensors they get no bin (TensorFlow's one_hot rule).
    """

    def __init__(self, num_tokens=None, output_mode="multi_hot", sparse=False, **kwargs):
        super().__init__(**kwargs)
        if output_mode == "binary":
            output_mode = "multi_hot"
        if output_mode not in ("count", "one_hot", "multi_hot"):
            raise ValueError(f"Unknown arg for output_mode: {output_mode}")
        if num_tokens is None:
            raise ValueError("num_tokens must be set to use this layer. If the number of "
                             "tokens is not known beforehand, use the IntegerLookup layer "
                             "instead.")
        if num_tokens < 1:
            raise ValueError(f"`num_tokens` must be >= 1. Received: num_tokens={num_tokens}.")
        if sparse:
            raise ValueError("CategoryEncoding(sparse=True) is not supported by kerasx: it "
                             "has no sparse tensors. Use sparse=False.")
        self.num_tokens = num_tokens
        self.output_mode = output_mode
        self.sparse = sparse

    def _convert_inputs(self, inputs):
        # Integer ids stay integers (the base class would make floats of them).
        ops = get_ops()
        if ops.is_tensor(inputs):
            return inputs
        values = np.asarray(inputs)
        # Host data is checked here (tensors may be symbolic inside a compiled
        # step, where a value outside the range gets no bin).
        if values.size and (values.min() < 0 or values.max() >= self.num_tokens):
            raise ValueError(f"CategoryEncoding expects values in [0, {self.num_tokens}) "
                             f"(num_tokens={self.num_tokens}); received values from "
                             f"{values.min()} to {values.max()}.")
        return ops.convert_to_tensor(values)

    def call(self, inputs, count_weights=None):
        if count_weights is not None and self.output_mode != "count":
            raise ValueError("`count_weights` is not used when `output_mode` is not "
                             f"`'count'`. Received `count_weights={count_weights}`.")
        ops = get_ops()
        if count_weights is not None and not ops.is_tensor(count_weights):
            count_weights = ops.convert_to_tensor(count_weights, dtype=self.dtype)
        indices = inputs
        if not ops.dtype(indices).startswith(("int", "uint")):
            indices = ops.cast(indices, "int32")
        return encode_tensor(indices, self.output_mode, self.num_tokens, self.dtype,
                             count_weights)

    def compute_output_shape(self, input_shape):
        return encoded_shape(input_shape, self.output_mode, self.num_tokens)

    def get_config(self):
        return {**super().get_config(), "num_tokens": self.num_tokens,
                "output_mode": self.output_mode}
