"""PReLU layer, as keras.layers.PReLU."""
from kerasx import constraints, initializers, regularizers
from kerasx.backend import get_ops
from kerasx.layers.input_spec import InputSpec
from kerasx.layers.layer import Layer


class PReLU(Layer):
    """Parametric ReLU: `relu(x) - alpha * relu(-x)` with a learned `alpha`.

    Args:
        alpha_initializer: default "Zeros" (as Keras).
        alpha_regularizer, alpha_constraint: as in Keras.
        shared_axes: axis or list of axes (1-based, the batch axis is 0) along
            which `alpha` is shared, e.g. [1, 2] for one alpha per channel of
            a channels_last image.

    Weight: alpha, of shape input_shape[1:] with the shared axes set to 1.

    Raises:
        ValueError: when shared_axes names the batch axis or an axis outside
            the input.
    """

    def __init__(self, alpha_initializer="Zeros", alpha_regularizer=None,
                 alpha_constraint=None, shared_axes=None, **kwargs):
        super().__init__(**kwargs)
        self.supports_masking = True
        self.alpha_initializer = initializers.get(alpha_initializer)
        self.alpha_regularizer = regularizers.get(alpha_regularizer)
        self.alpha_constraint = constraints.get(alpha_constraint)
        if shared_axes is None:
            self.shared_axes = None
        elif not isinstance(shared_axes, (list, tuple)):
            self.shared_axes = [shared_axes]
        else:
            self.shared_axes = list(shared_axes)
        for a in self.shared_axes or []:
            if isinstance(a, bool) or not isinstance(a, int) or a < 1:
                raise ValueError("shared_axes must hold positive ints (the batch axis 0 "
                                 "cannot be shared). Received: "
                                 f"shared_axes={shared_axes!r}")

    def build(self, input_shape):
        rank = len(input_shape)
        shared = self.shared_axes or []
        bad = [a for a in shared if a >= rank]
        if bad:
            raise ValueError(f"shared_axes={self.shared_axes} is out of range for input "
                             f"shape {tuple(input_shape)} (rank {rank}).")
        param_shape = tuple(1 if i in shared else input_shape[i] for i in range(1, rank))
        if None in param_shape:
            raise ValueError("PReLU needs known sizes on its non-shared axes; received "
                             f"input shape {tuple(input_shape)} with "
                             f"shared_axes={self.shared_axes}.")
        self.alpha = self.add_weight(shape=param_shape, name="alpha",
                                     initializer=self.alpha_initializer,
                                     regularizer=self.alpha_regularizer,
                                     constraint=self.alpha_constraint)
        axes = {i: input_shape[i] for i in range(1, rank) if i not in shared} \
            if shared else {}
        self.input_spec = InputSpec(ndim=rank, axes=axes)
        self.built = True

    def call(self, inputs):
        ops = get_ops()
        positive = ops.relu(inputs)
        negative = ops.multiply(ops.negative(self.alpha.value),
                                ops.relu(ops.negative(inputs)))
        return ops.add(positive, negative)

    def compute_output_shape(self, input_shape):
        return input_shape

    def get_config(self):
        return {
            **super().get_config(),
            "alpha_initializer": initializers.serialize(self.alpha_initializer),
            "alpha_regularizer": regularizers.serialize(self.alpha_regularizer),
            "alpha_constraint": constraints.serialize(self.alpha_constraint),
            "shared_axes": self.shared_axes,
        }
