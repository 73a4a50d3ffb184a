"""Discretization: bucket continuous features by boundaries, given or
learned by `adapt` (Keras's approximate quantiles)."""
import numpy as np

from kerasx.backend import get_ops
from kerasx.layers.layer import Layer
from kerasx.layers.preprocessing.encoding import encode_tensor

OUTPUT_MODES = ("int", "one_hot", "multi_hot", "count")


# -- adapt: Keras's quantile summary (weighted sample points, compressed) ----------
def _summarize(values, epsilon):
    """Every step-th sorted value with weight step, step = n * epsilon (>= 1)."""
    values = np.sort(np.reshape(values, [-1]))
    step = max(values.size * epsilon, 1)
    points = values[int(step - 1)::int(step)]
    return np.stack([points, np.ones_like(points) * step])


def _compress(summary, epsilon):
    """At most 1/epsilon points: the values at the cumulative-weight
    percentiles epsilon, 2 epsilon, ..., 1 (linear interpolation)."""
    if summary.shape[1] * epsilon < 1:
        return summary
    percents = epsilon + np.arange(0.0, 1.0, epsilon)
    cumulative = summary[1].cumsum()
    fractions = cumulative / cumulative[-1]
    points = np.interp(percents, fractions, summary[0])
    cumulative = np.interp(percents, fractions, cumulative)
    weights = cumulative - np.concatenate((np.array([0]), cumulative[:-1]))
    return np.stack((points, weights)).astype("float32")


def _merge(first, second, epsilon):
    merged = np.concatenate((first, second), axis=1)
    merged = np.take(merged, np.argsort(merged[0]), axis=1)
    return _compress(merged, epsilon)


class Discretization(Layer):
    """Bucket values by boundaries, as keras.layers.Discretization: with
    boundaries [0., 1., 2.], x < 0 -> 0, 0 <= x < 1 -> 1, 1 <= x < 2 -> 2,
    x >= 2 -> 3.

    Args:
        bin_boundaries: sorted list of boundaries (or None, then `num_bins`
            and `adapt`).
        num_bins: the number of bins `adapt` computes boundaries for.
        epsilon: the error tolerance of adapt's quantile summary (Keras's
            algorithm, so the same data gives Keras's boundaries).
        output_mode: "int" (bin indices, int32), "one_hot", "multi_hot" or
            "count" (floats of the layer's dtype).
        sparse: must be False (kerasx has no sparse tensors).
    """

    def __init__(self, bin_boundaries=None, num_bins=None, epsilon=0.01, output_mode="int",
                 sparse=False, dtype=None, name=None, **kwargs):
        super().__init__(name=name, dtype=dtype, **kwargs)
        if sparse:
            raise ValueError("Discretization(sparse=True) is not supported by kerasx: it "
                             "has no sparse tensors. Use sparse=False.")
        if output_mode not in OUTPUT_MODES:
            raise ValueError(f"Invalid value for argument `output_mode`. Expected one of "
                             f"{OUTPUT_MODES}. Received: output_mode={output_mode}")
        if num_bins is not None and num_bins < 0:
            raise ValueError("`num_bins` must be greater than or equal to 0. "
                             f"Received: `num_bins={num_bins}`")
        if num_bins is not None and bin_boundaries is not None:
            raise ValueError("Both `num_bins` and `bin_boundaries` should not be set. "
                             f"Received: `num_bins={num_bins}` and "
                             f"`bin_boundaries={bin_boundaries}`")
        if num_bins is None and bin_boundaries is None:
            raise ValueError("You need to set either `num_bins` or `bin_boundaries`.")
        self.bin_boundaries = list(bin_boundaries) if bin_boundaries is not None else None
        self.num_bins = num_bins
        self.epsilon = epsilon
        self.output_mode = output_mode
        self.sparse = sparse
        self.summary = None if self.bin_boundaries else np.array([[], []], "float32")

    @property
    def output_dtype(self):
        """int32 for "int", else the layer's float dtype (as Keras)."""
        return "int32" if self.output_mode == "int" else self.dtype

    def _convert_inputs(self, inputs):
        ops = get_ops()
        return inputs if ops.is_tensor(inputs) else ops.convert_to_tensor(
            np.asarray(inputs, dtype=self.dtype))

    # -- adapt ----------------------------------------------------------------
    def adapt(self, data, steps=None):
        """Learn `num_bins` - 1 boundaries from `data` (an array, tensor, or
        iterable of batches; at most `steps` batches)."""
        if self.num_bins is None:
            raise ValueError("Cannot adapt a Discretization layer that has been "
                             "initialized with `bin_boundaries`, use `num_bins` instead.")
        self.reset_state()
        ops = get_ops()
        if isinstance(data, np.ndarray) or ops.is_tensor(data) or not hasattr(
                data, "__iter__") or hasattr(data, "numpy"):
            self.update_state(data)
        else:
            for i, batch in enumerate(data):
                if steps is not None and i >= steps:
                    break
                self.update_state(batch)
        self.finalize_state()

    def update_state(self, data):
        """Merge one batch into the quantile summary."""
        ops = get_ops()
        if ops.is_tensor(data):
            data = ops.to_numpy(data)
        elif hasattr(data, "numpy") and not isinstance(data, np.ndarray):
            data = data.numpy()
        data = np.array(data).astype("float32")
        self.summary = _merge(_summarize(data, self.epsilon), self.summary, self.epsilon)

    def finalize_state(self):
        """Set `bin_boundaries` from the summary."""
        if self.num_bins is None:
            return
        self.bin_boundaries = _compress(self.summary, 1.0 / self.num_bins)[0, :-1].tolist()

    def reset_state(self):
        """Forget the data seen by `update_state`."""
        if self.num_bins is not None:
            self.summary = np.array([[], []], dtype="float32")

    # -- call -----------------------------------------------------------------
    def call(self, inputs):
        if self.bin_boundaries is None:
            raise ValueError("You need to either pass the `bin_boundaries` argument at "
                             "construction time or call `adapt(dataset)` before you can "
                             "start using the `Discretization` layer.")
        ops = get_ops()
        if not ops.dtype(inputs).startswith("float"):
            inputs = ops.cast(inputs, self.dtype)
        if self.bin_boundaries:
            bounds = ops.convert_to_tensor(np.asarray(self.bin_boundaries,
                                                      dtype=ops.dtype(inputs)))
            # The bin index is how many boundaries are <= x (np.digitize).
            above = ops.greater_equal(ops.expand_dims(inputs, -1), bounds)
            indices = ops.sum(ops.cast(above, "int32"), axis=-1)
        else:
            indices = ops.cast(ops.zeros_like(inputs), "int32")
        return encode_tensor(indices, self.output_mode, len(self.bin_boundaries) + 1,
                             self.output_dtype)

    def compute_output_spec(self, inputs):
        from kerasx.engine.keras_tensor import KerasTensor
        return KerasTensor(self.compute_output_shape(inputs.shape), self.output_dtype)

    def compute_output_shape(self, input_shape):
        input_shape = tuple(input_shape)
        if self.output_mode == "int":
            return input_shape
        depth = len(self.bin_boundaries) + 1 if self.bin_boundaries is not None \
            else self.num_bins
        if self.output_mode == "one_hot":
            if input_shape and input_shape[-1] == 1 and len(input_shape) > 1:
                return input_shape[:-1] + (depth,)
            return input_shape + (depth,)
        if len(input_shape) >= 2:
            return (input_shape[0],) + input_shape[2:] + (depth,)
        return (depth,)

    def get_config(self):
        return {"bin_boundaries": self.bin_boundaries, "num_bins": self.num_bins,
                "epsilon": self.epsilon, "output_mode": self.output_mode,
                "sparse": self.sparse, "name": self.name, "dtype": self.dtype}

    @classmethod
    def from_config(cls, config, custom_objects=None):
        """A layer from `get_config`'s output (adapted boundaries kept)."""
        config = dict(config)
        if isinstance(config.get("dtype"), dict):
            config["dtype"] = config["dtype"].get("config", {}).get("name")
        boundaries = None
        if config.get("bin_boundaries") is not None and config.get("num_bins") is not None:
            boundaries = config.pop("bin_boundaries")
        layer = cls(**config)
        if boundaries is not None:
            layer.bin_boundaries = boundaries
        return layer
