"""HashedCrossing: the hashed cross of categorical features (tf.sparse.cross_hashed's bins)."""
import numpy as np

from kerasx.backend import get_ops
from kerasx.engine.keras_tensor import KerasTensor, is_symbolic
from kerasx.layers.layer import Layer
from kerasx.layers.preprocessing.host_layer import encode, to_host
from kerasx.layers.preprocessing.string_hash import cross_hash


class HashedCrossing(Layer):
    """Cross two or more categorical features into `num_bins` hashed bins,
    as keras.layers.HashedCrossing: the same bins as TensorFlow's
    tf.sparse.cross_hashed, computed on the host.

    Args:
        num_bins: the number of bins.
        output_mode: "int" (bins, int64) or "one_hot" (floats).
        sparse: must be False (kerasx has no sparse tensors).

    Call with a list or tuple of at least two inputs of equal shape `()`,
    `(batch,)` or `(batch, 1)`, of integers or strings.
    """

    def __init__(self, num_bins, output_mode="int", sparse=False, name=None, dtype=None,
                 **kwargs):
        if output_mode == "int" and dtype is None:
            dtype = "int64"
        super().__init__(name=name, dtype=dtype, **kwargs)
        if sparse:
            raise ValueError("HashedCrossing(sparse=True) is not supported by kerasx: it "
                             "has no sparse tensors. Use sparse=False.")
        if output_mode not in ("int", "one_hot"):
            raise ValueError("Invalid value for argument `output_mode`. Expected one of "
                             f"('int', 'one_hot'). Received: output_mode={output_mode}")
        self.num_bins = num_bins
        self.output_mode = output_mode
        self.sparse = sparse

    def __call__(self, inputs, **kwargs):
        if not isinstance(inputs, (list, tuple)):
            raise ValueError("`HashedCrossing` should be called on a list or tuple of "
                             f"inputs. Received: inputs={inputs}")
        if len(inputs) < 2:
            raise ValueError("`HashedCrossing` should be called on at least two inputs. "
                             f"Received: inputs={inputs}")
        if is_symbolic(inputs):
            return super().__call__(inputs, **kwargs)
        self.built = True
        return self.call([to_host(x, layer=self) for x in inputs])

    def call(self, inputs):
        first_shape = inputs[0].shape
        rank = len(first_shape)
        if rank > 2 or (rank == 2 and first_shape[-1] != 1):
            raise ValueError("All `HashedCrossing` inputs should have shape `()`, "
                             "`(batch_size)` or `(batch_size, 1)`. Received shapes: "
                             f"{[x.shape for x in inputs]}")
        if not all(x.shape == first_shape for x in inputs[1:]):
            raise ValueError("All `HashedCrossing` inputs should have equal shape. "
                             f"Received shapes: {[x.shape for x in inputs]}")
        if not all(x.dtype.kind in "iuUSO" for x in inputs):
            raise ValueError("All `HashedCrossing` inputs should have an integer or "
                             f"string dtype. Received dtypes: {[x.dtype for x in inputs]}")
        columns = [x.reshape(-1).tolist() for x in inputs]
        bins = np.asarray([cross_hash(row, self.num_bins) for row in zip(*columns)],
                          dtype="int64").reshape(first_shape)
        out = encode(bins, self.output_mode, self.num_bins, self.dtype)
        return get_ops().convert_to_tensor(out, dtype=self.dtype)

    def compute_output_spec(self, inputs):
        return KerasTensor(self.compute_output_shape([x.shape for x in inputs]), self.dtype)

    def compute_output_shape(self, input_shape):
        first = tuple(input_shape[0])
        if self.output_mode == "int":
            return first
        if not first:
            return (self.num_bins,)
        if first[-1] != 1:
            return first + (self.num_bins,)
        return first[:-1] + (self.num_bins,)

    def get_config(self):
        return {"num_bins": self.num_bins, "output_mode": self.output_mode,
                "sparse": self.sparse, "name": self.name, "dtype": self.dtype}
