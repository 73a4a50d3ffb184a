"""The linear-algebra kernels of the contract (kerasx/backend/contract_linalg.py)
on TensorFlow: tf.linalg."""
import tensorflow as tf


class LinalgKernels:
    """Mixin of TensorFlowBackend: the `_<op>_kernel`s of keras.ops.linalg."""

    def _cholesky_kernel(self, x):
        return tf.linalg.cholesky(x)

    def _det_kernel(self, x):
        return tf.linalg.det(x)

    def _eigh_kernel(self, x):
        return tuple(tf.linalg.eigh(x))

    def _qr_kernel(self, x, complete):
        return tuple(tf.linalg.qr(x, full_matrices=complete))

    def _solve_kernel(self, a, b):
        return tf.linalg.solve(a, b)

    def _svd_kernel(self, x, full_matrices, compute_uv):
        if not compute_uv:
            return tf.linalg.svd(x, full_matrices=full_matrices, compute_uv=False)
        s, u, v = tf.linalg.svd(x, full_matrices=full_matrices)
        return u, s, tf.linalg.adjoint(v)
