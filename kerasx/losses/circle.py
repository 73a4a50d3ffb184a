"""Keras 3's Circle loss (Sun et al., 2020) for metric learning: the function
and its Loss class."""
import math

from kerasx.backend import get_ops
from kerasx.losses.losses import _FixedLoss
from kerasx.losses.loss import to_tensor


def _circle_with_mask(y_true, y_pred, ref_labels=None, ref_embeddings=None,
                      remove_diagonal=True, gamma=80, margin=0.4):
    """(per-sample circle losses, mask of the positive ones): Keras leaves the
    samples whose loss is 0 out of the average."""
    ops = get_ops()
    y_pred = to_tensor(y_pred)
    y_true = ops.cast(to_tensor(y_true), "int32")
    ref_embeddings = y_pred if ref_embeddings is None else to_tensor(ref_embeddings)
    ref_labels = y_true if ref_labels is None else ops.cast(to_tensor(ref_labels), "int32")
    distances = ops.relu(ops.subtract(1.0, ops.matmul(y_pred,
                                                      ops.transpose(ref_embeddings))))
    query = ops.reshape(y_true, (-1, 1))
    keys = ops.reshape(ref_labels, (1, -1))
    positive = ops.equal(query, keys)
    negative = ops.logical_not(positive)
    if remove_diagonal:
        rows, cols = ops.shape(positive)
        diagonal = ops.convert_to_tensor([[i == j for j in range(cols)] for i in range(rows)],
                                         "bool")
        positive = ops.logical_and(positive, ops.logical_not(diagonal))
    dtype = ops.dtype(distances)
    positive_f, negative_f = ops.cast(positive, dtype), ops.cast(negative, dtype)
    pos_weights = ops.relu(ops.multiply(ops.add(distances, margin), positive_f))
    neg_weights = ops.relu(ops.multiply(ops.subtract(1.0 + margin, distances), negative_f))
    pos_terms = ops.multiply(ops.multiply(pos_weights, ops.subtract(margin, distances)),
                             -float(gamma))
    neg_terms = ops.multiply(ops.multiply(neg_weights,
                                          ops.subtract(1.0 - margin, distances)),
                             float(gamma))
    p_loss = _masked_logsumexp(pos_terms, positive)
    n_loss = _masked_logsumexp(neg_terms, negative)
    loss = ops.softplus(ops.add(p_loss, n_loss))
    return loss, ops.greater(loss, 0.0)


def _masked_logsumexp(terms, mask):
    """logsumexp along axis 1 of the `terms` where `mask`; -inf for a row
    with none (a sample without a positive pair), with finite gradients."""
    ops = get_ops()
    minus_inf = ops.full(ops.shape(terms), -math.inf, ops.dtype(terms))
    has = ops.any(mask, axis=1, keepdims=True)
    top = ops.max(ops.where(mask, terms, minus_inf), axis=1, keepdims=True)
    top = ops.stop_gradient(ops.where(has, top, ops.zeros_like(top)))
    shifted = ops.where(mask, ops.subtract(terms, top), minus_inf)
    total = ops.sum(ops.exp(shifted), axis=1, keepdims=True)
    total = ops.where(has, total, ops.ones_like(total))
    out = ops.where(has, ops.add(ops.log(total), top), ops.full(ops.shape(top), -math.inf,
                                                                 ops.dtype(top)))
    return ops.squeeze(out, 1)


def circle(y_true, y_pred, ref_labels=None, ref_embeddings=None, remove_diagonal=True,
           gamma=80, margin=0.4):
    """Circle loss of L2-normalised embeddings `y_pred` (batch, dim) with
    integer labels `y_true` (batch,), against `ref_embeddings` and
    `ref_labels` (default: the batch itself): softplus(logsumexp of the
    weighted positive-pair terms + logsumexp of the negative-pair terms),
    with the cosine distance 1 - <a, b> clipped at 0."""
    return _circle_with_mask(y_true, y_pred, ref_labels, ref_embeddings, remove_diagonal,
                             gamma, margin)[0]


circle._with_mask = _circle_with_mask


class Circle(_FixedLoss):
    """Circle loss; see `circle`. The average leaves out the samples whose
    loss is 0 (as Keras)."""

    # Targets are shaped unlike the predictions (kerasx.trainers.input_validation).
    _free_target_shape = True

    _config_keys = ("gamma", "margin", "remove_diagonal")

    def __init__(self, gamma=80.0, margin=0.4, remove_diagonal=True,
                 reduction="sum_over_batch_size", name="circle", dtype=None):
        super().__init__(circle, name=name, reduction=reduction, dtype=dtype, gamma=gamma,
                         margin=margin, remove_diagonal=remove_diagonal)
        self.gamma, self.margin, self.remove_diagonal = gamma, margin, remove_diagonal


circle._free_target_shape = True
