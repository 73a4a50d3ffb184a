"""TensorFlow kernels of the image family and its data-pipeline support."""
import numpy as np
import tensorflow as tf


class ImageKernels:
    """Mixed into TensorFlowBackend before Backend."""

    def host_call(self, fn, shape, dtype):
        """`fn()` at run time: inside a traced graph (a tf.data map, a
        tf.function) through tf.numpy_function, so each run draws anew."""
        if tf.executing_eagerly():
            return tf.convert_to_tensor(np.asarray(fn(), dtype=dtype))
        out = tf.numpy_function(lambda: np.asarray(fn(), dtype=dtype), [], tf.as_dtype(dtype),
                                stateful=True)
        out.set_shape(shape)
        return out
