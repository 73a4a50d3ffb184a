"""Activations (as keras.activations / keras.ops), normalisation, dropout
with an explicit mask and the cross-entropies: composites written once, so
that every backend computes them with the same formula.

A mixin of kerasx.backend.contract.Backend (see contract.py for the
conventions every operation follows)."""
import math

from kerasx.backend.op_roles import composite, primitive

#: Keras's fuzz factor for probability clipping in cross-entropy.
EPSILON = 1e-7


class ActivationsContract:
    """The activations operations of the contract."""

    # ------------------------------------------------------------------
    # Activations (as keras.activations / keras.ops)
    # ------------------------------------------------------------------
    @primitive(tensors=("x",))
    def relu(self, x):
        """max(x, 0); the gradient at 0 is 0."""

    @composite(tensors=("x",))
    def relu6(self, x):
        """min(max(x, 0), 6)."""
        return self.clip(self.relu(x), 0.0, 6.0)

    @composite(tensors=("x",))
    def leaky_relu(self, x, negative_slope=0.2):
        """x for x >= 0, negative_slope * x below."""
        return self.where(self.greater_equal(x, 0.0), x,
                          self.multiply(x, negative_slope))

    @composite(tensors=("x",))
    def elu(self, x, alpha=1.0):
        """x for x > 0, alpha * (exp(x) - 1) otherwise."""
        # expm1 of min(x, 0): the unselected branch must not overflow, or its
        # zero gradient times inf would give NaN.
        negative = self.multiply(self.expm1(self.minimum(x, 0.0)), alpha)
        return self.where(self.greater(x, 0.0), x, negative)

    @composite(tensors=("x",))
    def selu(self, x):
        """scale * elu(x, alpha), with Keras's constants."""
        alpha = 1.6732632423543772848170429916717
        scale = 1.0507009873554804934193349852946
        return self.multiply(self.elu(x, alpha), scale)

    @composite(tensors=("x",))
    def gelu(self, x, approximate=True):
        """Gaussian error linear unit; approximate=True uses the tanh formula
        (keras.ops default), False the exact erf formula."""
        if approximate:
            c = math.sqrt(2.0 / math.pi)
            inner = self.multiply(
                self.add(x, self.multiply(self.power(x, 3.0), 0.044715)), c)
            return self.multiply(self.multiply(x, 0.5),
                                 self.add(self.tanh(inner), 1.0))
        return self.multiply(self.multiply(x, 0.5),
                             self.add(self.erf(self.multiply(x, 1.0 / math.sqrt(2.0))),
                                      1.0))

    @composite(tensors=("x",))
    def hard_sigmoid(self, x):
        """relu6(x + 3) / 6 (Keras 3)."""
        return self.divide(self.relu6(self.add(x, 3.0)), 6.0)

    @composite(tensors=("x",))
    def softmax(self, x, axis=-1):
        """exp(x) / sum(exp(x)) along `axis`, shifted by the maximum."""
        shifted = self.subtract(x, self.stop_gradient(self.max(x, axis=axis,
                                                               keepdims=True)))
        e = self.exp(shifted)
        return self.divide(e, self.sum(e, axis=axis, keepdims=True))

    @composite(tensors=("x",))
    def log_softmax(self, x, axis=-1):
        """x - logsumexp(x) along `axis`."""
        return self.subtract(x, self.logsumexp(x, axis=axis, keepdims=True))

    @composite(tensors=("x",))
    def softplus(self, x):
        """log(1 + exp(x)), as relu(x) + log1p(exp(-|x|)) to avoid overflow."""
        return self.add(self.relu(x), self.log1p(self.exp(self.negative(self.abs(x)))))

    @composite(tensors=("x",))
    def softsign(self, x):
        """x / (1 + |x|)."""
        return self.divide(x, self.add(self.abs(x), 1.0))

    @composite(tensors=("x",))
    def silu(self, x):
        """x * sigmoid(x) (swish)."""
        return self.multiply(x, self.sigmoid(x))

    @composite(tensors=("x",), public=False)
    def exponential(self, x):
        """exp(x)."""
        return self.exp(x)

    # ------------------------------------------------------------------
    # Normalisation, dropout, losses
    # ------------------------------------------------------------------
    @composite(tensors=("x", "mean", "variance", "offset", "scale"))
    def batch_normalization(self, x, mean, variance, axis, offset=None, scale=None,
                            epsilon=1e-3):
        """Normalise `x` with the given statistics of shape (C,) for the
        channel `axis`, as keras.ops.batch_normalization:
        x * inv + (offset - mean * inv), inv = rsqrt(variance + eps) * scale.
        """
        rank = self.ndim(x)
        axis = axis % rank
        shape = tuple(-1 if i == axis else 1 for i in range(rank))
        inv = self.rsqrt(self.add(variance, epsilon))
        if scale is not None:
            inv = self.multiply(inv, scale)
        shift = self.negative(self.multiply(mean, inv))
        if offset is not None:
            shift = self.add(shift, offset)
        return self.add(self.multiply(x, self.reshape(inv, shape)),
                        self.reshape(shift, shape))

    @composite(tensors=("x", "mask"), public=False)
    def dropout(self, x, mask, rate):
        """Inverted dropout with an explicit bool `mask` (True keeps): kept
        elements are scaled by 1 / (1 - rate), the others are 0. The mask comes
        from the front end's portable generator, so every backend drops the
        same elements."""
        if not 0.0 <= rate < 1.0:
            raise ValueError(f"Dropout rate must be in [0, 1); received {rate!r}.")
        return self.where(mask, self.divide(x, 1.0 - rate), self.zeros_like(x))

    @composite(tensors=("target", "output"))
    def categorical_crossentropy(self, target, output, from_logits=False, axis=-1):
        """Per-sample cross-entropy between one-hot/soft `target` and `output`
        along `axis`. Probabilities are renormalised and clipped to
        [EPSILON, 1 - EPSILON] as Keras; logits use log_softmax."""
        if from_logits:
            log_prob = self.log_softmax(output, axis=axis)
        else:
            output = self.divide(output, self.sum(output, axis=axis, keepdims=True))
            log_prob = self.log(self.clip(output, EPSILON, 1.0 - EPSILON))
        return self.negative(self.sum(self.multiply(target, log_prob), axis=axis))

    @composite(tensors=("target", "output"))
    def sparse_categorical_crossentropy(self, target, output, from_logits=False,
                                        axis=-1):
        """As categorical_crossentropy with integer class `target`."""
        classes = self.shape(output)[axis]
        one_hot = self.one_hot(self.cast(target, "int32"), classes,
                               dtype=self.dtype(output))
        if axis not in (-1, self.ndim(output) - 1):
            one_hot = self.transpose(one_hot, self._move_last_to(self.ndim(output), axis))
        return self.categorical_crossentropy(one_hot, output, from_logits, axis)

    @composite(tensors=("target", "output"))
    def binary_crossentropy(self, target, output, from_logits=False):
        """Element-wise binary cross-entropy. Logits use the stable
        relu(x) - x * t + log1p(exp(-|x|)); probabilities are clipped to
        [EPSILON, 1 - EPSILON] as Keras."""
        if from_logits:
            return self.subtract(self.softplus(output), self.multiply(output, target))
        output = self.clip(output, EPSILON, 1.0 - EPSILON)
        pos = self.multiply(target, self.log(output))
        neg = self.multiply(self.subtract(1.0, target),
                            self.log(self.subtract(1.0, output)))
        return self.negative(self.add(pos, neg))
