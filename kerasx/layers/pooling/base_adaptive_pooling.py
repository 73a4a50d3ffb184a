"""BaseAdaptivePooling: pooling to a fixed output size (1-D, 2-D, 3-D)."""
from kerasx import config
from kerasx.backend import get_ops
from kerasx.layers.input_spec import InputSpec
from kerasx.layers.layer import Layer

_AXES = {1: "length", 2: "(height, width)", 3: "(depth, height, width)"}


class BaseAdaptivePooling(Layer):
    """Adaptive max or average pooling, as Keras's BaseAdaptivePooling: the
    window and stride follow from the input length, so the output has
    `output_size` entries per spatial axis whatever the input's size (bin i
    of n inputs pooled to m covers floor(i * n / m) to ceil((i + 1) * n / m)
    - 1; see kerasx.ops.adaptive_average_pool).

    Args:
        rank: number of spatial axes (1, 2 or 3).
        output_size: int (every spatial axis) or tuple of `rank` ints.
        pool_mode: "max" or "average".
        data_format: "channels_last" or "channels_first".

    Raises:
        TypeError: for an output_size that is neither an int nor a tuple/list.
        ValueError: for a tuple of another length, a non-positive size, or an
            unknown data_format.
    """

    def __init__(self, rank, output_size, pool_mode, data_format=None, **kwargs):
        super().__init__(**kwargs)
        if isinstance(output_size, int) and not isinstance(output_size, bool):
            sizes = (output_size,) * rank
        elif isinstance(output_size, (tuple, list)):
            sizes = tuple(output_size)
        else:
            raise TypeError(f"`output_size` must be an integer or a tuple of {rank} "
                            f"integers {_AXES[rank]}. Received: {output_size!r} of type "
                            f"{type(output_size).__name__}")
        if len(sizes) != rank or not all(
                isinstance(s, int) and not isinstance(s, bool) and s > 0 for s in sizes):
            raise ValueError(f"`output_size` must be a positive integer or a tuple of "
                             f"{rank} positive integers {_AXES[rank]}. Received: "
                             f"output_size={output_size!r}")
        self.rank = rank
        self.output_size = sizes
        self.pool_mode = pool_mode
        self.data_format = config.standardize_data_format(data_format)
        self.input_spec = InputSpec(ndim=rank + 2)
        self.built = True

    def call(self, inputs):
        ops = get_ops()
        pool = ops.adaptive_max_pool if self.pool_mode == "max" \
            else ops.adaptive_average_pool
        return pool(inputs, self.output_size, self.data_format)

    def compute_output_shape(self, input_shape):
        input_shape = tuple(input_shape)
        if len(input_shape) != self.rank + 2:
            raise ValueError(f"Layer {self.name!r} expects inputs of rank {self.rank + 2},"
                             f" but received input shape {input_shape}.")
        if self.data_format == "channels_last":
            return (input_shape[0],) + self.output_size + (input_shape[-1],)
        return (input_shape[0], input_shape[1]) + self.output_size

    def get_config(self):
        return {**super().get_config(), "output_size": self.output_size,
                "data_format": self.data_format}
