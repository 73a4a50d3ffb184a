"""GroupNormalization, as keras.layers.GroupNormalization."""
from kerasx import constraints, initializers, regularizers
from kerasx.backend import get_ops
from kerasx.layers.input_spec import InputSpec
from kerasx.layers.layer import Layer


class GroupNormalization(Layer):
    """Normalises each sample over groups of channels, as
    keras.layers.GroupNormalization: the channels (axis `axis`) are split into
    `groups` groups, and each group is normalised over its channels and every
    non-batch axis, then scaled by `gamma` and shifted by `beta` per channel.
    Computed as Keras does: `x * inv + (beta - mean * inv)` with
    `inv = rsqrt(var + epsilon) * gamma` (biased variance).

    groups=1 is layer normalization over all non-batch axes; groups equal to
    the channel count (or -1) is instance normalization.

    Args:
        groups: number of groups (positive, dividing the channel count), or -1
            for one group per channel (default 32).
        axis: the channel axis (default -1).
        epsilon: added to the variance (default 1e-3).
        center, scale: whether to learn `beta` and `gamma`.
        beta_initializer, gamma_initializer: as in Keras.
        beta_regularizer, gamma_regularizer: as in Keras.
        beta_constraint, gamma_constraint: as in Keras.

    Weights, in Keras order: gamma, beta, each of shape (channels,).

    Raises:
        ValueError: for a bad `groups`; at build, an undefined channel axis, or
            a channel count below or not divisible by `groups`.
    """

    def __init__(self, groups=32, axis=-1, epsilon=1e-3, center=True, scale=True,
                 beta_initializer="zeros", gamma_initializer="ones",
                 beta_regularizer=None, gamma_regularizer=None, beta_constraint=None,
                 gamma_constraint=None, **kwargs):
        if isinstance(groups, bool) or not isinstance(groups, int) or (
                groups <= 0 and groups != -1):
            raise ValueError("Received an invalid value for argument `groups`, expected "
                             "a positive integer (or `-1` for instance normalization). "
                             f"Received: groups={groups!r}")
        super().__init__(**kwargs)
        self.supports_masking = True
        self.groups = groups
        self.axis = axis
        self.epsilon = epsilon
        self.center = center
        self.scale = scale
        self.beta_initializer = initializers.get(beta_initializer)
        self.gamma_initializer = initializers.get(gamma_initializer)
        self.beta_regularizer = regularizers.get(beta_regularizer)
        self.gamma_regularizer = regularizers.get(gamma_regularizer)
        self.beta_constraint = constraints.get(beta_constraint)
        self.gamma_constraint = constraints.get(gamma_constraint)
        self.gamma = self.beta = None

    def _channel_axis(self, input_shape):
        rank = len(input_shape)
        if not isinstance(self.axis, int) or not -rank <= self.axis < rank:
            raise ValueError(f"Axis {self.axis} is out of bounds for input shape "
                             f"{tuple(input_shape)}. Received: axis={self.axis}")
        return self.axis % rank

    def build(self, input_shape):
        input_shape = tuple(input_shape)
        dim = input_shape[self._channel_axis(input_shape)]
        if dim is None:
            raise ValueError(f"Axis {self.axis} of input tensor should have a defined "
                             "dimension but the layer received an input with shape "
                             f"{input_shape}.")
        if self.groups == -1:
            self.groups = dim
        if dim < self.groups:
            raise ValueError(f"Number of groups ({self.groups}) cannot be more than the "
                             f"number of channels ({dim}).")
        if dim % self.groups:
            raise ValueError(f"Number of groups ({self.groups}) must divide the number "
                             f"of channels ({dim}).")
        self.input_spec = InputSpec(ndim=len(input_shape), axes={self.axis: dim})
        if self.scale:
            self.gamma = self.add_weight(
                shape=(dim,), name="gamma", initializer=self.gamma_initializer,
                regularizer=self.gamma_regularizer, constraint=self.gamma_constraint)
        if self.center:
            self.beta = self.add_weight(
                shape=(dim,), name="beta", initializer=self.beta_initializer,
                regularizer=self.beta_regularizer, constraint=self.beta_constraint)
        self.built = True

    def call(self, inputs):
        ops = get_ops()
        out_dtype = ops.dtype(inputs)
        dtype = "float64" if out_dtype == "float64" else "float32"
        x = inputs if out_dtype == dtype else ops.cast(inputs, dtype)
        shape = tuple(ops.shape(x))
        axis = self._channel_axis(shape)
        # (batch, ..., groups, channels // groups, ...): the group axis sits
        # where the channel axis was; each group reduces over all the others.
        grouped = shape[:axis] + (self.groups, shape[axis] // self.groups) + \
            shape[axis + 1:]
        x = ops.reshape(x, grouped)
        reduce = tuple(i for i in range(1, len(grouped)) if i != axis)
        mean, variance = ops.moments(x, reduce, keepdims=True)
        inv = ops.rsqrt(ops.add(variance, self.epsilon))
        broadcast = [1] * len(grouped)
        broadcast[axis], broadcast[axis + 1] = grouped[axis], grouped[axis + 1]

        def weight(v):
            value = v.value
            if ops.dtype(value) != dtype:
                value = ops.cast(value, dtype)
            return ops.reshape(value, tuple(broadcast))

        if self.gamma is not None:
            inv = ops.multiply(inv, weight(self.gamma))
        shift = ops.negative(ops.multiply(mean, inv))
        if self.beta is not None:
            shift = ops.add(shift, weight(self.beta))
        out = ops.reshape(ops.add(ops.multiply(x, inv), shift), shape)
        return out if ops.dtype(out) == out_dtype else ops.cast(out, out_dtype)

    def compute_output_shape(self, input_shape):
        self._channel_axis(tuple(input_shape))
        return tuple(input_shape)

    def get_config(self):
        return {
            **super().get_config(),
            "groups": self.groups,
            "axis": self.axis,
            "epsilon": self.epsilon,
            "center": self.center,
            "scale": self.scale,
            "beta_initializer": initializers.serialize(self.beta_initializer),
            "gamma_initializer": initializers.serialize(self.gamma_initializer),
            "beta_regularizer": regularizers.serialize(self.beta_regularizer),
            "gamma_regularizer": regularizers.serialize(self.gamma_regularizer),
            "beta_constraint": constraints.serialize(self.beta_constraint),
            "gamma_constraint": constraints.serialize(self.gamma_constraint),
        }
