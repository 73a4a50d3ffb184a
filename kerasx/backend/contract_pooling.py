"""The pooling family of the contract: adaptive average and max pooling,
composites written once from slices, reductions and the pooling kernels."""
from kerasx.backend.op_roles import composite

_RANKS = {3: 1, 4: 2, 5: 3}


def adaptive_bins(length, output_length):
    """The [start, end) input ranges of the `output_length` bins that
    adaptive pooling reduces along an axis of `length`: bin i covers
    floor(i * length / n) to ceil((i + 1) * length / n) (Keras's and
    PyTorch's bins; neighbouring bins overlap when length is not a multiple
    of n)."""
    return [((i * length) // output_length, -(-((i + 1) * length) // output_length))
            for i in range(output_length)]


def _resolve(op, shape, output_size, data_format):
    """(spatial axes, input lengths, output lengths), checked.

    Raises:
        ValueError: for a rank other than 3, 4 or 5, a bad output_size or
            data_format, or an unknown spatial length.
    """
    rank = _RANKS.get(len(shape))
    if rank is None:
        raise ValueError(f"{op} supports 1D, 2D or 3D inputs only (rank 3, 4 or 5); "
                         f"received an input of shape {tuple(shape)}.")
    if data_format not in ("channels_last", "channels_first"):
        raise ValueError(f"{op}: `data_format` must be 'channels_last' or "
                         f"'channels_first'; received data_format={data_format!r}.")
    sizes = (output_size,) * rank if isinstance(output_size, int) and \
        not isinstance(output_size, bool) else tuple(output_size)
    if len(sizes) != rank or not all(isinstance(s, int) and not isinstance(s, bool)
                                     and s > 0 for s in sizes):
        raise ValueError(f"{op}: `output_size` must be a positive int or a tuple of "
                         f"{rank} positive ints for a rank-{len(shape)} input; "
                         f"received output_size={output_size!r}.")
    start = 1 if data_format == "channels_last" else 2
    axes = tuple(range(start, start + rank))
    lengths = tuple(shape[a] for a in axes)
    if any(n is None for n in lengths):
        raise ValueError(f"{op} needs the spatial lengths to be known; received an "
                         f"input of shape {tuple(shape)}.")
    return axes, lengths, sizes


class PoolingContract:
    """Adaptive pooling (keras.ops.adaptive_average_pool / adaptive_max_pool).

    When every input length is a multiple of its output length the bins are
    equal and disjoint, and one pooling kernel computes them; otherwise each
    axis in turn is reduced bin by bin (a box reduction is separable: the
    mean / max over a box is the mean / max over each of its axes in turn).
    """

    def _adaptive_pool(self, op, inputs, output_size, data_format, reduce, pool):
        axes, lengths, sizes = _resolve(op, self.shape(inputs), output_size, data_format)
        if all(n % s == 0 for n, s in zip(lengths, sizes)):
            window = tuple(n // s for n, s in zip(lengths, sizes))
            return pool(inputs, window, window, "valid", data_format)
        x = inputs
        for axis, length, size in zip(axes, lengths, sizes):
            if length == size:
                continue
            shape = list(self.shape(x))
            parts = []
            for begin, end in adaptive_bins(length, size):
                start = [0] * len(shape)
                start[axis] = begin
                extent = list(shape)
                extent[axis] = end - begin
                parts.append(reduce(self.slice(x, tuple(start), tuple(extent)),
                                    axis=axis, keepdims=True))
            x = self.concatenate(parts, axis=axis)
        return x

    @composite(tensors=("inputs",))
    def adaptive_average_pool(self, inputs, output_size, data_format="channels_last"):
        """Average pooling to a fixed output size, for 1-D, 2-D and 3-D
        inputs (rank 3, 4 or 5): output bin i along an axis of length n with
        output length m is the mean of inputs floor(i * n / m) to
        ceil((i + 1) * n / m) - 1 (as Keras and PyTorch).

        output_size: int (every spatial axis) or tuple of one int per spatial
        axis.

        Raises:
            ValueError: for another rank, a bad output_size or data_format, or
                unknown spatial lengths.
        """
        return self._adaptive_pool("adaptive_average_pool", inputs, output_size,
                                   data_format, self.mean, self.average_pool)

    @composite(tensors=("inputs",))
    def adaptive_max_pool(self, inputs, output_size, data_format="channels_last"):
        """Max pooling to a fixed output size, with the bins of
        `adaptive_average_pool`. How the gradient is shared among tied maxima
        is the framework's.

        Raises:
            ValueError: for another rank, a bad output_size or data_format, or
                unknown spatial lengths.
        """
        return self._adaptive_pool("adaptive_max_pool", inputs, output_size, data_format,
                                   self.max, self.max_pool)
