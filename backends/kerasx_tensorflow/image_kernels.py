"""TensorFlow kernels of the image family's data-pipeline support."""
import tensorflow as tf


class ImageKernels:
    """Mixed into TensorFlowBackend before Backend."""

    def run_eagerly(self, fn, x, shape, dtype):
        """`fn(x)` now when eager; inside a traced graph (a tf.data map)
        through tf.py_function, so that it runs eagerly, with concrete shapes
        and fresh host draws, each time the graph runs."""
        if tf.executing_eagerly():
            return fn(x)
        if isinstance(x, (list, tuple)):
            outs = tf.py_function(lambda *xs: fn(list(xs)), list(x),
                                  Tout=[tf.as_dtype(d) for d in dtype])
            for out, static in zip(outs, shape):
                out.set_shape(static)
            return list(outs)
        out = tf.py_function(fn, [x], Tout=tf.as_dtype(dtype))
        out.set_shape(shape)
        return out
