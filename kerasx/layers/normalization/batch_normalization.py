"""BatchNormalization, as keras.layers.BatchNormalization."""
import numpy as np

from kerasx import config, constraints, initializers, regularizers
from kerasx.backend import get_ops
from kerasx.layers.input_spec import InputSpec
from kerasx.layers.layer import Layer


def _compute_dtype(ops, x):
    """Normalisation arithmetic runs in at least float32 (as Keras)."""
    return "float64" if ops.dtype(x) == "float64" else "float32"


def _read(ops, variable, dtype):
    value = variable.value
    return value if ops.dtype(value) == dtype else ops.cast(value, dtype)


class BatchNormalization(Layer):
    """Normalises its input with batch statistics (training) or moving
    statistics (inference), as keras.layers.BatchNormalization.

    In training (`training=True` and `layer.trainable`), the output is
    `(x - mean(batch)) / sqrt(var(batch) + epsilon) * gamma + beta` with the
    biased batch variance, and the moving statistics are updated as
    `moving = moving * momentum + batch_stat * (1 - momentum)`. Otherwise the
    moving statistics are used. A frozen layer (`trainable=False`) always runs
    in inference mode, as in Keras 3.

    Args:
        axis: int, the feature axis (default -1).
        momentum: momentum of the moving averages (default 0.99).
        epsilon: added to the variance (default 1e-3).
        center, scale: whether to learn `beta` and `gamma`.
        beta_initializer, gamma_initializer: as in Keras.
        moving_mean_initializer, moving_variance_initializer: as in Keras.
        beta_regularizer, gamma_regularizer: as in Keras.
        beta_constraint, gamma_constraint: as in Keras.
        synchronized: accepted for Keras compatibility; a single-device
            kerasx run has nothing to synchronise, so it changes nothing.
        renorm: batch renormalisation is not supported (True raises).

    Weights, in Keras order: gamma, beta (trainable), moving_mean,
    moving_variance (non-trainable), each of shape (channels,).

    Raises:
        ValueError: for a non-int axis, momentum or epsilon out of range,
            renorm=True, or an axis outside the input's rank / of unknown size.
    """

    def __init__(self, axis=-1, momentum=0.99, epsilon=1e-3, center=True, scale=True,
                 beta_initializer="zeros", gamma_initializer="ones",
                 moving_mean_initializer="zeros", moving_variance_initializer="ones",
                 beta_regularizer=None, gamma_regularizer=None, beta_constraint=None,
                 gamma_constraint=None, renorm=False, renorm_clipping=None,
                 renorm_momentum=0.99, synchronized=False, **kwargs):
        super().__init__(**kwargs)
        if isinstance(axis, bool) or not isinstance(axis, int):
            raise ValueError("BatchNormalization expects an int `axis` (the feature "
                             f"axis). Received: axis={axis!r}")
        if not 0.0 <= float(momentum) <= 1.0:
            raise ValueError("`momentum` must be in [0, 1]. "
                             f"Received: momentum={momentum!r}")
        if float(epsilon) <= 0.0:
            raise ValueError(f"`epsilon` must be positive. Received: epsilon={epsilon!r}")
        if renorm:
            raise ValueError("kerasx's BatchNormalization does not support batch "
                             "renormalization. Received: renorm=True; use renorm=False.")
        self.axis = int(axis)
        self.momentum = float(momentum)
        self.epsilon = float(epsilon)
        self.center = center
        self.scale = scale
        self.beta_initializer = initializers.get(beta_initializer)
        self.gamma_initializer = initializers.get(gamma_initializer)
        self.moving_mean_initializer = initializers.get(moving_mean_initializer)
        self.moving_variance_initializer = initializers.get(moving_variance_initializer)
        self.beta_regularizer = regularizers.get(beta_regularizer)
        self.gamma_regularizer = regularizers.get(gamma_regularizer)
        self.beta_constraint = constraints.get(beta_constraint)
        self.gamma_constraint = constraints.get(gamma_constraint)
        self.synchronized = synchronized
        self.renorm = renorm
        self.renorm_clipping = renorm_clipping
        self.renorm_momentum = renorm_momentum
        self.supports_masking = True
        self.gamma = self.beta = self.moving_mean = self.moving_variance = None
        self._reduction_axes = None

    def _check_axis(self, input_shape):
        rank = len(input_shape)
        if not -rank <= self.axis < rank:
            raise ValueError(f"Axis {self.axis} is out of bounds for input shape "
                             f"{tuple(input_shape)}. Received: axis={self.axis}")

    def build(self, input_shape):
        self._check_axis(input_shape)
        rank = len(input_shape)
        channels = input_shape[self.axis]
        if channels is None:
            raise ValueError(f"BatchNormalization needs a known size on axis {self.axis}; "
                             f"received input shape {tuple(input_shape)}.")
        shape = (channels,)
        if self.scale:
            self.gamma = self.add_weight(shape=shape, name="gamma",
                                         initializer=self.gamma_initializer,
                                         regularizer=self.gamma_regularizer,
                                         constraint=self.gamma_constraint, trainable=True)
        if self.center:
            self.beta = self.add_weight(shape=shape, name="beta",
                                        initializer=self.beta_initializer,
                                        regularizer=self.beta_regularizer,
                                        constraint=self.beta_constraint, trainable=True)
        self.moving_mean = self.add_weight(shape=shape, name="moving_mean",
                                           initializer=self.moving_mean_initializer,
                                           trainable=False)
        self.moving_variance = self.add_weight(
            shape=shape, name="moving_variance",
            initializer=self.moving_variance_initializer, trainable=False)
        self.input_spec = InputSpec(ndim=rank, axes={self.axis: channels})
        self._reduction_axes = tuple(i for i in range(rank) if i != self.axis % rank)
        self.built = True

    def _moments(self, x, mask):
        ops = get_ops()
        if mask is None:
            return ops.moments(x, self._reduction_axes)
        # As Keras: masked positions (mask has the input's rank minus one)
        # do not count towards the statistics.
        shape = ops.shape(x)
        mask = ops.broadcast_to(ops.expand_dims(ops.cast(mask, "bool"), -1), shape)
        weights = ops.cast(mask, ops.dtype(x))
        axes = self._reduction_axes
        count = ops.add(ops.sum(weights, axis=axes, keepdims=True), config.epsilon())
        mean = ops.divide(ops.sum(ops.where(mask, x, ops.zeros_like(x)), axis=axes,
                                  keepdims=True), count)
        diff = ops.where(mask, ops.subtract(x, mean), ops.zeros_like(x))
        variance = ops.divide(ops.sum(ops.square(diff), axis=axes, keepdims=True), count)
        return ops.reshape(mean, (-1,)), ops.reshape(variance, (-1,))

    def call(self, inputs, training=None, mask=None):
        ops = get_ops()
        if mask is not None and not ops.is_tensor(mask):
            mask = ops.convert_to_tensor(np.asarray(mask))
        if mask is not None and ops.ndim(mask) != ops.ndim(inputs) - 1:
            raise ValueError("The mask provided should be one dimension less than the "
                             f"inputs. Received: mask.shape={ops.shape(mask)}, "
                             f"inputs.shape={ops.shape(inputs)}")
        out_dtype = ops.dtype(inputs)
        dtype = _compute_dtype(ops, inputs)
        x = inputs if out_dtype == dtype else ops.cast(inputs, dtype)
        gamma = _read(ops, self.gamma, dtype) if self.scale else None
        beta = _read(ops, self.beta, dtype) if self.center else None
        if training and self.trainable:
            mean, variance = self._moments(x, mask)
            momentum = self.momentum
            moving_mean = _read(ops, self.moving_mean, dtype)
            moving_variance = _read(ops, self.moving_variance, dtype)
            self.moving_mean.assign(ops.stop_gradient(ops.add(
                ops.multiply(moving_mean, momentum), ops.multiply(mean, 1.0 - momentum))))
            self.moving_variance.assign(ops.stop_gradient(ops.add(
                ops.multiply(moving_variance, momentum),
                ops.multiply(variance, 1.0 - momentum))))
        else:
            mean = _read(ops, self.moving_mean, dtype)
            variance = _read(ops, self.moving_variance, dtype)
        out = ops.batch_normalization(x, mean, variance, self.axis, offset=beta,
                                      scale=gamma, epsilon=self.epsilon)
        return out if ops.dtype(out) == out_dtype else ops.cast(out, out_dtype)

    def compute_output_shape(self, input_shape):
        self._check_axis(input_shape)
        return tuple(input_shape)

    def get_config(self):
        return {
            **super().get_config(),
            "axis": self.axis,
            "momentum": self.momentum,
            "epsilon": self.epsilon,
            "center": self.center,
            "scale": self.scale,
            "beta_initializer": initializers.serialize(self.beta_initializer),
            "gamma_initializer": initializers.serialize(self.gamma_initializer),
            "moving_mean_initializer": initializers.serialize(self.moving_mean_initializer),
            "moving_variance_initializer": initializers.serialize(
                self.moving_variance_initializer),
            "beta_regularizer": regularizers.serialize(self.beta_regularizer),
            "gamma_regularizer": regularizers.serialize(self.gamma_regularizer),
            "beta_constraint": constraints.serialize(self.beta_constraint),
            "gamma_constraint": constraints.serialize(self.gamma_constraint),
            "synchronized": self.synchronized,
            "renorm": self.renorm,
            "renorm_clipping": self.renorm_clipping,
            "renorm_momentum": self.renorm_momentum,
        }
