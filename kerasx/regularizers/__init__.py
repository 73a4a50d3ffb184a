"""Weight regularizers, as keras.regularizers: each adds a penalty to the loss."""
import math

import numpy as np

from kerasx.backend import get_ops
from kerasx.saving.registry import make_getter


class Regularizer:
    """Callable mapping a weight tensor to a scalar penalty."""

    def __call__(self, x):
        return 0.0

    def get_config(self):
        return {}

    @classmethod
    def from_config(cls, config):
        return cls(**config)


class L1L2(Regularizer):
    """l1 * sum(|x|) + l2 * sum(x ** 2)."""

    def __init__(self, l1=0.0, l2=0.0):
        self.l1, self.l2 = float(l1), float(l2)

    def __call__(self, x):
        ops = get_ops()
        total = None
        if self.l1:
            total = ops.multiply(ops.sum(ops.abs(x)), self.l1)
        if self.l2:
            term = ops.multiply(ops.sum(ops.square(x)), self.l2)
            total = term if total is None else ops.add(total, term)
        return total if total is not None else ops.zeros((), ops.dtype(x))

    def get_config(self):
        return {"l1": self.l1, "l2": self.l2}


class L1(L1L2):
    def __init__(self, l1=0.01):
        super().__init__(l1=l1)

    def get_config(self):
        return {"l1": self.l1}


class L2(L1L2):
    def __init__(self, l2=0.01):
        super().__init__(l2=l2)

    def get_config(self):
        return {"l2": self.l2}


def l1_l2(l1=0.01, l2=0.01):
    return L1L2(l1=l1, l2=l2)


class OrthogonalRegularizer(Regularizer):
    """Penalises a 2-D weight whose rows (or columns) are not orthogonal:
    `factor` times the mean absolute cosine similarity between pairs of the
    L2-normalised rows (`mode="rows"`) or columns (`"columns"`), as
    keras.regularizers.OrthogonalRegularizer.

    Raises:
        ValueError: a negative or non-finite factor, an unknown mode, or
            (when called) a weight that is not 2-D.
    """

    def __init__(self, factor=0.01, mode="rows"):
        if (not isinstance(factor, (int, float)) or math.isinf(factor) or math.isnan(factor)
                or factor < 0):
            raise ValueError("Invalid value for argument factor: expected a non-negative "
                             f"float.Received: factor={factor}")
        if mode not in {"rows", "columns"}:
            raise ValueError('Invalid value for argument `mode`. Expected one of {"rows", '
                             f'"columns"}}. Received: mode={mode}')
        self.factor, self.mode = float(factor), mode

    def __call__(self, x):
        if len(x.shape) != 2:
            raise ValueError("Inputs to OrthogonalRegularizer must have rank 2. Received: "
                             f"inputs.shape={tuple(x.shape)}")
        ops = get_ops()
        axis = 1 if self.mode == "rows" else 0
        # keras.ops.nn.normalize's formula: x / sqrt(max(sum(x ** 2), epsilon)).
        squares = ops.sum(ops.square(x), axis=axis, keepdims=True)
        unit = ops.divide(x, ops.sqrt(ops.maximum(squares, 1e-7)))
        if self.mode == "rows":
            product = ops.matmul(unit, ops.transpose(unit))
        else:
            product = ops.matmul(ops.transpose(unit), unit)
        size = int(x.shape[1 - axis])
        off_diagonal = ops.multiply(product, ops.convert_to_tensor(
            1.0 - np.eye(size), dtype=ops.dtype(x)))
        pairs = size * (size - 1.0) / 2.0
        return ops.multiply(ops.sum(ops.abs(off_diagonal)), self.factor * 0.5 / pairs)

    def get_config(self):
        return {"factor": self.factor, "mode": self.mode}


l1, l2 = L1, L2
orthogonal_regularizer = OrthogonalRegularizer

get, serialize, deserialize = make_getter(
    "regularizer", Regularizer, [L1, L2, L1L2, OrthogonalRegularizer], call_class=True,
    functions={"l1": L1, "l2": L2, "l1_l2": L1L2,
               "orthogonal_regularizer": OrthogonalRegularizer})
