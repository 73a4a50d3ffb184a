"""SpectralNormalization, as keras.layers.SpectralNormalization."""
from kerasx import initializers
from kerasx.backend import get_ops
from kerasx.layers.core.wrapper import Wrapper
from kerasx.layers.input_spec import InputSpec

# keras.ops.normalize's default epsilon (Keras's backend epsilon).
_EPSILON = 1e-7


def _l2_normalize(x):
    """x / ||x|| over all entries, the inverse norm bounded by 1 / epsilon."""
    ops = get_ops()
    inv_norm = ops.rsqrt(ops.sum(ops.square(x), keepdims=True))
    return ops.multiply(x, ops.minimum(inv_norm, 1.0 / _EPSILON))


class SpectralNormalization(Wrapper):
    """Divides the wrapped layer's kernel by its largest singular value,
    estimated by power iteration, as keras.layers.SpectralNormalization.

    In training calls, `power_iterations` steps refine the non-trainable
    vector `vector_u` (shape (1, kernel.shape[-1])); the kernel (reshaped to
    (-1, kernel.shape[-1])) is then divided by sigma = v W u^T and written
    back, and the wrapped layer runs with it. An all-zero kernel is left as
    it is. Inference calls run the wrapped layer unchanged. The output keeps
    the wrapped layer's dtype (Keras 3.15 casts it to the input's, which
    turns an Embedding's output on int indices into zeros).

    Args:
        layer: a layer with a `kernel` (Dense, Conv*) or `embeddings`
            (Embedding) weight.
        power_iterations: positive int (default 1).

    Weights, in Keras order: the wrapped layer's kernel, vector_u, then the
    wrapped layer's other weights.

    Raises:
        ValueError: for a non-layer or power_iterations <= 0; at build, a
            wrapped layer with neither `kernel` nor `embeddings`.
    """

    def __init__(self, layer, power_iterations=1, **kwargs):
        super().__init__(layer, **kwargs)
        if isinstance(power_iterations, bool) or not isinstance(power_iterations, int) \
                or power_iterations <= 0:
            raise ValueError("`power_iterations` should be a positive int. Received: "
                             f"power_iterations={power_iterations!r}")
        self.power_iterations = power_iterations

    def build(self, input_shape):
        super().build(input_shape)
        self.input_spec = InputSpec(min_ndim=1, axes={-1: input_shape[-1]})
        kernel = getattr(self.layer, "kernel", None)
        if kernel is None:
            kernel = getattr(self.layer, "embeddings", None)
        if kernel is None:
            raise ValueError(f"{type(self.layer).__name__} object has no attribute "
                             "'kernel' nor 'embeddings'")
        self.kernel = kernel
        # Keras tracks the wrapped kernel as the wrapper's own (first) weight.
        self._trainable_variables.append(kernel)
        self.kernel_shape = tuple(kernel.shape)
        self.vector_u = self.add_weight(
            shape=(1, self.kernel_shape[-1]),
            initializer=initializers.TruncatedNormal(stddev=0.02), trainable=False,
            name="vector_u", dtype=kernel.dtype)
        self.built = True

    def normalized_weights(self):
        """(new vector_u, spectrally normalised kernel) from the current values."""
        ops = get_ops()
        kernel = self.kernel.value
        weights = ops.reshape(kernel, (-1, self.kernel_shape[-1]))
        vector_u = self.vector_u.value
        for _ in range(self.power_iterations):
            vector_v = _l2_normalize(ops.matmul(vector_u, ops.transpose(weights)))
            vector_u = _l2_normalize(ops.matmul(vector_v, weights))
        vector_u = ops.stop_gradient(vector_u)
        vector_v = ops.stop_gradient(vector_v)
        sigma = ops.matmul(ops.matmul(vector_v, weights), ops.transpose(vector_u))
        return vector_u, ops.reshape(ops.divide(weights, sigma), self.kernel_shape)

    def call(self, inputs, training=False):
        if training:
            ops = get_ops()
            new_u, new_kernel = self.normalized_weights()
            old_u, old_kernel = self.vector_u.value, self.kernel.value
            all_zero = ops.all(ops.equal(old_kernel, 0))
            # As Keras's cond: an all-zero kernel keeps its values (no 0 / 0).
            self.vector_u.assign(ops.where(all_zero, old_u, new_u))
            self.kernel.assign(ops.where(all_zero, old_kernel, new_kernel))
        return self.layer(inputs)

    def compute_output_shape(self, input_shape):
        return self.layer.compute_output_shape(input_shape)

    def get_config(self):
        return {**super().get_config(), "power_iterations": self.power_iterations}
