"""TensorFlow kernels of the element-wise math primitives
(kerasx.backend.contract_math); the dtype rules are the contract's."""
import tensorflow as tf

from kerasx.backend.contract_math import (binary_kernel, bitwise_kernel, float_binary_kernel,
                                          float_kernel)

#: The integer type of the same width as each float (signbit reads the bits).
_BITS = {tf.float16: tf.int16, tf.float32: tf.int32, tf.float64: tf.int64}


def _bitwise(int_fn, bool_fn):
    def kernel(self, x, y):
        x, y = self._binary_operands(x, y)
        return bool_fn(x, y) if x.dtype == tf.bool else int_fn(x, y)
    return kernel


def _integers(self, x1, x2, name):
    x1, x2 = self._binary_operands(x1, x2)
    if self.dtype(x1) not in ("int32", "int64"):
        raise TypeError(f"{name} takes integer tensors; received dtype {self.dtype(x1)}.")
    return x1, x2


def _gcd(a, b):
    """Euclid's algorithm, element-wise, until every remainder is 0."""
    a, b = tf.abs(a), tf.abs(b)

    def body(a, b):
        nonzero = tf.not_equal(b, 0)
        safe = tf.where(nonzero, b, tf.ones_like(b))
        return tf.where(nonzero, b, a), tf.where(nonzero, tf.math.floormod(a, safe), b)

    a, _ = tf.while_loop(lambda a, b: tf.reduce_any(tf.not_equal(b, 0)), body,
                         [a + tf.zeros_like(b), b + tf.zeros_like(a)])
    return a


class MathKernels:
    """Element-wise math kernels of the TensorFlow plugin."""

    arccos = float_kernel(tf.math.acos)
    arccosh = float_kernel(tf.math.acosh)
    arcsin = float_kernel(tf.math.asin)
    arcsinh = float_kernel(tf.math.asinh)
    arctan = float_kernel(tf.math.atan)
    arctanh = float_kernel(tf.math.atanh)
    cosh = float_kernel(tf.math.cosh)
    sinh = float_kernel(tf.math.sinh)
    tan = float_kernel(tf.math.tan)
    i0 = float_kernel(tf.math.bessel_i0, "float64")
    erfc = float_kernel(tf.math.erfc)
    arctan2 = float_binary_kernel(tf.math.atan2)
    floor_divide = binary_kernel(tf.math.floordiv)
    bitwise_and = _bitwise(tf.bitwise.bitwise_and, tf.math.logical_and)
    bitwise_or = _bitwise(tf.bitwise.bitwise_or, tf.math.logical_or)
    bitwise_xor = _bitwise(tf.bitwise.bitwise_xor, tf.math.logical_xor)
    left_shift = bitwise_kernel(tf.bitwise.left_shift)
    right_shift = bitwise_kernel(tf.bitwise.right_shift)

    def signbit(self, x):
        x = self._tensor(x)
        if x.dtype == tf.bool:
            return tf.zeros_like(x)
        if x.dtype.is_integer:
            return tf.less(x, 0)
        return tf.less(tf.bitcast(x, _BITS[x.dtype]), 0)  # the sign bit, -0.0 and NaN too

    def erfinv(self, x):
        x = self._float_operand(x)
        if x.dtype == tf.float16:  # no float16 kernel: computed in float32
            return tf.cast(tf.math.erfinv(tf.cast(x, tf.float32)), tf.float16)
        return tf.math.erfinv(x)

    def nextafter(self, x1, x2):
        x1, x2 = self._binary_operands(x1, x2, to_float=True)
        if x1.dtype == tf.float16:  # tf.math.nextafter: float32 and float64 only
            return self._nextafter_by_spacing(x1, x2)
        return tf.math.nextafter(x1, x2)

    def mod(self, x1, x2):
        x1, x2 = self._binary_operands(x1, x2)
        if x1.dtype == tf.bool:
            x1, x2 = tf.cast(x1, tf.int32), tf.cast(x2, tf.int32)
        return tf.math.floormod(x1, x2)

    def gcd(self, x1, x2):
        return _gcd(*_integers(self, x1, x2, "gcd"))

    def lcm(self, x1, x2):
        x1, x2 = _integers(self, x1, x2, "lcm")
        divisor = _gcd(x1, x2)
        safe = tf.where(tf.equal(divisor, 0), tf.ones_like(divisor), divisor)
        return tf.abs(x1 * tf.math.floordiv(x2, safe))

    def bitwise_invert(self, x):
        x = self._tensor(x)
        return tf.math.logical_not(x) if x.dtype == tf.bool else tf.bitwise.invert(x)
