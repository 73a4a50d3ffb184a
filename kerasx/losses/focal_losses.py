"""Keras 3's focal cross-entropies (Lin et al., 2018): the functions and their
Loss classes. The cross-entropies down-weight well-classified examples by a
focal factor (1 - p_t) ** gamma."""
from kerasx import config
from kerasx.backend import get_ops
from kerasx.losses.losses import _FixedLoss, _as_pair


def binary_focal_crossentropy(y_true, y_pred, apply_class_balancing=False, alpha=0.25,
                              gamma=2.0, from_logits=False, label_smoothing=0.0, axis=-1):
    """mean over `axis` of (1 - p_t) ** gamma * binary cross-entropy, with
    p_t the probability given to the true class; with
    `apply_class_balancing`, weighted by alpha (class 1) and 1 - alpha
    (class 0). Label smoothing pulls y_true towards 0.5."""
    ops = get_ops()
    y_true, y_pred = _as_pair(y_true, y_pred, squeeze=False)
    if label_smoothing:
        y_true = ops.add(ops.multiply(y_true, 1.0 - label_smoothing), 0.5 * label_smoothing)
    if from_logits:
        y_pred = ops.sigmoid(y_pred)
    bce = ops.binary_crossentropy(y_true, y_pred, from_logits=False)
    not_true = ops.subtract(1.0, y_true)
    p_t = ops.add(ops.multiply(y_true, y_pred),
                  ops.multiply(not_true, ops.subtract(1.0, y_pred)))
    focal = ops.multiply(ops.power(ops.subtract(1.0, p_t), float(gamma)), bce)
    if apply_class_balancing:
        weight = ops.add(ops.multiply(y_true, alpha), ops.multiply(not_true, 1.0 - alpha))
        focal = ops.multiply(weight, focal)
    return ops.mean(focal, axis=axis)


def categorical_focal_crossentropy(y_true, y_pred, alpha=0.25, gamma=2.0,
                                   from_logits=False, label_smoothing=0.0, axis=-1):
    """sum over `axis` of alpha * (1 - p) ** gamma * -y_true * log(p), p the
    renormalised predictions clipped to [epsilon, 1 - epsilon]."""
    if isinstance(axis, bool):
        raise ValueError(f"`axis` must be of type `int`. Received: axis={axis} of "
                         f"type {type(axis)}")
    ops = get_ops()
    y_true, y_pred = _as_pair(y_true, y_pred, squeeze=False)
    if label_smoothing:
        classes = float(ops.shape(y_true)[-1])
        y_true = ops.add(ops.multiply(y_true, 1.0 - label_smoothing),
                         label_smoothing / classes)
    if from_logits:
        y_pred = ops.softmax(y_pred, axis=axis)
    output = ops.divide(y_pred, ops.sum(y_pred, axis=axis, keepdims=True))
    eps = config.epsilon()
    output = ops.clip(output, eps, 1.0 - eps)
    cross_entropy = ops.negative(ops.multiply(y_true, ops.log(output)))
    factor = ops.multiply(ops.power(ops.subtract(1.0, output), float(gamma)), alpha)
    return ops.sum(ops.multiply(factor, cross_entropy), axis=axis)


class BinaryFocalCrossentropy(_FixedLoss):
    """Binary focal cross-entropy; see `binary_focal_crossentropy`."""

    _config_keys = ("from_logits", "label_smoothing", "axis", "apply_class_balancing",
                    "alpha", "gamma")

    def __init__(self, apply_class_balancing=False, alpha=0.25, gamma=2.0,
                 from_logits=False, label_smoothing=0.0, axis=-1,
                 reduction="sum_over_batch_size", name="binary_focal_crossentropy",
                 dtype=None):
        super().__init__(binary_focal_crossentropy, name=name, reduction=reduction,
                         dtype=dtype, apply_class_balancing=apply_class_balancing,
                         alpha=alpha, gamma=gamma, from_logits=from_logits,
                         label_smoothing=label_smoothing, axis=axis)
        self.apply_class_balancing = apply_class_balancing
        self.alpha, self.gamma = alpha, gamma
        self.from_logits, self.label_smoothing, self.axis = from_logits, label_smoothing, axis


class CategoricalFocalCrossentropy(_FixedLoss):
    """Categorical focal cross-entropy; see `categorical_focal_crossentropy`."""

    _config_keys = ("from_logits", "label_smoothing", "axis", "alpha", "gamma")

    def __init__(self, alpha=0.25, gamma=2.0, from_logits=False, label_smoothing=0.0,
                 axis=-1, reduction="sum_over_batch_size",
                 name="categorical_focal_crossentropy", dtype=None):
        super().__init__(categorical_focal_crossentropy, name=name, reduction=reduction,
                         dtype=dtype, alpha=alpha, gamma=gamma, from_logits=from_logits,
                         label_smoothing=label_smoothing, axis=axis)
        self.alpha, self.gamma = alpha, gamma
        self.from_logits, self.label_smoothing, self.axis = from_logits, label_smoothing, axis
