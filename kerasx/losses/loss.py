"""The Loss base class and Keras 3's reduction of weighted per-sample losses.

A loss is called as `loss(y_true, y_pred, sample_weight=None)`: both inputs
are converted to the loss's dtype (floatx by default), `call` gives the
per-sample values, the sample weights (and a mask, where the loss produces
one) multiply them, and the reduction turns them into one scalar:

- "sum_over_batch_size" (default) and "mean": the weighted sum divided by the
  number of elements of the per-sample loss (not by the sum of weights);
- "mean_with_sample_weight": the weighted sum divided by the sum of weights;
- "sum": the weighted sum;
- "none" / None: the weighted per-sample values.

Masks (as Keras 3): when `y_pred` carries a mask (`_keras_mask`, attached by
Embedding(mask_zero=True), Masking or a recurrent layer with
return_sequences), the per-sample losses are multiplied by it (AND-ed with
any mask of the loss itself), and for "sum_over_batch_size" / "mean" the
valid entries are weighted by total / valid, so that the reduction is
sum(loss * mask * sample_weight) / sum(mask): an average over the unmasked
entries only (0 when none is valid). "sum" just drops the masked entries.
"""
import math

from kerasx import config
from kerasx.backend import get_ops
from kerasx.backend.naming import auto_name

REDUCTIONS = ("sum_over_batch_size", "sum", None, "none", "mean",
              "mean_with_sample_weight")

def standardize_reduction(reduction):
    """Check `reduction`.

    Raises:
        ValueError: when it is not one of REDUCTIONS.
    """
    if reduction not in REDUCTIONS:
        raise ValueError("Invalid value for argument `reduction`. Expected one of "
                         f"{REDUCTIONS}. Received: reduction={reduction!r}")
    return reduction


# ----------------------------------------------------------------------------
# Small numeric helpers shared with kerasx.metrics (all through contract ops)
# ----------------------------------------------------------------------------
def to_tensor(x, dtype=None):
    """`x` (tensor, Variable, NumPy array, list or scalar) as a native tensor,
    cast to `dtype` when given."""
    from kerasx.ops import convert_to_tensor
    return convert_to_tensor(x, dtype=dtype)


def divide_no_nan(a, b):
    """a / b, with 0 where b == 0."""
    ops = get_ops()
    zero = ops.equal(b, 0.0)
    safe = ops.where(zero, ops.ones_like(b), b)
    quotient = ops.divide(a, safe)
    return ops.where(ops.broadcast_to(zero, ops.shape(quotient)),
                     ops.zeros_like(quotient), quotient)


def squeeze_or_expand_to_same_rank(x1, x2, expand_rank_1=True):
    """Squeeze or expand the last axis when the ranks differ by one and that
    axis has size 1 (Keras's rule)."""
    ops = get_ops()
    shape1, shape2 = ops.shape(x1), ops.shape(x2)
    rank1, rank2 = len(shape1), len(shape2)
    if rank1 == rank2:
        return x1, x2
    if rank1 == rank2 + 1 and shape1[-1] == 1:
        if rank2 == 1 and expand_rank_1:
            x2 = ops.expand_dims(x2, -1)
        else:
            x1 = ops.squeeze(x1, axis=-1)
    if rank2 == rank1 + 1 and shape2[-1] == 1:
        if rank1 == 1 and expand_rank_1:
            x1 = ops.expand_dims(x1, -1)
        else:
            x2 = ops.squeeze(x2, axis=-1)
    return x1, x2


def apply_mask(sample_weight, mask, dtype, reduction):
    """Merge a bool `mask` of the per-sample values into `sample_weight`.

    For the averaging reductions, valid entries get weight total / valid so
    that the average runs over the valid entries only (as Keras)."""
    if mask is None:
        return sample_weight
    ops = get_ops()
    float_mask = ops.cast(mask, dtype)
    if reduction in ("mean", "sum_over_batch_size"):
        total = float(math.prod(ops.shape(mask)))
        valid = ops.sum(float_mask)
        float_mask = ops.multiply(float_mask, divide_no_nan(
            ops.full((), total, dtype), valid))
    if sample_weight is None:
        return float_mask
    sample_weight = ops.cast(sample_weight, dtype)
    float_mask, sample_weight = squeeze_or_expand_to_same_rank(float_mask, sample_weight)
    return ops.multiply(sample_weight, float_mask)


def combine_masks(in_mask, out_mask):
    """The logical AND of the predictions' mask and the loss's own mask (either
    may be None), as Keras 3's Loss.__call__."""
    if in_mask is None or out_mask is None:
        return out_mask if in_mask is None else in_mask
    ops = get_ops()
    return ops.logical_and(ops.cast(in_mask, "bool"), ops.cast(out_mask, "bool"))


def reduce_values(values, sample_weight=None, reduction="sum_over_batch_size"):
    """Reduce (already weighted) per-sample `values` to a scalar."""
    ops = get_ops()
    shape = ops.shape(values)
    if reduction in (None, "none") or shape == () or shape == (0,):
        return values
    loss = ops.sum(values)
    if reduction in ("sum_over_batch_size", "mean", "mean_with_sample_weight"):
        if reduction == "mean_with_sample_weight" and sample_weight is not None:
            divisor = ops.cast(ops.sum(sample_weight), ops.dtype(loss))
        else:
            divisor = ops.full((), float(math.prod(shape)), ops.dtype(loss))
        loss = divide_no_nan(loss, divisor)
    return loss


def reduce_weighted_values(values, sample_weight=None, mask=None,
                           reduction="sum_over_batch_size", dtype=None):
    """Weight per-sample `values` by `sample_weight` (and `mask`), then reduce."""
    ops = get_ops()
    reduction = standardize_reduction(reduction)
    values = to_tensor(values, dtype)
    dtype = ops.dtype(values)
    if sample_weight is not None:
        sample_weight = to_tensor(sample_weight, dtype)
    sample_weight = apply_mask(sample_weight, mask, dtype, reduction)
    if sample_weight is not None:
        values, sample_weight = squeeze_or_expand_to_same_rank(values, sample_weight)
        values = ops.multiply(values, sample_weight)
    return reduce_values(values, sample_weight, reduction)


class Loss:
    """Base class of losses, as keras.losses.Loss.

    Subclasses implement `call(y_true, y_pred)` returning per-sample losses.

    Args:
        name: the loss's name (default: snake_case of the class name).
        reduction: "sum_over_batch_size" (default), "sum", "mean",
            "mean_with_sample_weight", "none" or None.
        dtype: the dtype of the computation (default floatx, "float32").
    """

    def __init__(self, name=None, reduction="sum_over_batch_size", dtype=None):
        self.name = name or auto_name(type(self).__name__)
        self.reduction = standardize_reduction(reduction)
        self._dtype = dtype or config.floatx()

    @property
    def dtype(self):
        return self._dtype

    def __call__(self, y_true, y_pred, sample_weight=None):
        # The mask a layer attached to the predictions (Embedding(mask_zero),
        # Masking, a recurrent layer with return_sequences ...), read before
        # the conversion, which may return a new tensor.
        in_mask = getattr(y_pred, "_keras_mask", None)
        y_pred = to_tensor(y_pred, self.dtype)
        y_true = to_tensor(y_true, self.dtype)
        values, mask = self._call_with_mask(y_true, y_pred)
        mask = combine_masks(in_mask, mask)
        return reduce_weighted_values(values, sample_weight=sample_weight, mask=mask,
                                      reduction=self.reduction, dtype=self.dtype)

    def _call_with_mask(self, y_true, y_pred):
        """(per-sample losses, bool mask of the valid ones or None)."""
        return self.call(y_true, y_pred), None

    def call(self, y_true, y_pred):
        raise NotImplementedError(f"{type(self).__name__} must implement call().")

    def get_config(self):
        return {"name": self.name, "reduction": self.reduction}

    @classmethod
    def from_config(cls, config):
        return cls(**config)

    def __repr__(self):
        return f"<{type(self).__name__} name={self.name}>"
