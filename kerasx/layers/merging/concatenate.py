"""Concatenate: join a list of tensors along one axis."""
from kerasx.backend import get_ops
from kerasx.layers.merging.base_merge import Merge


class Concatenate(Merge):
    """Concatenation of a list of tensors along `axis` (default -1); all other
    axes must match.

    Raises:
        ValueError: for inputs of different ranks or with a mismatched size
            off the concatenation axis, or an axis outside the inputs' rank.
    """

    same_batch = False

    def __init__(self, axis=-1, **kwargs):
        super().__init__(**kwargs)
        if isinstance(axis, bool) or not isinstance(axis, int):
            raise ValueError(f"Concatenate expects an int `axis`. Received: axis={axis!r}")
        self.axis = axis

    def _check_shapes(self, input_shape):
        self._check_input_list(input_shape)
        ranks = {len(s) for s in input_shape}
        message = ("A `Concatenate` layer requires inputs with matching shapes except "
                   f"for the concatenation axis. Received: input_shape={list(input_shape)}")
        if len(ranks) != 1:
            raise ValueError(message + " (the inputs have different ranks)")
        rank = ranks.pop()
        if not -rank <= self.axis < rank:
            raise ValueError(f"Concatenate axis={self.axis} is out of bounds for inputs "
                             f"of rank {rank}. Received: input_shape={list(input_shape)}")
        axis = self.axis % rank
        for dim in range(rank):
            if dim == axis:
                continue
            sizes = {s[dim] for s in input_shape} - {None}
            if len(sizes) > 1:
                raise ValueError(message + f" (axis {dim} has sizes {sorted(sizes)})")
        return axis

    def build(self, input_shape):
        self._check_shapes(input_shape)
        self.built = True

    def call(self, inputs):
        inputs = self._call_inputs(inputs)
        self._check_shapes([get_ops().shape(x) for x in inputs])
        return self._merge_function(inputs)

    def _merge_function(self, inputs):
        return get_ops().concatenate(inputs, axis=self.axis)

    def compute_output_shape(self, input_shape):
        axis = self._check_shapes(input_shape)
        out = []
        for dim in range(len(input_shape[0])):
            if dim == axis:
                sizes = [s[dim] for s in input_shape]
                out.append(None if None in sizes else sum(sizes))
            else:
                known = [s[dim] for s in input_shape if s[dim] is not None]
                out.append(known[0] if known else None)
        return tuple(out)

    def get_config(self):
        return {**super().get_config(), "axis": self.axis}


def concatenate(inputs, axis=-1, **kwargs):
    """Functional form of Concatenate, as keras.layers.concatenate."""
    return Concatenate(axis=axis, **kwargs)(inputs)
