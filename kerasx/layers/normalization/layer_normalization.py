"""LayerNormalization, as keras.layers.LayerNormalization."""
from kerasx import constraints, initializers, regularizers
from kerasx.backend import get_ops
from kerasx.layers.layer import Layer


class LayerNormalization(Layer):
    """Normalises each sample over `axis`, as keras.layers.LayerNormalization:
    `(x - mean) / sqrt(var + epsilon) * gamma + beta` with the biased variance,
    computed as Keras does: `x * inv + (beta - mean * inv)` with
    `inv = rsqrt(var + epsilon) * gamma`.

    Args:
        axis: int or list/tuple of ints to normalise over (default -1).
        epsilon: added to the variance (default 1e-3).
        center, scale: whether to learn `beta` and `gamma`.
        beta_initializer, gamma_initializer: as in Keras.
        beta_regularizer, gamma_regularizer: as in Keras.
        beta_constraint, gamma_constraint: as in Keras.
        rms_scaling: Keras's deprecated flag (scales by the variance, no
            centering); supported for compatibility.

    Weights, in Keras order: gamma, beta, of shape (sizes of `axis`).

    Raises:
        TypeError: for an `axis` that is not an int or a list of ints.
        ValueError: for a non-positive epsilon, or an axis outside the input.
    """

    def __init__(self, axis=-1, epsilon=1e-3, center=True, scale=True,
                 beta_initializer="zeros", gamma_initializer="ones",
                 beta_regularizer=None, gamma_regularizer=None, beta_constraint=None,
                 gamma_constraint=None, **kwargs):
        rms_scaling = kwargs.pop("rms_scaling", False)
        super().__init__(**kwargs)
        if isinstance(axis, (list, tuple)) and all(
                isinstance(a, int) and not isinstance(a, bool) for a in axis) and axis:
            self.axis = list(axis)
        elif isinstance(axis, int) and not isinstance(axis, bool):
            self.axis = axis
        else:
            raise TypeError("Expected an int or a non-empty list/tuple of ints for the "
                            f"argument 'axis', but received: {axis!r}")
        if float(epsilon) <= 0.0:
            raise ValueError(f"`epsilon` must be positive. Received: epsilon={epsilon!r}")
        self.epsilon = epsilon
        self.center = center
        self.scale = scale
        self.rms_scaling = rms_scaling
        self.beta_initializer = initializers.get(beta_initializer)
        self.gamma_initializer = initializers.get(gamma_initializer)
        self.beta_regularizer = regularizers.get(beta_regularizer)
        self.gamma_regularizer = regularizers.get(gamma_regularizer)
        self.beta_constraint = constraints.get(beta_constraint)
        self.gamma_constraint = constraints.get(gamma_constraint)
        self.supports_masking = True
        self.gamma = self.beta = None

    def _axes(self, input_shape):
        """The normalised axes as sorted non-negative ints (checked)."""
        rank = len(input_shape)
        axes = self.axis if isinstance(self.axis, list) else [self.axis]
        for a in axes:
            if not -rank <= a < rank:
                raise ValueError(f"Axis {a} is out of bounds for input shape "
                                 f"{tuple(input_shape)}. Received: axis={self.axis}")
        positive = sorted({a % rank for a in axes})
        if len(positive) != len(axes):
            raise ValueError(f"Repeated axis in axis={self.axis} for input shape "
                             f"{tuple(input_shape)}.")
        return positive

    def build(self, input_shape):
        axes = self._axes(input_shape)
        shape = tuple(input_shape[a] for a in axes)
        if None in shape:
            raise ValueError(f"LayerNormalization needs known sizes on axis={self.axis}; "
                             f"received input shape {tuple(input_shape)}.")
        # Keras keeps the axis as a sorted list after building.
        self.axis = sorted(self.axis) if isinstance(self.axis, list) else [self.axis]
        self._norm_axes = tuple(axes)
        if self.scale or self.rms_scaling:
            self.gamma = self.add_weight(name="gamma", shape=shape,
                                         initializer=self.gamma_initializer,
                                         regularizer=self.gamma_regularizer,
                                         constraint=self.gamma_constraint, trainable=True)
        if self.center and not self.rms_scaling:
            self.beta = self.add_weight(name="beta", shape=shape,
                                        initializer=self.beta_initializer,
                                        regularizer=self.beta_regularizer,
                                        constraint=self.beta_constraint, trainable=True)
        self.built = True

    def call(self, inputs):
        ops = get_ops()
        out_dtype = ops.dtype(inputs)
        dtype = "float64" if out_dtype == "float64" else "float32"
        x = inputs if out_dtype == dtype else ops.cast(inputs, dtype)
        shape = ops.shape(x)
        axes = self._axes(shape)
        broadcast = tuple(shape[i] if i in axes else 1 for i in range(len(shape)))

        def weight(v):
            if v is None:
                return None
            value = v.value
            if ops.dtype(value) != dtype:
                value = ops.cast(value, dtype)
            return ops.reshape(value, broadcast)

        gamma, beta = weight(self.gamma), weight(self.beta)
        axes = tuple(axes)
        if self.rms_scaling:
            inv = ops.rsqrt(ops.add(ops.var(x, axis=axes, keepdims=True), self.epsilon))
            out = ops.multiply(x, inv)
            if gamma is not None:
                out = ops.multiply(out, gamma)
        else:
            mean, variance = ops.moments(x, axes, keepdims=True)
            inv = ops.rsqrt(ops.add(variance, self.epsilon))
            if gamma is not None:
                inv = ops.multiply(inv, gamma)
            shift = ops.negative(ops.multiply(mean, inv))
            if beta is not None:
                shift = ops.add(shift, beta)
            out = ops.add(ops.multiply(x, inv), shift)
        return out if ops.dtype(out) == out_dtype else ops.cast(out, out_dtype)

    def compute_output_shape(self, input_shape):
        self._axes(input_shape)
        return tuple(input_shape)

    def get_config(self):
        return {
            **super().get_config(),
            "axis": self.axis,
            "epsilon": self.epsilon,
            "center": self.center,
            "scale": self.scale,
            "rms_scaling": self.rms_scaling,
            "beta_initializer": initializers.serialize(self.beta_initializer),
            "gamma_initializer": initializers.serialize(self.gamma_initializer),
            "beta_regularizer": regularizers.serialize(self.beta_regularizer),
            "gamma_regularizer": regularizers.serialize(self.gamma_regularizer),
            "beta_constraint": constraints.serialize(self.beta_constraint),
            "gamma_constraint": constraints.serialize(self.gamma_constraint),
        }
